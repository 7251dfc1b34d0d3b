"""The insights app's views, one module per sub-concept (health, escalations, check-ins, flow)."""

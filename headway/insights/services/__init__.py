"""The insights app's services, one module per sub-concept (health, escalations, check-ins, flow)."""

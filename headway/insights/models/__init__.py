"""The insights app's models, one module per sub-concept (health, escalations, check-ins)."""

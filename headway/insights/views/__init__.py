"""The insights app's views, one module per sub-concept."""

"""The insights app's selectors, one module per sub-concept."""

"""The results app's models."""

"""The capacity app's models."""

"""Signals other apps answer without the workspaces app knowing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside workspace_create's transaction with `workspace` and `actor`, so the apps that
# give a new workspace its starting rows (channels, starter templates) create them once, at
# creation, instead of on the first page that reads them.
workspace_created = Signal()

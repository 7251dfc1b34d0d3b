"""Planning's answers to other apps' signals."""

from __future__ import annotations

from typing import Any

from headway.planning.services.campaigns import channels_ensure
from headway.planning.services.templates import templates_ensure
from headway.workspaces.models import Workspace


def workspace_defaults_create(sender: object, *, workspace: Workspace, **kwargs: Any) -> None:
    """A new workspace starts with the standard channels and the starter templates."""
    channels_ensure(workspace)
    templates_ensure(workspace)

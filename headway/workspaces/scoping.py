"""Which URL parameters name objects that belong to a workspace.

Every page and API route under a workspace resolves its parameters through this registry
before the view runs, so an object of another workspace answers 404 everywhere. A new
route whose parameter is not registered here fails the generated isolation test.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.http import Http404

from headway.workspaces.models import Workspace

WORKSPACE_KWARG = "ws"

# parameter name -> (model label, field that leads to the workspace)
_registry: dict[str, tuple[Callable[[], Any], str]] = {}


def register(kwarg: str, model: Callable[[], Any], workspace_path: str = "workspace") -> None:
    """Declares that URL parameter `kwarg` is the primary key of a row of `model()`."""
    _registry[kwarg] = (model, workspace_path)


def registered_kwargs() -> dict[str, tuple[Callable[[], Any], str]]:
    return dict(_registry)


def check_kwargs(workspace: Workspace, kwargs: Mapping[str, Any]) -> None:
    """Raises Http404 unless every registered parameter names a row of `workspace`."""
    for name, value in kwargs.items():
        if name == WORKSPACE_KWARG or name not in _registry:
            continue
        model_fn, path = _registry[name]
        model = model_fn()
        try:
            exists = model.objects.filter(pk=value, **{path: workspace}).exists()
        except (ValueError, TypeError):
            exists = False
        if not exists:
            raise Http404(f"No such {model._meta.verbose_name}.")


def _register_core() -> None:
    from headway.workspaces import models

    register("member_id", lambda: models.Membership)
    register("invitation_id", lambda: models.Invitation)


_register_core()

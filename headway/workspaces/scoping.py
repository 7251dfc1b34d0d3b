"""Which URL parameters name objects that belong to a workspace.

Every page and API route under a workspace resolves its parameters through this registry
before the view runs, so an object of another workspace answers 404 everywhere. A new
route whose parameter is not registered here fails the generated isolation test.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404

from headway.core.prepared import PreparedRead
from headway.workspaces.models import Workspace

WORKSPACE_KWARG = "ws"

# parameter name -> (model label, field that leads to the workspace)
_registry: dict[str, tuple[Callable[[], Any], str]] = {}


def register(kwarg: str, model: Callable[[], Any], workspace_path: str = "workspace") -> None:
    """Declares that URL parameter `kwarg` is the primary key of a row of `model()`."""
    _registry[kwarg] = (model, workspace_path)


def registered_kwargs() -> dict[str, tuple[Callable[[], Any], str]]:
    return dict(_registry)


# parameter name -> a read of the whole row, fetch(workspace, pk), None outside the workspace
_whole: dict[str, Callable[[Workspace, Any], Any]] = {}


def read_whole(kwarg: str, fetch: Callable[[Workspace, Any], Any]) -> None:
    """Declares that the check of `kwarg` reads the row the route reads anyway, with
    `fetch(workspace, pk)` (None for a row outside the workspace); the route takes it with
    `scoped_row` instead of reading it again. On PostgreSQL every query is a round trip to
    the server: an API create under a campaign made the check and then read the campaign."""
    _whole[kwarg] = fetch


def check_kwargs(workspace: Workspace, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """Raises Http404 unless every registered parameter names a row of `workspace`; returns
    the rows read whole (see `read_whole`) by parameter name."""
    rows: dict[str, Any] = {}
    for name, value in kwargs.items():
        if name == WORKSPACE_KWARG or name not in _registry:
            continue
        model = _registry[name][0]()
        try:
            pk = model._meta.pk.to_python(value)
        except ValidationError:
            pk = None
        if pk is not None and name in _whole:
            row = _whole[name](workspace, pk)
            if row is not None:
                rows[name] = row
            exists = row is not None
        else:
            exists = pk is not None and bool(_read(name).all(pk=pk, workspace_id=workspace.pk))
        if not exists:
            raise Http404(f"No such {model._meta.verbose_name}.")
    return rows


def scoped_row(request: Any, kwarg: str, pk: Any) -> Any:
    """The row the scope check of this request read whole for `kwarg`, if it is the row `pk`
    (None otherwise: the caller reads it). Taken once: a later call reads it again, so a
    route that changed the row and asks again sees what it wrote."""
    rows: dict[str, Any] | None = getattr(request, "scoped_rows", None)
    row = rows.get(kwarg) if rows else None
    if row is None or row.pk != pk:
        return None
    del rows[kwarg]  # type: ignore[union-attr]
    return row


_reads: dict[tuple[Callable[[], Any], str], PreparedRead] = {}


def _read(name: str) -> PreparedRead:
    """Whether the row is the workspace's, as a read compiled once (every request under a
    workspace makes it; see headway.core.prepared)."""
    model_fn, path = key = _registry[name]
    read = _reads.get(key)
    if read is None:

        def rows(pk: Any, workspace_id: int) -> Any:
            manager = model_fn()._default_manager
            return manager.filter(pk=pk, **{path: workspace_id}).values_list("pk").order_by()[:1]

        read = PreparedRead(rows, rows=True, pk=-918_273_645, workspace_id=-918_273_646)
        _reads[key] = read
    return read


def _register_core() -> None:
    from headway.workspaces import models

    register("member_id", lambda: models.Membership)
    register("invitation_id", lambda: models.Invitation)


_register_core()

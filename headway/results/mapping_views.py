"""The mapping step: a file no reader knows gets its columns mapped once, then is previewed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from headway.core.errors import DomainError
from headway.core.http import WorkspaceRequest
from headway.results import services
from headway.results.mapping import file_header, header_targets, mapping_delete, mapping_save
from headway.results.mapping_models import ColumnMapping
from headway.results.report import CHANNEL_LABELS
from headway.results.sources.mapped import TARGETS
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace

MAX_COLUMNS = 200


def _require_importer(request: WorkspaceRequest) -> None:
    if not request.membership.role_enum.plans:
        raise PermissionDenied("Only owners, admins and managers import results.")


def posted_id(value: str) -> int:
    """A posted row id; 0 (no row) for anything that is not one."""
    value = value.strip()
    return int(value) if value.isdigit() and len(value) <= 18 else 0


def _file_hash(request: WorkspaceRequest) -> str:
    value = request.GET.get("file") or request.POST.get("file") or ""
    return value if len(value) == 64 and all(c in "0123456789abcdef" for c in value) else ""


def _batch(request: WorkspaceRequest) -> str:
    """The drop a file's mapping step came from (the import page's key), if any."""
    value = request.GET.get("batch") or request.POST.get("batch") or ""
    return value if len(value) == 16 and all(c in "0123456789abcdef" for c in value) else ""


@workspace_view(internal_only=True)
def mappings_page(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """The saved mappings, each with a link to change it and a button to forget it."""
    _require_importer(request)
    if request.method == "POST":
        mapping = ColumnMapping.objects.filter(
            workspace=workspace, pk=posted_id(request.POST.get("delete", ""))
        ).first()
        if mapping is not None:
            mapping_delete(actor=request.user, mapping=mapping)
            messages.success(request, f"Mapping “{mapping.name}” forgotten.")
        return redirect("results:mappings", ws=workspace.slug)
    mappings = ColumnMapping.objects.filter(workspace=workspace)
    return render(request, "results/mappings.html", {"workspace": workspace, "mappings": mappings})


@workspace_view(internal_only=True)
def mapping_page(
    request: WorkspaceRequest, workspace: Workspace, mapping_id: int | None = None
) -> HttpResponse:
    """Map each column of the file (or of a saved mapping) to what Headway reads."""
    _require_importer(request)
    mapping = None
    if mapping_id is not None:
        mapping = ColumnMapping.objects.get(workspace=workspace, pk=mapping_id)
    file_hash = _file_hash(request)
    try:
        header = _header(workspace, file_hash, mapping)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("results:import", ws=workspace.slug)
    context: dict[str, Any] = {
        "workspace": workspace,
        "mapping": mapping,
        "file_hash": file_hash,
        "batch": _batch(request),
        "name": mapping.name if mapping else "",
        "channel": mapping.channel if mapping else "other",
        "rows": header_targets(header, mapping),
        "targets": list(TARGETS.items()),
        "channels": list(CHANNEL_LABELS.items()),
        "error": "",
    }
    if request.method == "POST":
        chosen = [request.POST.get(f"col-{i}", "ignore") for i in range(len(header))]
        columns = [[label, target] for label, target in zip(header, chosen, strict=True)]
        name, channel = request.POST.get("name", ""), request.POST.get("channel", "other")
        try:
            saved = mapping_save(
                actor=request.user,
                workspace=workspace,
                name=name,
                columns=columns,
                channel=channel,
                mapping=mapping,
            )
        except DomainError as exc:
            context.update(
                name=name,
                channel=channel,
                rows=list(zip(header, chosen, strict=True)),
                error=exc.message,
            )
            return render(request, "results/mapping.html", context, status=400)
        messages.success(request, f"Mapping “{saved.name}” saved; files with these columns use it.")
        if file_hash:
            url = reverse("results:import", kwargs={"ws": workspace.slug})
            batch = _batch(request)
            if batch:  # mapped from a drop: back to the drop, at this file's section
                return redirect(f"{url}?batch={batch}#file-{file_hash[:12]}")
            return redirect(f"{url}?preview={file_hash}")
        return redirect("results:mappings", ws=workspace.slug)
    return render(request, "results/mapping.html", context)


def _header(workspace: Workspace, file_hash: str, mapping: ColumnMapping | None) -> list[str]:
    if file_hash:
        header = file_header(services.staged_file(workspace, file_hash))
    elif mapping is not None:
        header = [str(label) for label, _ in mapping.columns]
    else:
        raise DomainError("Choose the file whose columns to map.", field="file")
    if len(header) > MAX_COLUMNS:
        raise DomainError(f"The file has {len(header)} columns; at most {MAX_COLUMNS} are mapped.")
    return header

"""Column mappings: saved, found again by a file's header, and turned into reader specs."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from headway.accounts.models import User
from headway.activity.models import Verb
from headway.activity.services import event_record
from headway.core.bounds import OutOfBounds, check_text
from headway.core.errors import DomainError
from headway.results.mapping_models import ColumnMapping
from headway.results.models import Source
from headway.results.report import CHANNEL_LABELS
from headway.results.sources.base import METRICS, ImportFormatError, norm
from headway.results.sources.mapped import (
    CAMPAIGN,
    DAY,
    IGNORE,
    PERIOD_END,
    PERIOD_START,
    TARGETS,
    MappingSpec,
    header_of,
    signature,
)
from headway.workspaces.models import Workspace

SOURCE_PREFIX = "x:"


def source_key(name: str) -> str:
    """The source rows of a mapped file are stored under: the same name is the same source,
    so a later file of the same period replaces its rows."""
    return (SOURCE_PREFIX + slugify(name))[:30]


def source_labels(workspace: Workspace) -> dict[str, str]:
    """Every source's label: the readers' own, and each mapping's name under its key."""
    labels = dict(Source.choices)
    for name in ColumnMapping.objects.filter(workspace=workspace).values_list("name", flat=True):
        labels.setdefault(source_key(name), name)
    return labels


def spec_of(mapping: ColumnMapping) -> MappingSpec:
    return MappingSpec(
        source=source_key(mapping.name),
        label=mapping.name,
        columns=tuple((str(h), str(t)) for h, t in mapping.columns),
        channel=mapping.channel,
    )


def file_header(data: bytes) -> list[str]:
    """The header a file's mapping step shows (a clear error when there is none)."""
    try:
        return header_of(data)[1]
    except ImportFormatError as exc:
        raise DomainError(str(exc), field="file", code="invalid_file") from exc


def mapping_remembered(workspace: Workspace, data: bytes) -> ColumnMapping | None:
    """The mapping saved for this file's header, if the team mapped it before."""
    try:
        _, header = header_of(data)
    except ImportFormatError:
        return None
    return ColumnMapping.objects.filter(workspace=workspace, signature=signature(header)).first()


def mapping_get(workspace: Workspace, mapping_id: int) -> ColumnMapping:
    mapping = ColumnMapping.objects.filter(workspace=workspace, pk=mapping_id).first()
    if mapping is None:
        raise DomainError("No column mapping with this id in this workspace.", field="mapping")
    return mapping


def mapping_named(workspace: Workspace, name: str, data: bytes | None = None) -> ColumnMapping:
    """A mapping by its name; when several share it, the one for this file's header."""
    found = list(ColumnMapping.objects.filter(workspace=workspace, name__iexact=name.strip()))
    if data is not None and len(found) > 1:
        remembered = mapping_remembered(workspace, data)
        if remembered is not None and remembered in found:
            return remembered
    if not found:
        raise DomainError(f"No column mapping named “{name}” in this workspace.", field="mapping")
    return found[0]


def _text(value: object, field: str) -> str:
    try:
        return check_text(str(value))
    except OutOfBounds as exc:
        raise DomainError(str(exc), field=field) from exc


def _clean_columns(columns: Any) -> list[list[str]]:
    if not isinstance(columns, list | dict) or not columns:
        raise DomainError("Map the file's columns: a list of [column, target].", field="columns")
    pairs = list(columns.items()) if isinstance(columns, dict) else columns
    out: list[list[str]] = []
    seen: set[str] = set()
    for pair in pairs:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise DomainError("Each column is a pair [column, target].", field="columns")
        label, target = (_text(pair[0], "columns").strip()[:255], str(pair[1]))
        if target not in TARGETS:
            raise DomainError(
                f"“{label}”: “{target}” is not something Headway reads; choose one of "
                + ", ".join(TARGETS)
                + ".",
                field="columns",
            )
        if target != IGNORE and target in seen:
            raise DomainError(
                f"Two columns are mapped to {TARGETS[target]}; map one.", field="columns"
            )
        seen.add(target)
        out.append([label, target])
    if CAMPAIGN not in seen:
        raise DomainError("Map one column to the campaign name.", field="columns")
    if DAY not in seen and PERIOD_START not in seen:
        raise DomainError("Map a column to the day, or to the period start.", field="columns")
    if DAY in seen and (PERIOD_START in seen or PERIOD_END in seen):
        raise DomainError("Map either a day or a period start and end, not both.", field="columns")
    if not seen & set(METRICS):
        raise DomainError("Map at least one column to a metric (spend, clicks…).", field="columns")
    return out


def _clean_name(name: str) -> str:
    name = " ".join(_text(name, "name").split())
    if not name or not slugify(name):
        raise DomainError("Name the source the file comes from, e.g. TikTok Ads.", field="name")
    if len(name) > 60:
        raise DomainError("At most 60 characters.", field="name")
    return name


@transaction.atomic
def mapping_save(
    *,
    actor: User | None,
    workspace: Workspace,
    name: str,
    columns: Any,
    channel: str = "other",
    mapping: ColumnMapping | None = None,
) -> ColumnMapping:
    """Save a mapping (new, or an existing one changed); its header is remembered, so the
    next file with the same columns is read with it."""
    name = _clean_name(name)
    pairs = _clean_columns(columns)
    if channel not in CHANNEL_LABELS:
        raise DomainError("Choose the channel the source's rows belong to.", field="channel")
    sig = signature([label for label, _ in pairs])
    clash = ColumnMapping.objects.filter(workspace=workspace, signature=sig)
    if mapping is not None:
        clash = clash.exclude(pk=mapping.pk)
    if clash.exists():
        raise DomainError(
            f"These columns are mapped already (“{clash.first()}”); change that mapping.",
            field="columns",
        )
    before = None if mapping is None else mapping.name
    if mapping is None:
        mapping = ColumnMapping(workspace=workspace, created_by=actor)
    mapping.name, mapping.columns, mapping.channel, mapping.signature = name, pairs, channel, sig
    mapping.save()
    event_record(
        actor=actor,
        verb=Verb.CREATED if before is None else Verb.UPDATED,
        obj=mapping,
        workspace=workspace,
        changes={"name": [before, name]},
    )
    return mapping


@transaction.atomic
def mapping_delete(*, actor: User | None, mapping: ColumnMapping) -> None:
    """Forget a mapping (rows stored with it stay)."""
    event_record(
        actor=actor,
        verb=Verb.DELETED,
        obj=mapping,
        workspace=mapping.workspace,
        changes={"name": [mapping.name, None]},
    )
    mapping.delete()


def mapping_from_field(workspace: Workspace, value: str) -> MappingSpec | ColumnMapping:
    """The API's `mapping` field: a saved mapping's id, or a mapping as JSON
    (`{"name": ..., "columns": [[column, target], ...], "channel": ...}`) used once."""
    value = value.strip()
    if value.isdigit():
        return mapping_get(workspace, int(value))
    try:
        body = json.loads(value)
    except ValueError:
        raise DomainError(
            "`mapping` is a mapping id or a JSON object with name and columns.", field="mapping"
        ) from None
    if not isinstance(body, dict):
        raise DomainError("`mapping` JSON is an object with name and columns.", field="mapping")
    name = _clean_name(str(body.get("name", "")))
    channel = str(body.get("channel", "other"))
    if channel not in CHANNEL_LABELS:
        raise DomainError("Choose the channel the source's rows belong to.", field="channel")
    pairs = _clean_columns(body.get("columns"))
    return MappingSpec(source_key(name), name, tuple((h, t) for h, t in pairs), channel)


def header_targets(header: list[str], mapping: ColumnMapping | None) -> list[tuple[str, str]]:
    """Each header column with its current target (for the mapping step's form)."""
    known = {norm(h): t for h, t in (mapping.columns if mapping else [])}
    return [(label, known.get(norm(label), _guess(label))) for label in header]


def _guess(label: str) -> str:
    """A first suggestion for a column, from its name (the user confirms every column)."""
    text = norm(label).replace(" ", "_")
    for metric in METRICS:
        if text == metric or text == metric + "s" or text.startswith(metric + "_("):
            return metric
    words = norm(label)
    if "campaign" in words and "id" not in words.split():
        return CAMPAIGN
    if words in ("date", "day", "datum", "fecha"):
        return DAY
    if "currency" in words:
        return "currency"
    if "cost" in words or "spend" in words or "spent" in words:
        return "spend"
    return IGNORE

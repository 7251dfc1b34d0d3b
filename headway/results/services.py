"""Writes for imports: preview (stores nothing), store (all-or-nothing), rules and assignments.

A file is stored once (by its SHA-256); a file whose period overlaps rows stored earlier from
the same source replaces them (platforms revise late conversions), never adds to them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from headway.accounts.models import User
from headway.activity.models import Verb
from headway.activity.services import event_record
from headway.core.bounds import OutOfBounds, check_text
from headway.core.errors import DomainError
from headway.planning.models import Campaign
from headway.results import selectors
from headway.results.bulk import copy_text, insert_rows
from headway.results.crm import crm_store
from headway.results.mapping import mapping_remembered, spec_of
from headway.results.mapping_models import ColumnMapping
from headway.results.matching import Match, Matcher
from headway.results.models import Import, MatchKind, MatchRule, ResultRow
from headway.results.sources import (
    ImportFormatError,
    MappingSpec,
    ParsedFile,
    Row,
    TotalsRow,
    UnknownLayout,
    read,
    stream,
)
from headway.results.sources.base import METRICS, MONEY_METRICS, CampaignSummary, FileInfo
from headway.workspaces.models import Workspace

logger = logging.getLogger("headway.results")
MAX_FILE_BYTES = 200 * 1024 * 1024
_DECIMAL_METRICS = frozenset({"spend", "conversions", "conversion_value", "revenue", "key_events"})
_DECIMAL_LIMIT = Decimal("1e14")
_INT_LIMIT = 2**63 - 1


@dataclass
class PreviewCampaign:
    summary: CampaignSummary
    match: Match


@dataclass
class Preview:
    """What storing the file would do: nothing is stored to compute it."""

    parsed: ParsedFile
    file_name: str
    file_hash: str
    campaigns: list[PreviewCampaign]
    already_imported: Import | None
    replaces: int
    problems: list[str] = field(default_factory=list)
    #: the saved column mapping the file was read with, and whether it was found by its header
    mapping: ColumnMapping | None = None
    mapping_remembered: bool = False

    @property
    def matched(self) -> list[PreviewCampaign]:
        return [c for c in self.campaigns if c.match.campaign_id is not None]

    @property
    def unmatched(self) -> list[PreviewCampaign]:
        return [c for c in self.campaigns if c.match.campaign_id is None and c.summary.campaign]

    @property
    def unattributed(self) -> list[PreviewCampaign]:
        """Rows naming no campaign at all (direct traffic, untagged contacts)."""
        return [c for c in self.campaigns if not c.summary.campaign]

    def as_json(self) -> dict[str, Any]:
        parsed = self.parsed
        return {
            "source": parsed.source,
            "source_label": parsed.info.label,
            "rows": parsed.rows_count,
            "period": {
                "start": parsed.period_start.isoformat() if parsed.period_start else None,
                "end": parsed.period_end.isoformat() if parsed.period_end else None,
            },
            "currency": parsed.info.currency or None,
            "totals": {k: figure(k, v) for k, v in parsed.totals.items()},
            "totals_rows": [
                {
                    "line": t.line,
                    "label": t.label,
                    "totals": {k: figure(k, v) for k, v in t.metrics},
                }
                for t in parsed.totals_rows
            ],
            "matched": [_campaign_json(c) for c in self.matched],
            "unmatched": [_campaign_json(c) for c in self.unmatched],
            "unattributed_rows": sum(c.summary.rows for c in self.unattributed),
            "already_imported": self.already_imported is not None,
            "replaces_rows": self.replaces,
            "notes": list(parsed.info.notes),
            "problems": self.problems,
            "mapping": None
            if self.mapping is None
            else {
                "id": self.mapping.pk,
                "name": self.mapping.name,
                "remembered": self.mapping_remembered,
            },
        }


def figure(metric: str, value: Decimal) -> int | float:
    """A metric for JSON: money to the cent, counts as integers."""
    if metric in MONEY_METRICS or value != value.to_integral_value():
        return float(value.quantize(Decimal("0.01")))
    return int(value)


def _campaign_json(c: PreviewCampaign) -> dict[str, Any]:
    s = c.summary
    out: dict[str, Any] = {
        "name": s.campaign,
        "channel": s.channel,
        "currency": s.currency or None,
        "rows": s.rows,
        "first_line": s.first_line,
        "totals": {k: figure(k, v) for k, v in s.totals.items()},
    }
    if c.match.campaign_id is not None:
        out["campaign"] = {"id": c.match.campaign_id, "name": c.match.campaign_name}
        out["reason"] = c.match.reason
    return out


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_size(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(
            f"The file is {len(data) / 1e6:,.0f} MB; at most {MAX_FILE_BYTES // 2**20} MB "
            "can be imported at once. Export a shorter period.",
            field="file",
        )


@contextmanager
def _readable() -> Iterator[None]:
    """Reading errors as the user's bad input: what and where, or an unforeseen layout."""
    try:
        yield
    except OutOfBounds:
        raise
    except UnknownLayout as exc:
        raise DomainError(str(exc), field="file", code="unknown_layout") from exc
    except ImportFormatError as exc:
        raise DomainError(str(exc), field="file", code="invalid_file") from exc
    except (ValueError, IndexError, KeyError, AssertionError) as exc:
        # A layout the readers did not foresee: refused as bad input, logged to be looked at.
        logger.exception("Unreadable export")
        raise DomainError(
            "The file's layout is not one Headway can read; export the report again as CSV.",
            field="file",
            code="invalid_file",
        ) from exc


def _read(data: bytes, spec: MappingSpec | None = None) -> ParsedFile:
    _check_size(data)
    with _readable():
        return read(data, mapping=spec)


MappingArg = ColumnMapping | MappingSpec | None


def _given(mapping: MappingArg) -> MappingSpec | None:
    if isinstance(mapping, ColumnMapping):
        return spec_of(mapping)
    return mapping


def _read_mapped(data: bytes, spec: MappingSpec) -> ParsedFile:
    try:
        return _read(data, spec)
    except DomainError as exc:
        if exc.code != "invalid_file":
            raise
        raise DomainError(
            f"{exc.message} (Read with the column mapping “{spec.label}”: check the file, or "
            "change the mapping under Saved mappings.)",
            field=exc.field,
            code=exc.code,
        ) from exc


def _parse(
    workspace: Workspace, data: bytes, mapping: MappingArg
) -> tuple[ParsedFile, ColumnMapping | None, bool]:
    """The file read with the mapping given, else by its reader, else (a layout no reader
    knows) with the mapping remembered for its header; with the saved mapping used and
    whether it was remembered."""
    spec = _given(mapping)
    if spec is not None:
        saved = mapping if isinstance(mapping, ColumnMapping) else None
        return _read_mapped(data, spec), saved, False
    try:
        return _read(data), None, False
    except DomainError as exc:
        remembered = mapping_remembered(workspace, data) if exc.code == "unknown_layout" else None
        if remembered is None:
            raise
    return _read_mapped(data, spec_of(remembered)), remembered, True


def import_preview(
    *, workspace: Workspace, data: bytes, file_name: str = "", mapping: MappingArg = None
) -> Preview:
    """Read a file and say what storing it would do: source, period, totals, matches."""
    _check_size(data)
    parsed, saved, remembered = _parse(workspace, data, mapping)
    file_hash = _hash(data)
    matcher = selectors.matcher_for(workspace)
    campaigns = [
        PreviewCampaign(s, matcher.match(s.campaign))
        for s in sorted(parsed.campaigns.values(), key=lambda s: s.first_line)
    ]
    info = parsed.info
    replaces = selectors.rows_in_period(
        workspace, parsed.source, parsed.period_start, parsed.period_end, info.scope_campaigns
    ).count()
    problems = []
    if parsed.rows_count == 0:
        problems.append("The file holds no data rows; storing it changes nothing.")
    if len(parsed.currencies) > 1:
        problems.append(
            "Rows are in several currencies ("
            + ", ".join(c or "none" for c in parsed.currencies)
            + "); each row keeps its own."
        )
    return Preview(
        parsed,
        file_name,
        file_hash,
        campaigns,
        selectors.import_by_hash(workspace, file_hash),
        replaces,
        problems,
        saved,
        remembered,
    )


@dataclass
class Stored:
    import_: Import
    created: bool  # False when the same file had been imported already


@transaction.atomic
def import_store(
    *,
    actor: User | None,
    workspace: Workspace,
    data: bytes,
    file_name: str = "",
    mapping: MappingArg = None,
) -> Stored:
    """Store a file's rows, all or nothing: the same file again changes nothing, an
    overlapping period of the same source replaces the rows stored for it.

    The file is read once, streaming: rows are inserted in batches as they are parsed (the
    transaction undoes them if a later line is refused), the totals are summed on the way."""
    file_hash = _hash(data)
    existing = selectors.import_by_hash(workspace, file_hash)
    if existing is not None:
        return Stored(existing, False)
    _check_size(data)
    spec = _given(mapping)
    with _readable():
        try:
            info, items = stream(data, spec)
        except UnknownLayout:
            remembered = mapping_remembered(workspace, data) if spec is None else None
            if remembered is None:
                raise
            info, items = stream(data, spec_of(remembered))
        replaced = 0
        if info.period_start is not None and info.period_end is not None:
            # the period is known before the rows: the rows it replaces go first, so the
            # query does not walk the new rows to leave them out (1.8 s at a million rows)
            replaced = _replace_period(workspace, info, info.period_start, info.period_end)
        imp = Import.objects.create(
            workspace=workspace,
            source=info.source,
            file_name=within_text(file_name, 255),
            file_hash=file_hash,
            currency=info.currency[:3],
            created_by=actor,
        )
        parsed = ParsedFile(info)
        writer = _RowWriter(imp, info, selectors.matcher_for(workspace))
        _insert_rows(writer, _counted(items, parsed))
    parsed.totals = parsed.ordered_totals()
    if parsed.period_start != info.period_start or parsed.period_end != info.period_end:
        # rows without a day cover the period, known only once every row was read
        ResultRow.objects.filter(source_import=imp, day__isnull=True).update(
            period_start=parsed.period_start, period_end=parsed.period_end
        )
    if info.period_start is None or info.period_end is None:
        replaced = _replace_period(
            workspace, info, parsed.period_start, parsed.period_end, leave=imp
        )
    imp.period_start, imp.period_end = parsed.period_start, parsed.period_end
    imp.rows_count, imp.replaced_rows = parsed.rows_count, replaced
    imp.totals = {k: str(v) for k, v in parsed.totals.items()}
    imp.save(update_fields=["period_start", "period_end", "rows_count", "replaced_rows", "totals"])
    crm_store(imp, data)  # contacts, deals and touches for attribution (HubSpot files)
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=imp,
        workspace=workspace,
        changes={
            "source": [None, imp.source],
            "rows": [None, imp.rows_count],
            "replaced_rows": [None, replaced],
        },
    )
    return Stored(imp, True)


def _replace_period(
    workspace: Workspace,
    info: FileInfo,
    start: dt.date | None,
    end: dt.date | None,
    *,
    leave: Import | None = None,
) -> int:
    """Delete the stored rows of the file's source (and campaigns, for a single-campaign
    report) in start..end, except the import `leave`'s own; how many."""
    rows = selectors.rows_in_period(workspace, info.source, start, end, info.scope_campaigns)
    if leave is not None:
        rows = rows.exclude(source_import=leave)
    return rows.delete()[0]


def within_text(value: str, limit: int) -> str:
    return value.replace("\x00", "")[:limit]


def _counted(items: Iterator[Row | TotalsRow], parsed: ParsedFile) -> Iterator[Row]:
    """The data rows, counted and summed into `parsed` as they pass (totals rows kept apart)."""
    for item in items:
        if isinstance(item, Row):
            parsed.add(item, 0)
            yield item
        else:
            parsed.totals_rows.append(item)


_CENT = Decimal("0.01")


class _RowWriter:
    """Rows as value tuples in `columns` order, adapted for the database and checked against
    what its columns hold (the first row that does not fit stops the import); what is the
    same in every row is in `fixed`. What depends only on the campaign name (its match, its
    currency, its checks) is worked out once per distinct name, a day's text once per day,
    and how each metric is adapted once per file.

    On SQLite, money goes in as a float of the amount to the cent: SQLite stores the text of
    a Decimal in a decimal column as the same REAL (or INTEGER when whole); binding the float
    skips that text's parsing (checked for every cent amount up to 20,000.00 and two million
    random ones up to 10^14: identical values and types)."""

    def __init__(self, imp: Import, info: FileInfo, matcher: Matcher) -> None:
        ops = connection.ops
        stamp = ops.adapt_datetimefield_value(imp.created_at)
        carried = tuple(m for m in METRICS if m in info.metrics) if info.metrics else METRICS
        self.fixed: dict[str, Any] = {
            "created_at": stamp,
            "updated_at": stamp,
            "workspace_id": imp.workspace_id,
            "source_import_id": imp.pk,
            "source": imp.source,
            **{m: 0 for m in METRICS if m not in carried},
        }
        self.columns = (
            "line",
            "day",
            "period_start",
            "period_end",
            "campaign_name",
            "detail",
            "campaign_id",
            "channel",
            "currency",
            *carried,
        )
        self._date = ops.adapt_datefield_value
        self._start, self._end = self._date(info.period_start), self._date(info.period_end)
        self._currency = info.currency
        self._matcher = matcher
        self._campaigns = dict(
            Campaign.objects.filter(workspace_id=imp.workspace_id).values_list("pk", "currency")
        )
        self._names: dict[tuple[str, str, str, str], tuple[Any, ...]] = {}
        self._days: dict[dt.date, tuple[Any, Any, Any]] = {}
        #: metric -> (its place among the carried ones, whether it holds decimals)
        self._slot = {name: (k, name in _DECIMAL_METRICS) for k, name in enumerate(carried)}
        self._width = len(carried)
        #: money to the cent as the database takes it (Django adapts decimals unchanged)
        self._money: Any = float if connection.vendor == "sqlite" else _unchanged
        self._counts: dict[Decimal, int] = {}  # whole numbers checked once

    def values(self, rows: Iterator[Row]) -> Iterator[tuple[Any, ...]]:
        names, days, date = self._names, self._days, self._date
        undated = (None, self._start, self._end)
        metrics = self._metrics
        for row in rows:
            key = (row.campaign, row.detail, row.channel, row.currency)
            named = names.get(key)
            if named is None:
                named = names[key] = self._named(row)
            day = row.day
            if day is None:
                dated = undated
            else:
                dated = days.get(day)  # type: ignore[assignment]
                if dated is None:
                    text = date(day)
                    dated = days[day] = (text, text, text)
            yield (row.line, *dated, *named, *metrics(row))

    def copy_lines(self, rows: Iterator[Row]) -> Iterator[str]:
        """The same rows as lines of PostgreSQL's COPY text format (tab-separated, \\N for
        null), each distinct name escaped once; decimals as their text to the cent."""
        undated = "\t".join(copy_text(v) for v in (None, self._start, self._end))
        texts: dict[tuple[str, str, str, str], str] = {}
        for row in rows:
            key = (row.campaign, row.detail, row.channel, row.currency)
            named = texts.get(key)
            if named is None:
                named = texts[key] = "\t".join(copy_text(v) for v in self._named(row))
            if row.day is None:
                dated = undated
            else:
                day = row.day.isoformat()
                dated = f"{day}\t{day}\t{day}"
            metrics = "\t".join(map(str, self._metrics(row)))
            yield f"{row.line}\t{dated}\t{named}\t{metrics}\n"

    def _named(self, row: Row) -> tuple[Any, ...]:
        for text in (row.campaign, row.detail):
            if len(text) > 255:
                raise DomainError(
                    f"Line {row.line}: the campaign name is longer than 255 characters.",
                    field="file",
                    code="invalid_file",
                )
            check_text(text.replace("\x00", ""))
        match = self._matcher.match(row.campaign)
        currency = row.currency or self._currency
        if not currency and match.campaign_id is not None:
            currency = self._campaigns.get(match.campaign_id, "")
        return (
            row.campaign.replace("\x00", ""),
            row.detail.replace("\x00", ""),
            match.campaign_id,
            row.channel[:30],
            currency[:3],
        )

    def _metrics(self, row: Row) -> list[Any]:
        out: list[Any] = [0] * self._width
        slot, counts, money = self._slot, self._counts, self._money
        for name, value in row.metrics:
            k, decimal = slot[name]
            if decimal:
                if not -_DECIMAL_LIMIT < value < _DECIMAL_LIMIT:
                    raise _too_big(row, name, value)
                out[k] = money(value.quantize(_CENT))
                continue
            count = counts.get(value)
            if count is None:
                if value != value.to_integral_value() or abs(value) > _INT_LIMIT:
                    raise DomainError(
                        f"Line {row.line}: {name} is {value}, which is not a whole number.",
                        field="file",
                        code="invalid_file",
                    )
                count = int(value)
                if len(counts) < 100_000:
                    counts[value] = count
            out[k] = count
        return out


def _unchanged(value: Decimal) -> Decimal:
    return value


def _too_big(row: Row, name: str, value: Decimal) -> DomainError:
    return DomainError(
        f"Line {row.line}: {name} {value} is larger than Headway can store.",
        field="file",
        code="invalid_file",
    )


def _insert_rows(writer: _RowWriter, rows: Iterator[Row]) -> None:
    """Insert in batches: executemany on SQLite, COPY on PostgreSQL (the ORM's bulk_create
    spends most of a large import preparing values one field at a time, ten times slower)."""
    insert_rows(
        ResultRow,
        writer.columns,
        writer.values(rows),
        copy_lines=writer.copy_lines(rows),
        fixed=writer.fixed,
    )


# -- a file between preview and confirmation ----------------------------------------------------


def _staged_path(workspace: Workspace, file_hash: str) -> str:
    if len(file_hash) != 64 or any(c not in "0123456789abcdef" for c in file_hash):
        raise DomainError("That previewed file is unknown; choose the file again.", field="file")
    return f"{STAGED_ROOT}/{workspace.pk}/{file_hash}"


STAGED_ROOT = "imports/staged"
STAGED_KEPT = dt.timedelta(days=1)


def staged_clean(now: dt.datetime | None = None) -> int:
    """Remove staged previews (of every workspace) older than STAGED_KEPT, which nobody
    confirmed or discarded; the number removed."""
    cutoff = (now or timezone.now()) - STAGED_KEPT
    removed = 0
    try:
        folders, _files = default_storage.listdir(STAGED_ROOT)
    except FileNotFoundError:
        return 0
    for folder in folders:
        _sub, files = default_storage.listdir(f"{STAGED_ROOT}/{folder}")
        for name in files:
            path = f"{STAGED_ROOT}/{folder}/{name}"
            try:
                if default_storage.get_modified_time(path) < cutoff:
                    default_storage.delete(path)
                    removed += 1
            except FileNotFoundError:  # removed meanwhile by another request
                continue
    return removed


def import_stage(*, workspace: Workspace, data: bytes) -> str:
    """Keep a previewed file until it is confirmed (by its hash), so it is not sent twice;
    previews older than a day are removed first (staged_clean)."""
    staged_clean()
    file_hash = _hash(data)
    path = _staged_path(workspace, file_hash)
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(data))
    return file_hash


def staged_file(workspace: Workspace, file_hash: str) -> bytes:
    path = _staged_path(workspace, file_hash)
    if not default_storage.exists(path):
        raise DomainError("The previewed file is no longer here; choose it again.", field="file")
    with default_storage.open(path, "rb") as handle:
        data: bytes = handle.read()
    return data


def staged_discard(workspace: Workspace, file_hash: str) -> None:
    default_storage.delete(_staged_path(workspace, file_hash))


# -- matching ---------------------------------------------------------------------------------


def _rematch(workspace: Workspace) -> int:
    """Give unmatched stored rows to the campaign the current rules name; the rows moved."""
    matcher = selectors.matcher_for(workspace)
    moved = 0
    names = (
        ResultRow.objects.filter(workspace=workspace, campaign__isnull=True)
        .exclude(campaign_name="")
        .values_list("campaign_name", flat=True)
        .distinct()
    )
    for name in list(names):
        match = matcher.match(name)
        if match.campaign_id is not None:
            moved += ResultRow.objects.filter(
                workspace=workspace, campaign__isnull=True, campaign_name=name
            ).update(campaign_id=match.campaign_id)
    return moved


def rows_rematch(workspace: Workspace, *, unmatched_only: bool = False) -> int:
    """Match every stored row again with the campaigns' current UTM values and platform
    names and the rules (after a campaign's were changed): rows a campaign no longer claims
    go to the one that does, or to none; the months they touch are summed again. The rows
    moved. `unmatched_only`: only rows no campaign claims (after a campaign was created)."""
    from headway.results.rollup_models import months_of_names, rollup_rebuild

    matcher = selectors.matcher_for(workspace)
    rows = ResultRow.objects.filter(workspace=workspace)
    if unmatched_only:
        rows = rows.filter(campaign__isnull=True)
    pairs = (
        rows.exclude(campaign_name="")
        .values_list("campaign_name", "campaign_id")
        .distinct()
        .order_by()
    )
    moved, names = 0, set()
    for name, current in list(pairs):
        wanted = matcher.match(name).campaign_id
        if wanted == current:
            continue
        these = rows.filter(campaign_name=name)
        these = (
            these.filter(campaign__isnull=True)
            if current is None
            else these.filter(campaign_id=current)
        )
        moved += these.update(campaign_id=wanted)
        names.add(name)
    if names:
        rollup_rebuild(workspace.pk, months_of_names(workspace.pk, names))
    return moved


def _campaign_of(workspace: Workspace, campaign_id: int) -> Campaign:
    campaign = Campaign.objects.filter(workspace=workspace, pk=campaign_id).first()
    if campaign is None:
        raise DomainError("Choose one of this workspace's campaigns.", field="campaign")
    return campaign


@transaction.atomic
def match_rule_create(
    *, actor: User | None, workspace: Workspace, campaign_id: int, kind: str, pattern: str
) -> MatchRule:
    """A rule for this and later imports: rows whose name matches belong to the campaign."""
    campaign = _campaign_of(workspace, campaign_id)
    pattern = " ".join(check_text(str(pattern)).split())
    if not pattern:
        raise DomainError("Write the name, or the start of the names, to match.", field="pattern")
    if len(pattern) > 255:
        raise DomainError("At most 255 characters.", field="pattern")
    if kind not in MatchKind.values:
        raise DomainError("Choose how names are matched.", field="kind")
    if MatchRule.objects.filter(workspace=workspace, kind=kind, pattern__iexact=pattern).exists():
        raise DomainError("A rule with this pattern exists already.", field="pattern")
    rule = MatchRule.objects.create(
        workspace=workspace, campaign=campaign, kind=kind, pattern=pattern, created_by=actor
    )
    moved = _rematch(workspace)
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=rule,
        workspace=workspace,
        changes={"campaign": [None, campaign.pk], "rows_matched": [None, moved]},
    )
    return rule


@transaction.atomic
def unmatched_assign(
    *, actor: User | None, workspace: Workspace, name: str, campaign_id: int
) -> MatchRule:
    """Assign rows by hand; remembered as an exact-name rule, so later imports match too."""
    existing = MatchRule.objects.filter(
        workspace=workspace, kind=MatchKind.EXACT, pattern__iexact=" ".join(name.split())
    ).first()
    if existing is not None:
        existing.campaign = _campaign_of(workspace, campaign_id)
        existing.save(update_fields=["campaign", "updated_at"])
        _rematch(workspace)
        return existing
    return match_rule_create(
        actor=actor,
        workspace=workspace,
        campaign_id=campaign_id,
        kind=MatchKind.EXACT,
        pattern=name,
    )

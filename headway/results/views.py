"""The import page: choose a file, see the preview, confirm, assign what matched nothing."""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString

from headway.core.bounds import OutOfBounds
from headway.core.errors import DomainError
from headway.core.http import WorkspaceRequest
from headway.core.markup import fragment, joined
from headway.insights import charts
from headway.insights.charts import Chart, Table
from headway.insights.views.flow import csv_or_page
from headway.results import selectors, services
from headway.results.attribution import latest_crm_day
from headway.results.forms import (
    MAX_FILES,
    AssignForm,
    MonthForm,
    RuleForm,
    StoreForm,
    UploadForm,
)
from headway.results.report import ContentLine, Line, channel_label
from headway.results.sources.base import MONEY_METRICS
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace

METRIC_LABELS = {
    "impressions": "Impressions",
    "clicks": "Clicks",
    "spend": "Spend",
    "conversions": "Conversions",
    "conversion_value": "Conv. value",
    "leads": "Leads",
    "qualified_leads": "Qualified leads",
    "deals": "Deals",
    "revenue": "Revenue",
    "sessions": "Sessions",
    "key_events": "Key events",
    "recipients": "Recipients",
    "opens": "Opens",
    "email_clicks": "Email clicks",
    "unsubscribes": "Unsubscribes",
}
_NAMES_KEY = "results_import_names"
_NAMES_KEPT = 20
_BATCHES_KEY = "results_import_batches"  # the files of each recent drop, by a random key
_BATCHES_KEPT = 5
_BATCH_GONE = "These files' previews are no longer here; choose the files again."
CHART_CONTENT = 12
CHART_CAMPAIGNS = 25
CONTENT_SHOWN = selectors.CONTENT_SHOWN  # rows of the content table; its CSV has them all


def _figure(metric: str, value: Decimal) -> str:
    if metric in MONEY_METRICS or value != value.to_integral_value():
        return f"{value.quantize(Decimal('0.01')):,}"
    return f"{int(value):,}"


def _preview_context(workspace: Workspace, preview: services.Preview) -> dict[str, Any]:
    """One file's preview section: its figures, matches, problems and what it replaces."""
    parsed = preview.parsed
    metrics = list(parsed.totals)

    def group(c: services.PreviewCampaign) -> dict[str, Any]:
        s = c.summary
        return {
            "name": s.campaign,
            "channel": s.channel.replace("_", " "),
            "rows": s.rows,
            "first_line": s.first_line,
            "figures": [_figure(m, s.totals.get(m, Decimal(0))) for m in metrics],
            "match": c.match,
        }

    return {
        "preview": preview,
        "columns": [METRIC_LABELS.get(m, m) for m in metrics],
        "totals": [(METRIC_LABELS.get(m, m), _figure(m, v)) for m, v in parsed.totals.items()],
        "totals_rows": [
            (
                t.line,
                t.label,
                ", ".join(f"{METRIC_LABELS.get(k, k)} {_figure(k, v)}" for k, v in t.metrics),
            )
            for t in parsed.totals_rows
        ],
        "matched": [group(c) for c in preview.matched],
        "unmatched": [group(c) for c in preview.unmatched],
        "unattributed": sum(c.summary.rows for c in preview.unattributed),
        # the files the replaced rows came from (not the layout being previewed)
        "replaced_from": selectors.replaced_imports(
            workspace,
            parsed.source,
            parsed.period_start,
            parsed.period_end,
            parsed.info.scope_campaigns,
        )
        if preview.replaces and not preview.already_imported
        else [],
    }


def _page_url(workspace: Workspace, file_hash: str = "", *, batch: str = "") -> str:
    url = reverse("results:import", kwargs={"ws": workspace.slug})
    if batch:
        anchor = f"#file-{file_hash[:12]}" if file_hash else ""
        return f"{url}?batch={batch}{anchor}"
    return f"{url}?preview={file_hash}" if file_hash else url


@workspace_view(internal_only=True)
def import_page(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    if not request.membership.role_enum.plans:
        raise PermissionDenied("Only owners, admins and managers import results.")
    campaigns = [(c.pk, c.name) for c in selectors.workspace_campaigns(workspace)]
    upload = UploadForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "preview":
            upload = UploadForm(request.POST, request.FILES)
            if upload.is_valid():
                files = upload.cleaned_data["file"]
                if len(files) > 1:
                    return redirect(_page_url(workspace, batch=_stage_many(request, workspace)))
                done = _stage(request, workspace, upload)
                if done.startswith("/"):  # a layout no reader knows: its mapping step
                    return redirect(done)
                if done:
                    return redirect(_page_url(workspace, done))
        elif action == "store":
            return _store(request, workspace)
        elif action == "store_all":
            return _store_many(request, workspace)
        elif action == "assign":
            return _assign(request, workspace, campaigns)
        elif action == "rule":
            return _rule(request, workspace, campaigns)
    context: dict[str, Any] = {
        "workspace": workspace,
        "upload": upload,
        "imports": selectors.recent_imports(workspace),
        "stored_unmatched": selectors.unmatched_names(workspace),
        "rule_form": RuleForm(campaigns=campaigns),
        "assign_form": AssignForm(campaigns=campaigns),
        "campaigns": campaigns,
        "rules": selectors.match_rules(workspace),
        "max_files": MAX_FILES,
    }
    file_hash = request.GET.get("preview", "")
    batch = _batch_key(request.GET.get("batch", ""))
    if file_hash and request.method == "GET":
        try:
            data = services.staged_file(workspace, file_hash)
            name = request.session.get(_NAMES_KEY, {}).get(file_hash, "")
            preview = services.import_preview(workspace=workspace, data=data, file_name=name)
            context["sections"] = [_preview_context(workspace, preview)]
        except DomainError as exc:
            messages.error(request, exc.message)
    elif batch and request.method == "GET":
        entries = _batch_entries(request, batch)
        if entries is None:
            messages.error(request, _BATCH_GONE)
        else:
            context.update(_batch_context(workspace, batch, entries))
    return render(request, "results/import.html", context)


@dataclass
class _Staged:
    """One chosen file after reading: its hash when kept for the preview (a layout no reader
    knows is kept too, for its mapping step), else the error that refused it."""

    name: str
    file_hash: str = ""
    error: str = ""
    unknown: bool = False


def _stage_file(request: WorkspaceRequest, workspace: Workspace, uploaded: Any) -> _Staged:
    name = str(uploaded.name)[:255]
    data = uploaded.read()
    if not data:
        return _Staged(name, error="The file is empty; export it again.")
    unknown = False
    try:
        services.import_preview(workspace=workspace, data=data, file_name=name)
    except DomainError as exc:
        unknown = exc.code == "unknown_layout"  # kept, for the mapping step
        if not unknown:
            return _Staged(name, error=exc.message)
    except OutOfBounds as exc:
        return _Staged(name, error=str(exc))
    file_hash = services.import_stage(workspace=workspace, data=data)
    names = dict(request.session.get(_NAMES_KEY, {}))
    names.pop(file_hash, None)  # the newest name last, so it is kept longest
    names[file_hash] = name
    request.session[_NAMES_KEY] = dict(list(names.items())[-_NAMES_KEPT:])
    return _Staged(name, file_hash, unknown=unknown)


def _mapping_url(workspace: Workspace, file_hash: str, batch: str = "") -> str:
    """The mapping step of a file; from a drop (`batch`), it comes back to the drop."""
    url = reverse("results:mapping-new", kwargs={"ws": workspace.slug}) + f"?file={file_hash}"
    return f"{url}&batch={batch}" if batch else url


def _stage(request: WorkspaceRequest, workspace: Workspace, upload: UploadForm) -> str:
    """The only file of a drop: its hash, its mapping step's address, or "" with the error
    on the form."""
    staged = _stage_file(request, workspace, upload.cleaned_data["file"][0])
    if staged.error:
        upload.add_error("file", staged.error)
        return ""
    if staged.unknown:
        return _mapping_url(workspace, staged.file_hash)
    return staged.file_hash


def _stage_many(request: WorkspaceRequest, workspace: Workspace) -> str:
    """Reads each file of a drop in turn, in the order dropped; keeps the list (hash or
    error by file name) in the session; returns its key for the page's address."""
    entries: list[dict[str, str]] = []
    seen: dict[str, str] = {}
    for uploaded in request.FILES.getlist("file"):
        staged = _stage_file(request, workspace, uploaded)
        entry = {"name": staged.name, "hash": staged.file_hash, "error": staged.error}
        if staged.file_hash in seen:
            entry = {**entry, "hash": "", "error": f"The same file as {seen[staged.file_hash]}."}
        elif staged.file_hash:
            seen[staged.file_hash] = staged.name
        entries.append(entry)
    batch = secrets.token_hex(8)
    batches = dict(request.session.get(_BATCHES_KEY, {}))
    batches[batch] = entries
    request.session[_BATCHES_KEY] = dict(list(batches.items())[-_BATCHES_KEPT:])
    return batch


def _batch_key(value: str) -> str:
    """A drop's key as _stage_many made it, else "" (it goes into the page's address)."""
    return value if len(value) == 16 and all(c in "0123456789abcdef" for c in value) else ""


def _batch_entries(request: WorkspaceRequest, batch: str) -> list[dict[str, str]] | None:
    entries = request.session.get(_BATCHES_KEY, {}).get(batch)
    return list(entries) if isinstance(entries, list) else None


def _batch_section(workspace: Workspace, entry: dict[str, str], batch: str) -> dict[str, Any]:
    """One dropped file on the page: its preview, or why it has none (refused, stored
    meanwhile, or a layout whose columns need mapping)."""
    name, file_hash = entry["name"], entry["hash"]
    section: dict[str, Any] = {"name": name, "file_hash": file_hash, "anchor": file_hash[:12]}
    if entry["error"]:
        return {**section, "refused": entry["error"]}
    try:
        data = services.staged_file(workspace, file_hash)
    except DomainError as exc:
        stored = selectors.import_by_hash(workspace, file_hash)
        return {**section, "stored": stored} if stored else {**section, "refused": exc.message}
    try:
        preview = services.import_preview(workspace=workspace, data=data, file_name=name)
    except DomainError as exc:
        if exc.code == "unknown_layout":
            return {**section, "mapping_url": _mapping_url(workspace, file_hash, batch)}
        return {**section, "refused": exc.message}
    except OutOfBounds as exc:
        return {**section, "refused": str(exc)}
    return {**section, **_preview_context(workspace, preview)}


def _storable(section: dict[str, Any]) -> bool:
    preview = section.get("preview")
    return bool(preview and not preview.already_imported and preview.parsed.rows_count)


def _replaces_rows_of(earlier: services.Preview, later: services.Preview) -> bool:
    """Whether storing `later` after `earlier` replaces rows `earlier` stored: the same source
    over an overlapping period (and, for a single-campaign report, a campaign both hold)."""
    a, b = earlier.parsed, later.parsed
    if a.source != b.source:
        return False
    a_start, a_end, b_start, b_end = a.period_start, a.period_end, b.period_start, b.period_end
    if a_start is None or a_end is None or b_start is None or b_end is None:
        return False
    if a_start > b_end or b_start > a_end:
        return False
    scope = b.info.scope_campaigns
    return not scope or bool(set(scope) & {s.campaign for s in a.campaigns.values()})


def _mark_overlaps(sections: list[dict[str, Any]]) -> None:
    """Names, beside a file to store, the files of the same drop stored before it whose rows
    it would replace: storing both keeps only the later file's rows for that period."""
    storable = [s for s in sections if _storable(s)]
    for at, later in enumerate(storable):
        later["replaces_in_drop"] = [
            earlier["name"]
            for earlier in storable[:at]
            if _replaces_rows_of(earlier["preview"], later["preview"])
        ]


def _batch_context(
    workspace: Workspace, batch: str, entries: list[dict[str, str]]
) -> dict[str, Any]:
    sections = [_batch_section(workspace, e, batch) for e in entries]
    _mark_overlaps(sections)
    return {
        "batch": batch,
        "sections": sections,
        "storable": [s for s in sections if _storable(s)],
    }


def _stored_message(stored: services.Stored) -> str:
    imp = stored.import_
    if not stored.created:
        return "This file was imported before; nothing changed."
    replaced = (
        f"; {imp.replaced_rows:,} earlier rows of that period replaced" if imp.replaced_rows else ""
    )
    return f"Stored {imp.rows_count:,} rows from {imp.get_source_display()}{replaced}."


def _store(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    form = StoreForm(request.POST)
    batch = _batch_key(request.POST.get("batch", ""))
    if not form.is_valid():
        messages.error(request, "Choose the file again: the preview was not found.")
        return redirect(_page_url(workspace))
    file_hash = form.cleaned_data["file_hash"]
    name = request.session.get(_NAMES_KEY, {}).get(file_hash, "")
    back = _page_url(workspace, file_hash, batch=batch) if batch else _page_url(workspace)
    try:
        data = services.staged_file(workspace, file_hash)
        stored = services.import_store(
            actor=request.user, workspace=workspace, data=data, file_name=name
        )
    except DomainError as exc:
        messages.error(request, f"{name}: {exc.message}" if batch and name else exc.message)
        return redirect(back)
    services.staged_discard(workspace, file_hash)
    message = _stored_message(stored)
    messages.success(request, f"{name}: {message}" if batch and name else message)
    return redirect(back)


def _store_many(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Stores the drop's files the preview showed as storable, each all or nothing in turn: a
    file the store refuses is named with its error and the others stay stored."""
    batch = _batch_key(request.POST.get("batch", ""))
    entries = _batch_entries(request, batch)
    if entries is None:
        messages.error(request, _BATCH_GONE)
        return redirect(_page_url(workspace))
    chosen = set(request.POST.getlist("file_hash"))
    stored: list[str] = []
    refused: list[str] = []
    before: list[str] = []
    for entry in entries:
        name, file_hash = entry["name"], entry["hash"]
        if not file_hash or file_hash not in chosen:
            continue
        if selectors.import_by_hash(workspace, file_hash) is not None:
            before.append(name)  # stored meanwhile (its own button, or the form sent twice)
            continue
        try:
            data = services.staged_file(workspace, file_hash)
            result = services.import_store(
                actor=request.user, workspace=workspace, data=data, file_name=name
            )
        except DomainError as exc:
            refused.append(f"{name}: {exc.message}")
            continue
        except OutOfBounds as exc:
            refused.append(f"{name}: {exc}")
            continue
        services.staged_discard(workspace, file_hash)
        stored.append(f"{name}: {_stored_message(result)}")
    if stored or refused:
        not_stored = f"; {_files(len(refused))} not stored" if refused else ""
        summary = f"Stored {_files(len(stored))}{not_stored}."
        (messages.success if stored else messages.error)(request, summary)
    for done in stored:
        messages.success(request, done)
    for problem in refused:
        messages.error(request, f"Not stored, {problem}")
    if before:
        messages.info(request, "Stored before, nothing changed: " + ", ".join(before) + ".")
    if not stored and not refused and not before:
        messages.error(request, "None of these files is left to store.")
    return redirect(_page_url(workspace, batch=batch))


def _files(count: int) -> str:
    return f"{count} file{'s' if count != 1 else ''}"


def _assign(
    request: WorkspaceRequest, workspace: Workspace, campaigns: list[tuple[int, str]]
) -> HttpResponse:
    form = AssignForm(request.POST, campaigns=campaigns)
    file_hash = request.POST.get("file_hash", "")
    batch = _batch_key(request.POST.get("batch", ""))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.unmatched_assign(
                actor=request.user, workspace=workspace, name=d["name"], campaign_id=d["campaign"]
            )
            messages.success(
                request, f"“{d['name']}” now belongs to its campaign, in this and later imports."
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        file_hash = d.get("file_hash") or ""
    else:
        messages.error(request, "Choose the campaign these rows belong to.")
    file_hash = file_hash if len(file_hash) == 64 else ""
    if batch:
        return redirect(_page_url(workspace, file_hash, batch=batch))
    return redirect(_page_url(workspace, file_hash))


def _rule(
    request: WorkspaceRequest, workspace: Workspace, campaigns: list[tuple[int, str]]
) -> HttpResponse:
    form = RuleForm(request.POST, campaigns=campaigns)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.match_rule_create(
                actor=request.user,
                workspace=workspace,
                campaign_id=d["campaign"],
                kind=d["kind"],
                pattern=d["pattern"],
            )
            messages.success(
                request, "Rule added; stored rows it matches now belong to the campaign."
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "A rule needs the text to match and a campaign.")
    return redirect(_page_url(workspace))


def _conversion(line: Line) -> str:
    """How a line's money was converted, and what was not (for its CSV row)."""
    kept = [
        f"{metric} {_money(value)} {code} not converted (no rate for the month)"
        for code, money in sorted(line.apart.items())
        for metric, value in money.items()
    ]
    return "; ".join([*line.notes, *kept, *([line.budget_note] if line.budget_note else [])])


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value.quantize(Decimal('0.01'))}"


def _count(value: Decimal) -> int:
    return int(value)


def _n(value: Decimal | None, places: int = 0) -> str:
    """A figure for the page, grouped by thousands ("12,345.60"); a dash when there is none.
    Formatted here: the template filters cost a locale lookup per figure."""
    if value is None:
        return "—"
    return f"{value:,.{places}f}"


def _in(value: Decimal | None, currency: str) -> str:
    """Money for the page, with its currency (none to name beside a dash)."""
    return "—" if value is None else f"{_n(value, 2)} {currency}".strip()


def _shown(line: Line, report_currency: str = "") -> dict[str, Any]:
    f = line.figures
    roi = f"{line.roi * 100:,.0f}%" if line.roi is not None else "—"
    currency = line.currency or report_currency
    return {
        "line": line,
        "spend": _in(f["spend"], currency),
        "impressions": _n(f["impressions"]),
        "clicks": _n(f["clicks"]),
        "leads": _n(f["leads"]),
        "qualified_leads": _n(f["qualified_leads"]),
        "cpl": _in(line.cpl, currency),
        "cpq": _in(line.cost_per_qualified, currency),
        "deals": _n(f["deals"]),
        "revenue": _in(f["revenue"], currency),
        "roas": _n(line.roas, 2),
        "roi": roi,
        "sessions": _n(f["sessions"]),
        "currency_notes": line.notes,
        "apart": [
            ", ".join(f"{metric} {_n(value, 2)} {code}" for metric, value in kept.items())
            for code, kept in sorted(line.apart.items())
        ],
    }


_NOT_SUMMED = (
    '<br><span class="help bad currency-apart" title="Not summed: enter the month\'s rate '
    'on the currency rates page">+ {}, not converted: no rate for the month</span>'
)
_NOTE = '<br><span class="help currency-note">{}</span>'
_CELLS = (
    "impressions",
    "clicks",
    "leads",
    "qualified_leads",
    "cpl",
    "cpq",
    "deals",
    "revenue",
    "roas",
)


def _budget(value: Decimal | None) -> str:
    """As the template's floatformat:"-2g" (two places unless whole, grouped by thousands)."""
    if value is None:
        return ""
    rounded = value.quantize(Decimal("0.01"))
    if rounded == rounded.to_integral_value():
        return f"{int(rounded):,}"
    return f"{rounded:,}"


def _campaign_row(r: dict[str, Any], campaign_base: str, import_url: str) -> SafeString:
    """One row of the by-campaign table, as the template wrote it: built with
    core.markup (every value escaped) because a month can hold hundreds of campaigns and the
    template engine spent most of the page's time on their cells."""
    line: Line = r["line"]
    if line.campaign_id:
        first = fragment('<a href="{}{}/">{}</a>', campaign_base, line.campaign_id, line.label)
        if line.channel_label:
            first = joined(
                [first, fragment(' <span class="muted">· {}</span>', line.channel_label)]
            )
    else:
        first = fragment(
            '<a href="{}">{}</a> <span class="muted">(assign on the import page)</span>',
            import_url,
            line.label,
        )
    notes = joined(
        [fragment(_NOTE, note) for note in r["currency_notes"]]
        + [fragment(_NOT_SUMMED, kept) for kept in r["apart"]]
    )
    roi = [str(r["roi"])]
    if line.roi is not None:
        roi.append(
            fragment(
                ' <span class="muted">of {} {}</span>', _budget(line.budget), line.budget_currency
            )
        )
    if line.budget_note:
        roi.append(fragment(_NOTE, line.budget_note))
    cells = joined([fragment("<td>{}</td>", str(r[k])) for k in _CELLS])
    return fragment(
        "<tr>\n      <td>{}</td>\n      <td>{}{}\n</td>{}<td>{}</td><td>{}</td></tr>",
        first,
        str(r["spend"]),
        notes,
        cells,
        joined(roi),
        str(r["sessions"]),
    )


def _content_shown(c: ContentLine, report_currency: str = "") -> dict[str, Any]:
    f = c.figures
    conversions = c.conversions
    currency = c.currency or report_currency
    return {
        "c": c,
        "clicks": _n(f["clicks"]),
        "spend": _in(f["spend"], currency),
        "conversions": _n(conversions, 0 if conversions == int(conversions) else 2),
        "conversion_value": _in(f["conversion_value"], currency),
        "email_clicks": _n(f["email_clicks"]),
        "sessions": _n(f["sessions"]),
    }


def _content_name(c: ContentLine) -> str:
    if c.name and c.detail:
        return f"{c.name} · {c.detail}"
    return c.name or c.detail or "(no name)"


@functools.lru_cache(maxsize=128)
def _bars(
    name: str,
    title: str,
    columns: tuple[str, ...],
    rows: tuple[tuple[Any, ...], ...],
    x: str,
    y: str,
    description: str,
    horizontal: bool = False,
    highlight: str | None = None,
) -> Chart:
    """charts.bars, kept for the same figures: building and validating a Vega-Lite
    specification costs more than the rest of the page (the SVG itself is cached by
    headway.insights.charts)."""
    return charts.bars(
        Table(name, title, columns, rows),
        x=x,
        y=y,
        description=description,
        horizontal=horizontal,
        highlight=highlight,
    )


def bars(table: Table, **options: Any) -> Chart:
    return _bars(
        table.name,
        table.title,
        tuple(table.columns),
        tuple(tuple(r) for r in table.rows),
        **options,
    )


def _month_chart_rows(report: selectors.Report) -> list[tuple[str, int, str]]:
    """Every month of the chart's span, oldest first, named as people say it ("Nov 2025"),
    a month without results as zeros: the bars stand on an axis of months, so a gap shows
    as a gap, not as a missing month."""
    per = {line.key[:7]: line for line in report.by_month}
    months = [report.start.replace(day=1)]
    for _ in range(selectors.MONTHS_SHOWN - 1):
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    rows = []
    for month in reversed(months):
        line = per.get(f"{month:%Y-%m}")
        if line is None:
            rows.append((f"{month:%b %Y}", 0, _money(Decimal(0))))
        else:
            rows.append(
                (
                    f"{month:%b %Y}",
                    _count(line.figures["qualified_leads"]),
                    _money(line.figures["spend"]),
                )
            )
    return rows


def results_charts(report: selectors.Report) -> tuple[list[Chart], list[Table]]:
    """The report's charts (each with the table it draws) and its other tables, for the page
    and for ?csv=<table>."""
    flagged = {u.campaign_id for u in report.underperformers}
    campaigns = Table(
        "campaigns",
        "Results by campaign",
        [
            "campaign",
            "main channel",
            "currency",
            "spend",
            "impressions",
            "clicks",
            "leads",
            "qualified leads",
            "cost per lead",
            "cost per qualified lead",
            "deals",
            "revenue",
            "ROAS",
            "budget",
            "ROI against budget",
            "underperformed",
            "currency conversion",
        ],
        [
            (
                line.label,
                line.channel_label,
                line.currency or report.currency,
                _money(line.figures["spend"]),
                _count(line.figures["impressions"]),
                _count(line.figures["clicks"]),
                _count(line.figures["leads"]),
                _count(line.figures["qualified_leads"]),
                _money(line.cpl),
                _money(line.cost_per_qualified),
                _count(line.figures["deals"]),
                _money(line.figures["revenue"]),
                _money(line.roas),
                _money(line.budget),
                _money(line.roi),
                "yes" if line.campaign_id in flagged else "no",
                _conversion(line),
            )
            for line in report.by_campaign
        ],
    )
    channels = Table(
        "channels",
        "Results by channel",
        [
            "channel",
            "currency",
            "spend",
            "impressions",
            "clicks",
            "leads",
            "qualified leads",
            "cost per lead",
            "cost per qualified lead",
            "revenue",
            "ROAS",
            "sessions",
            "currency conversion",
        ],
        [
            (
                line.label,
                line.currency or report.currency,
                _money(line.figures["spend"]),
                _count(line.figures["impressions"]),
                _count(line.figures["clicks"]),
                _count(line.figures["leads"]),
                _count(line.figures["qualified_leads"]),
                _money(line.cpl),
                _money(line.cost_per_qualified),
                _money(line.figures["revenue"]),
                _money(line.roas),
                _count(line.figures["sessions"]),
                _conversion(line),
            )
            for line in report.by_channel
        ],
    )
    content = Table(
        "content",
        "Content by conversions",
        [
            "source",
            "name",
            "detail",
            "campaign",
            "impressions",
            "clicks",
            "spend",
            "conversions",
            "conversion value",
            "key events",
            "leads",
            "email clicks",
            "sessions",
            "currency",
            "currency conversion",
        ],
        [
            (
                c.source_label,
                c.name,
                c.detail,
                c.campaign,
                _count(c.figures["impressions"]),
                _count(c.figures["clicks"]),
                _money(c.figures["spend"]),
                f"{c.figures['conversions'].normalize():f}",
                _money(c.figures["conversion_value"]),
                f"{c.figures['key_events'].normalize():f}",
                _count(c.figures["leads"]),
                _count(c.figures["email_clicks"]),
                _count(c.figures["sessions"]),
                c.currency or report.currency,
                c.note,
            )
            for c in report.by_content
        ],
    )
    months = Table(
        "months",
        "Results by month",
        [
            "month",
            "currency",
            "spend",
            "leads",
            "qualified leads",
            "cost per lead",
            "cost per qualified lead",
            "deals",
            "revenue",
            "ROAS",
        ],
        [
            (
                f"{dt.date.fromisoformat(line.key[:10]):%b %Y}",
                line.currency or report.currency,
                _money(line.figures["spend"]),
                _count(line.figures["leads"]),
                _count(line.figures["qualified_leads"]),
                _money(line.cpl),
                _money(line.cost_per_qualified),
                _count(line.figures["deals"]),
                _money(line.figures["revenue"]),
                _money(line.roas),
            )
            for line in report.by_month
        ],
    )
    explained = Table(
        "underperformers",
        "Underperformers and why",
        ["campaign", "main channel", "why"],
        [
            (u.label, channel_label(u.channel) if u.channel else "", u.sentence)
            for u in report.underperformers
        ],
    )
    named = [line for line in report.by_campaign if line.campaign_id is not None]
    top_content = [c for c in report.by_content if c.conversions][:CHART_CONTENT]
    chart_list = [
        bars(
            Table(
                "campaign_leads",
                "Qualified leads by campaign",
                ["campaign", "qualified leads", "flagged"],
                [
                    (
                        line.label,
                        _count(line.figures["qualified_leads"]),
                        "yes" if line.campaign_id in flagged else "no",
                    )
                    for line in named[:CHART_CAMPAIGNS]
                ],
            ),
            x="campaign",
            y="qualified leads",
            horizontal=True,
            highlight="flagged",
            description=(
                (
                    "Qualified leads per campaign this month, most first"
                    + (
                        f" (the {CHART_CAMPAIGNS} with the most of {len(named)})"
                        if len(named) > CHART_CAMPAIGNS
                        else ""
                    )
                    + "; underperformers in red."
                )
                if named
                else "No campaign has results this month."
            ),
        ),
        bars(
            Table(
                "channel_return",
                "Return by channel (revenue per unit of spend)",
                ["channel", "ROAS", "spend", "revenue"],
                [
                    (
                        line.label,
                        float(line.roas),
                        _money(line.figures["spend"]),
                        _money(line.figures["revenue"]),
                    )
                    for line in sorted(report.by_channel, key=lambda x: -(x.roas or 0))
                    if line.roas is not None
                ],
            ),
            x="channel",
            y="ROAS",
            horizontal=True,
            description=(
                "Revenue per unit of ad spend for each channel with spend, highest first."
                if any(line.roas is not None for line in report.by_channel)
                else "No channel had ad spend this month."
            ),
        ),
        bars(
            Table(
                "content_conversions",
                f"Content that converted (top {CHART_CONTENT})",
                ["content", "source", "conversions"],
                [
                    (
                        _content_name(c),
                        c.source_label,
                        float(c.conversions),
                    )
                    for c in top_content
                ],
            ),
            x="content",
            y="conversions",
            horizontal=True,
            description=(
                "Conversions (ad platforms) or key events (analytics) per piece of content "
                "the exports name, most first."
                if top_content
                else "No content recorded a conversion this month."
            ),
        ),
        bars(
            Table(
                "month_leads",
                "Qualified leads and spend by month",
                ["month", "qualified leads", "spend"],
                _month_chart_rows(report),
            ),
            x="month",
            y="qualified leads",
            description=(
                f"Qualified leads per month over the {selectors.MONTHS_SHOWN} months to "
                f"{report.start:%B %Y}, oldest first."
            ),
        ),
    ]
    return chart_list, [campaigns, channels, content, months, explained]


def _attribution_period(
    workspace: Workspace, report: selectors.Report
) -> tuple[dt.date, dt.date, bool]:
    """The period the page's attribution link opens: the report's month when it has CRM data,
    else the latest month that has some (with True: the link says so); else the month."""
    if not report.leads_from_crm:
        latest = latest_crm_day(workspace)
        if latest is not None and latest.replace(day=1) != report.start:
            start, end = selectors.month_bounds(latest)
            return start, end, True
    return report.start, report.end, False


def _month(
    request: WorkspaceRequest, workspace: Workspace, fp: str | None = None
) -> tuple[MonthForm, dt.date]:
    form = MonthForm(request.GET or None)
    start = selectors.latest_month(workspace, fp) or workspace.today().replace(day=1)
    if form.is_bound and form.is_valid() and form.cleaned_data["month"]:
        year, month = (int(p) for p in form.cleaned_data["month"].split("-"))
        start = dt.date(year, month, 1)
    if not form.is_bound or not form.data.get("month"):
        form = MonthForm(initial={"month": start.strftime("%Y-%m")})
    return form, start


@workspace_view(internal_only=True)
def results_page(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """A month's results by campaign, channel, content and month, with the briefs' targets
    against actuals, the underperformers explained by their execution, and the UTM audit;
    ?csv=<table> downloads one table."""
    if not request.membership.role_enum.plans:
        raise PermissionDenied("Only owners, admins and managers see results.")
    # the rollups' fingerprint, rates and currency: read once for the whole page
    fp = selectors.results_fingerprint(workspace)
    money = selectors.report_money(workspace)
    form, start = _month(request, workspace, fp)
    whole = request.GET.get("csv") == "content"  # the download has every line
    report = selectors.results_report(
        workspace, start, content_limit=None if whole else CONTENT_SHOWN, fp=fp, money=money
    )
    chart_list, tables = results_charts(report)
    by_channel = report.by_channel
    campaign_base = reverse(
        "planning:campaign", kwargs={"ws": workspace.slug, "campaign_id": 0}
    ).removesuffix("0/")
    import_url = reverse("results:import", kwargs={"ws": workspace.slug})
    with_return = sorted(
        (c for c in by_channel if c.roas is not None), key=lambda c: -(c.roas or 0)
    )
    context = {
        "workspace": workspace,
        "form": form,
        "start": report.start,
        "end": report.end,
        "report": report,
        "by_campaign": report.by_campaign,
        "by_channel": by_channel,
        "leads_from_crm": report.leads_from_crm,
        "top_qualified": [
            line
            for line in report.by_campaign
            if line.campaign_id is not None and line.figures["qualified_leads"]
        ][:3],
        # no "best" return to name when every channel returned nothing
        "top_return": best_returns(with_return),
        "no_return": bool(with_return) and not any(c.roas for c in with_return),
        "top_content": [c for c in report.by_content if c.conversions][:3],
        # campaign links: one reverse, not one per link (a month can name hundreds)
        "campaign_base": campaign_base,
        "campaign_rows": [
            _campaign_row(_shown(line, report.currency), campaign_base, import_url)
            for line in report.by_campaign
        ],
        "channel_rows": [_shown(line, report.currency) for line in by_channel],
        # each month named, on one line ("Mar 2026"; its CSV keeps "2026-03")
        "month_rows": [
            _shown(line, report.currency)
            | {"month": f"{dt.date.fromisoformat(line.key[:7] + '-01'):%b\u00a0%Y}"}
            for line in report.by_month
        ],
        "content_rows": [
            _content_shown(c, report.currency) for c in report.by_content[:CONTENT_SHOWN]
        ],
        "content_hidden": max(report.content_total - CONTENT_SHOWN, 0),
        "chart_map": {c.table.name: c for c in chart_list},
        "tables": tables,
        "attribution_period": _attribution_period(workspace, report),
    }
    context["months"] = (
        []
        if request.GET.get("csv")
        else selectors.months_with_results(workspace, fp=fp, money=money)
    )
    # a chart whose every bar is zero says nothing: the page says so instead
    context["zero_charts"] = {
        c.table.name
        for c in chart_list
        if c.table.rows and all(not _number(v) for v in _column(c, CHART_Y[c.table.name]))
    }
    response = csv_or_page(request, "results/results.html", context, chart_list)
    if "Content-Disposition" in response:
        # the month is in the file's name: two months' downloads do not overwrite each other
        response["Content-Disposition"] = response["Content-Disposition"].replace(
            '.csv"', f'-{report.start:%Y-%m}.csv"'
        )
    return response


def best_returns(lines: list[Any]) -> list[Any]:
    """The three channels with the best return, among those that returned anything: a
    channel at 0.00 per unit spent is no "best return"."""
    return [c for c in lines if c.roas][:3]


#: The value each results chart draws
CHART_Y = {
    "campaign_leads": "qualified leads",
    "channel_return": "ROAS",
    "content_conversions": "conversions",
    "month_leads": "qualified leads",
}


def _column(chart: Any, name: str) -> list[Any]:
    columns = list(chart.table.columns)
    if name not in columns:
        return [1]  # unknown: treated as drawn
    at = columns.index(name)
    return [row[at] for row in chart.table.rows]


def _number(value: Any) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 1.0

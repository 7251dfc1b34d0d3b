"""The flow page: cumulative flow, cycle and lead time, throughput, aging work in progress and
time in each status over a period, each chart with its table and a CSV download. The period
form and the CSV answer are shared by the other diagnosis pages (bottlenecks, crunch,
scorecard)."""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import SafeString, mark_safe

from headway.core.errors import DomainError
from headway.core.forms import BoundedForm
from headway.core.http import WorkspaceRequest
from headway.insights import charts
from headway.insights.charts import Chart, Table
from headway.insights.filter_select import FilterSelect
from headway.insights.selectors.flow import (
    DEFAULT_DAYS,
    STAGES,
    FlowResult,
    Period,
    filter_choices,
    period_for,
    stage_label,
)
from headway.insights.selectors.rollups import built_once, flow_figures
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


class KeptSelect(FilterSelect):
    """The filter select, its markup kept per process for the same name, choices, value and
    attributes: a workspace's 2,500 campaigns are the same options on every diagnosis page,
    and escaping them took ~10 ms of each request."""

    KEEP = 32
    _drawn: OrderedDict[Hashable, SafeString] = OrderedDict()
    _lock = threading.Lock()

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        key = (
            name,
            tuple(self.format_value(value)),
            flatatt(self.build_attrs(self.attrs, attrs)),
            tuple(self.choices),
        )
        with self._lock:
            found = self._drawn.get(key)
            if found is not None:
                self._drawn.move_to_end(key)
                return found
        drawn = super().render(name, value, attrs, renderer)
        with self._lock:
            self._drawn[key] = drawn
            while len(self._drawn) > self.KEEP:
                self._drawn.popitem(last=False)
        return drawn


def _choice(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, required=False, coerce=int, empty_value=None, widget=KeptSelect
    )


PeriodForm = type(
    "PeriodForm",
    (BoundedForm,),
    {
        "from": forms.DateField(label="From", required=False),
        "to": forms.DateField(label="To", required=False),
        "campaign": _choice("Campaign"),
        "person": _choice("Person"),
        "channel": _choice("Channel"),
    },
)


ALL = {"campaign": "All campaigns", "person": "Everyone", "channel": "All channels"}
FILTERS = ("campaign", "person", "channel")

#: The query parameters each diagnosis page reads: the links between the pages carry the
#: ones the reader asked for that the page they lead to reads.
PAGE_PARAMS = {
    "flow": ("from", "to", *FILTERS),
    "waits": ("from", "to", *FILTERS),
    "crunch": ("from", "to"),
    "scorecard": ("from", "to"),
}


def nav_queries(request: WorkspaceRequest) -> dict[str, str]:
    """Each diagnosis page's query string for the tabs between them."""
    out = {}
    for page, params in PAGE_PARAMS.items():
        query = QueryDict(mutable=True)
        for name in params:
            if request.GET.get(name):
                query[name] = request.GET[name]
        out[page] = query.urlencode()
    return out


def period_query(period: Period) -> str:
    """The query string of a period and its filters, for links that keep them."""
    query = QueryDict(mutable=True)
    query["from"], query["to"] = period.start.isoformat(), period.end.isoformat()
    for name in FILTERS:
        value = getattr(period, name)
        if value is not None:
            query[name] = str(value)
    return query.urlencode()


FILTER_TEXT = {"campaign": "campaign “{}”", "person": "work owned by {}", "channel": "channel {}"}


def applied_filters(form: forms.Form, period: Period) -> list[str]:
    """What the period's filters select, in words (for the line saying what is shown)."""
    out = []
    for name in FILTERS:
        value = getattr(period, name)
        if value is None or name not in form.fields:
            continue
        labels = dict(form.fields[name].choices)  # type: ignore[attr-defined]
        out.append(FILTER_TEXT[name].format(labels.get(value, f"number {value}")))
    return out


class FlatChoices(BaseChoiceIterator):
    """(value, label) pairs a choice field takes as they are: Django normalises a plain list
    item by item, twice (the field's and its widget's copy), which for a workspace's
    thousands of campaigns took longer than drawing the select."""

    def __init__(self, pairs: list[tuple[Any, str]]) -> None:
        self.pairs = pairs

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)


def period_form(
    request: WorkspaceRequest,
    workspace: Workspace,
    fields: Sequence[str] = (),
    days: int = DEFAULT_DAYS,
) -> tuple[forms.Form, Period]:
    """The filter form (with only `fields` among campaign, person and channel) and the period
    it asks for; an invalid value shows on its field and the default period is used."""
    default = period_for(workspace, days=days)
    asked = any(request.GET.get(k) for k in ("from", "to", *fields))
    data = request.GET.copy()
    # a filter chosen without dates keeps the default period, and the form shows it (a
    # period given only its end starts `days` before it, as the selector counts it)
    if not data.get("to"):
        data["to"] = default.end.isoformat()
        data.setdefault("from", "")
        data["from"] = data.get("from") or default.start.isoformat()
    form: forms.Form = PeriodForm(
        data if asked else None, initial={"from": default.start, "to": default.end}
    )
    choices = filter_choices(workspace) if fields else {}
    for name in ALL:
        if name in fields:
            field = form.fields[name]
            field.choices = FlatChoices([("", ALL[name]), *choices[name]])  # type: ignore[attr-defined]
        else:
            del form.fields[name]
    if asked and form.is_valid():
        cleaned: dict[str, Any] = form.cleaned_data
        try:
            filters = {k: cleaned.get(k) for k in fields}
            start, end = cleaned.get("from"), cleaned.get("to")
            return form, period_for(workspace, start, end, days=days, **filters)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return form, default


def csv_or_page(
    request: WorkspaceRequest, template: str, context: dict[str, Any], chart_list: list[Chart]
) -> HttpResponse:
    """?csv=<table> answers that table as a CSV file; otherwise the page."""
    wanted = request.GET.get("csv")
    if wanted:
        tables = {c.table.name: c.table for c in chart_list} | {
            t.name: t for t in context.get("tables", [])
        }
        table = tables.get(wanted)
        if table is None:
            return HttpResponse(
                f"No table named {wanted[:40]!r} on this page.",
                status=404,
                content_type="text/plain",
            )
        response = HttpResponse(table.csv(), content_type="text/csv; charset=utf-8")
        slug = context["workspace"].slug
        response["Content-Disposition"] = f'attachment; filename="{slug}-{table.name}.csv"'
        return response
    query = request.GET.copy()
    query.pop("csv", None)
    context |= {"charts": chart_list, "query": query.urlencode()}
    return render(request, template, context | filter_context(request, context))


def filter_context(request: WorkspaceRequest, context: dict[str, Any]) -> dict[str, Any]:
    """What every diagnosis page says and links with its filters: the filters applied in
    words, the period's query (for links that keep it) and the tabs' queries."""
    out: dict[str, Any] = {"nav": nav_queries(request)}
    if "period" in context:
        out["period_query"] = period_query(context["period"])
        if "form" in context:
            out["applied"] = applied_filters(context["form"], context["period"])
    return out


def _pct(values: dict[int, float]) -> list[str]:
    return [f"{values[p]:.1f}" if p in values else "not yet" for p in (50, 85, 95)]


#: Longer periods draw the cumulative flow one point a week (the CSV keeps every day): a
#: year of daily points per status is five times the chart's data for the same picture.
DAILY_POINTS_UP_TO = 92


def cumulative_table(result: FlowResult) -> Table:
    """The cumulative flow, one row per day and status (the CSV download)."""
    rows = [
        (day.isoformat(), stage_label(s), n)
        for day, counts in result.cumulative
        for s, n in counts.items()
    ]
    return Table("cumulative-flow", "Cumulative flow", ["day", "status", "tasks"], rows)


@dataclasses.dataclass(frozen=True)
class KeptChart(Chart):
    """A chart kept between requests with its table drawn once (insights/table.html), so a
    page showing the same figures again neither builds the specification nor loops over the
    rows in the template."""

    table_html: SafeString = dataclasses.field(default=SafeString(""), repr=False)


#: Charts built from the same inputs, kept per process (most recent last): a year's flow
#: page computed per request built its four specifications each time (~20 ms of altair).
KEEP_CHARTS = 64
_kept: OrderedDict[Hashable, list[KeptChart]] = OrderedDict()
_kept_lock = threading.Lock()


def _key(table: Table, **options: Any) -> Hashable:
    """What a chart is drawn from: its table's rows and the drawing's options."""
    return (
        table.name,
        table.title,
        tuple(table.columns),
        tuple(tuple(row) for row in table.rows),
        tuple(sorted(options.items())),
    )


def kept_charts(drafts: list[tuple[Callable[..., Chart], Table, dict[str, Any]]]) -> list[Chart]:
    """The charts `drafts` describe (each a drawing function, its table and options), built
    once for the same inputs in this process and kept with their tables' HTML."""
    key = tuple((draw.__qualname__, _key(table, **options)) for draw, table, options in drafts)
    with _kept_lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return list(found)
    built = []
    for draw, table, options in drafts:
        chart = draw(table, **options)
        fields = {f.name: getattr(chart, f.name) for f in dataclasses.fields(chart)}
        html = mark_safe(render_to_string("insights/table.html", {"table": chart.table}))
        built.append(KeptChart(**fields, table_html=html))
    with _kept_lock:
        _kept[key] = built
        while len(_kept) > KEEP_CHARTS:
            _kept.popitem(last=False)
    return list(built)


def flow_charts(result: FlowResult) -> list[Chart]:
    """The flow page's charts, each from its table (kept for the same figures)."""
    days = result.cumulative
    title = "Cumulative flow"
    if len(days) > DAILY_POINTS_UP_TO:
        # every seventh day back from the last, so the chart ends on the period's last day
        days = days[::-1][::7][::-1]
        title = "Cumulative flow (one point a week; the CSV has every day)"
    cfd_rows = [
        (day.isoformat(), stage_label(s), n) for day, counts in days for s, n in counts.items()
    ]
    cfd = (
        charts.lines,
        Table("cumulative-flow", title, ["day", "status", "tasks"], cfd_rows),
        {
            "x": "day",
            "y": "tasks",
            "series": "status",
            "area": True,
            "description": (
                "Cumulative flow: for each day, how many tasks had ever reached each status. "
                "A widening gap between In progress and Done means work piles up."
            ),
        },
    )
    weekly = (
        charts.bars,
        Table(
            "throughput",
            "Tasks finished per week",
            ["week", "finished"],
            [(d.isoformat(), n) for d, n in result.throughput],
        ),
        {
            "x": "week",
            "y": "finished",
            "dates": True,
            "description": f"Tasks finished per week: {result.finished} in the period.",
        },
    )
    in_status = (
        charts.bars,
        Table(
            "time-in-status",
            "Mean days per visit to each status",
            ["status", "days"],
            [
                (stage_label(s), round(result.report.time_in_stage[s], 1))
                for s in STAGES
                if s in result.report.time_in_stage and s != "done"
            ],
        ),
        {
            "x": "status",
            "y": "days",
            "horizontal": True,
            "description": "How long a task stays in each status on average, per visit.",
        },
    )
    p85 = result.cycle.get(85)
    aging = (
        charts.bars,
        Table(
            "aging",
            "Work in progress by age",
            ["task", "campaign", "age (days)", "past 85th percentile"],
            [
                (
                    a.task.title,
                    a.task.campaign,
                    round(a.age, 1),
                    "yes" if a.beyond is not None and a.beyond >= 85 else "no",
                )
                for a in result.aging[:15]
            ],
        ),
        {
            "x": "task",
            "y": "age (days)",
            "horizontal": True,
            "rule": p85,
            "highlight": "past 85th percentile",
            "blank": (
                f"All {len(result.aging[:15])} tasks in progress moved there today (0 days "
                "old): no age to draw yet. The table lists them."
            ),
            "description": (
                "Tasks in progress, oldest first, against the 85th percentile of cycle time "
                f"({p85:.1f} days): the red ones are older than 85% of finished work took."
                if p85 is not None
                else "Tasks in progress, oldest first (no finished work yet to compare with)."
            ),
        },
    )
    return kept_charts([cfd, weekly, aging, in_status])


@workspace_view(internal_only=True)
def flow(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    form, period = period_form(request, workspace, FILTERS)
    figures = flow_figures(workspace, period)
    result = figures.result
    percentiles = Table(
        "percentiles",
        "Cycle and lead time percentiles (days)",
        ["measure", "50th", "85th", "95th"],
        [
            ("Cycle time (in progress → done)", *_pct(result.cycle)),
            ("Lead time (created → done)", *_pct(result.lead_percentiles)),
        ],
    )
    efficiency = result.report.flow_efficiency
    tables = [percentiles]
    if request.GET.get("csv") == "cumulative-flow":
        # the cumulative flow's CSV has every day where the chart has one point a week (a
        # year's 1,500 rows are made only for the download)
        tables.append(cumulative_table(result))
    context = {
        "workspace": workspace,
        "form": form,
        "result": result,
        "period": period,
        "percentiles": percentiles,
        "tables": tables,
        "efficiency": None if efficiency is None else round(100 * efficiency),
        "old": [a for a in result.aging if a.beyond is not None and a.beyond >= 85],
        # no task finished or moved past "Not started": figures of zeros and dashes say
        # nothing, so the page says what to do instead
        "moved": bool(result.finished)
        or any(
            n for _, counts in result.cumulative[-1:] for s, n in counts.items() if s != STAGES[0]
        ),
        "computed_at": figures.computed_at,
        "behind": figures.behind,
    }
    return csv_or_page(request, "insights/flow.html", context, built_once(figures, flow_charts))

"""The diagnostic scorecard page: five structural gaps scored 0-100 with their evidence, the
one action that would raise each, and the months of a chosen period, month over month."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.http import HttpResponse, QueryDict

from headway.core.errors import DomainError
from headway.core.http import WorkspaceRequest
from headway.insights import charts
from headway.insights.charts import Chart, Table
from headway.insights.selectors.flow import Period
from headway.insights.selectors.rollups import (
    Figures,
    built_once,
    scorecard_figures,
    scorecard_period_figures,
)
from headway.insights.selectors.scorecard import (
    NOT_MEASURED,
    Scorecard,
    default_start,
    month_end,
    months_back,
)
from headway.insights.views.flow import csv_or_page, period_form
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


def month_table(card: Scorecard) -> Table:
    """The scores with one row a month and one column a gap (the chart's table and CSV)."""
    months = [month for month, _ in card.gaps[0].trend] if card.gaps else []
    by_gap = [dict(g.trend) for g in card.gaps]
    scores = [
        ["not measured" if s[month] is None else s[month] for s in by_gap] for month in months
    ]
    # the CSV keeps ISO months ("2026-05"); the page names them ("May 2026", which a
    # phone's narrow first column does not wrap)
    rows = [(m.strftime("%Y-%m"), *s) for m, s in zip(months, scores, strict=True)]
    shown = [(f"{m:%b}\u00a0{m.year}", *s) for m, s in zip(months, scores, strict=True)]
    columns = ["month", *(g.name for g in card.gaps)]
    return Table("scores", "Scores month by month", columns, rows, shown)


def scorecard_charts(card: Scorecard) -> list[Chart]:
    rows = [
        (month.isoformat(), g.name, score)
        for g in card.gaps
        for month, score in g.trend
        if score is not None
    ]
    total = sum(len(g.trend) for g in card.gaps)
    blank = ""
    if len(rows) < total:  # said only when every measured score is 0
        measured = (
            f"only 1 of the {total} scores in this period was measured, and it is 0"
            if len(rows) == 1
            else f"only {len(rows)} of the {total} scores in this period were measured, each 0"
        )
        blank = (
            f"Nothing to draw yet: {measured}; the rest were not measured (the table says which)."
        )
    chart = charts.lines(
        Table("scores", "Scores month by month", ["month", "gap", "score"], rows),
        blank=blank,
        x="month",
        y="score",
        series="gap",
        grain="month",
        description="Each structural gap's score (0-100) in each month of the period; a gap "
        "has no point in a month that gave nothing to measure it by.",
    )
    if not rows:  # nothing measured in any month: the page says so instead of a table
        return [chart]
    # drawn from one point per month and gap; read and downloaded one row per month
    return [dataclasses.replace(chart, table=month_table(card))]


def _query(start: dt.date, end: dt.date) -> str:
    query = QueryDict(mutable=True)
    query["from"], query["to"] = start.isoformat(), end.isoformat()
    return query.urlencode()


def month_links(card: Scorecard, today: dt.date) -> dict[str, tuple[dt.date, str] | None]:
    """The same number of months ending a month earlier, or a month later (when that month
    is over): the month scored and the query that shows it."""
    shown = (card.end or today, card.start or card.month)
    months = (shown[0].year - shown[1].year) * 12 + shown[0].month - shown[1].month + 1
    before = card.month - dt.timedelta(days=1)
    after = month_end(month_end(card.month) + dt.timedelta(days=1))
    return {
        "before": (
            before.replace(day=1),
            _query(months_back(before, months - 1), before),
        ),
        "after": (
            after.replace(day=1),
            _query(months_back(after, months - 1), after),
        )
        if after < today and card.full
        else None,
    }


def _card(
    workspace: Workspace, period: Period, default: Period, start_asked: bool
) -> tuple[Figures[Scorecard], str | None]:
    """The stored scorecard for the default period, else one computed for the period (given
    only its end, the six months before it); a period the scorecard refuses gives the
    default's and the reason."""
    if period != default:
        start = period.start if start_asked else None
        try:
            return scorecard_period_figures(workspace, period.end, start), None
        except DomainError as exc:
            return scorecard_figures(workspace), exc.message
    return scorecard_figures(workspace), None


@workspace_view(internal_only=True)
def scorecard(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    today = workspace.today()
    days = (today - default_start(today)).days + 1
    form, period = period_form(request, workspace, days=days)
    default = Period(default_start(today), today)
    figures, refused = _card(workspace, period, default, bool(request.GET.get("from")))
    if refused:
        form.add_error("from", refused)
        period = default
    card = figures.result
    context = {
        # each gap with what it lacked and what to do when its month could not be scored
        "gaps": [(g, NOT_MEASURED.get(g.key) if g.score is None else None) for g in card.gaps],
        # no gap scored in the month scored: the page says how to start instead of cards
        "nothing": all(g.score is None for g in card.gaps),
        # and the months table only when some month scored something
        "any_scored": any(s is not None for g in card.gaps for _, s in g.trend),
        "workspace": workspace,
        "form": form,
        "card": card,
        "period": period,
        "links": month_links(card, today),
        # where work waited in the month scored: the approvals the scorecard counts
        "waits_query": _query(card.month, card.month_end or month_end(card.month)),
        "computed_at": figures.computed_at,
        "behind": figures.behind,  # stored before the latest activity: the page says so
    }
    chart_list = built_once(figures, scorecard_charts)
    return csv_or_page(request, "insights/scorecard.html", context, chart_list)

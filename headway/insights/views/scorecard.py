"""The diagnostic scorecard page: five structural gaps scored 0-100 with their evidence, the
one action that would raise each, and the months before."""

from __future__ import annotations

from django.http import HttpResponse

from headway.core.http import WorkspaceRequest
from headway.insights import charts
from headway.insights.charts import Chart, Table
from headway.insights.selectors.rollups import built_once, scorecard_figures
from headway.insights.selectors.scorecard import Scorecard
from headway.insights.views.flow import csv_or_page
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


def scorecard_charts(card: Scorecard) -> list[Chart]:
    rows = [
        (month.isoformat(), g.name, score)
        for g in card.gaps
        for month, score in g.trend
        if score is not None
    ]
    return [
        charts.lines(
            Table("scores", "Scores month by month", ["month", "gap", "score"], rows),
            x="month",
            y="score",
            series="gap",
            grain="month",
            description="Each structural gap's score (0-100) at the end of each of the last six "
            "months; a gap has no point in a month that gave nothing to measure it by.",
        )
    ]


@workspace_view(internal_only=True)
def scorecard(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    figures = scorecard_figures(workspace)
    card = figures.result
    context = {
        "workspace": workspace,
        "card": card,
        "computed_at": figures.computed_at,
        "behind": figures.behind,  # stored before the latest activity: the page says so
    }
    chart_list = built_once(figures, scorecard_charts)
    return csv_or_page(request, "insights/scorecard.html", context, chart_list)

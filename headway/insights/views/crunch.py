"""The last-minute crunch page: each launch's final-days share against the team's usual,
the channels where it recurs, and the tasks that piled up."""

from __future__ import annotations

from django.http import HttpResponse

from headway.core.http import WorkspaceRequest
from headway.insights import charts
from headway.insights.charts import Chart, Table
from headway.insights.selectors.crunch import HALF_YEAR, Crunch, crunch_for
from headway.insights.views.flow import csv_or_page, period_form
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


def crunch_charts(c: Crunch) -> list[Chart]:
    rows = [
        (
            f"{x.name}",
            x.launch.isoformat(),
            ", ".join(x.channels),
            x.figures.tasks,
            round(100 * x.figures.task_share),
            round(100 * x.figures.change_share),
            "yes" if x.figures.crunch else "no",
        )
        for x in reversed(c.launches)
    ]
    threshold = round(100 * c.team.threshold)
    return [
        charts.bars(
            Table(
                "launches",
                "Work finished in the final two working days, per launch",
                [
                    "campaign",
                    "launch",
                    "channels",
                    "tasks",
                    "% of tasks in final days",
                    "% of plan changes in final days",
                    "crunch",
                ],
                rows,
            ),
            x="campaign",
            y="% of tasks in final days",
            rule=threshold,
            highlight="crunch",
            description=(
                f"Share of each launch's tasks finished in its final two working days, oldest "
                f"launch first; the dashed line is the crunch threshold ({threshold}%), the "
                f"team usually finishes {round(100 * c.team.usual_task_share)}% there."
            ),
        )
    ]


@workspace_view(internal_only=True)
def crunch(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    form, period = period_form(request, workspace, days=HALF_YEAR)
    result = crunch_for(workspace, period)
    context = {
        "workspace": workspace,
        "form": form,
        "period": period,
        "result": result,
        "recurring": [p for p in result.channels if p.report.recurring],
        "crunches": [x for x in result.launches if x.figures.crunch],
    }
    return csv_or_page(request, "insights/crunch.html", context, crunch_charts(result))

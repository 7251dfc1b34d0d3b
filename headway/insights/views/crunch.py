"""The last-minute crunch page: each launch's final-days share against the team's usual,
the channels where it recurs, and the tasks that piled up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpResponse

from headway.core.http import WorkspaceRequest
from headway.engine.crunch import RECENT
from headway.insights import charts
from headway.insights.charts import Chart, Table
from headway.insights.selectors.crunch import (
    HALF_YEAR,
    ChannelPattern,
    Crunch,
    LaunchLine,
    Record,
    crunch_for,
    launch_records,
)
from headway.insights.views.flow import csv_or_page, period_form
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


def _day(day: dt.date) -> str:
    return f"{day.day}\u00a0{day:%b %Y}"


def launch_phrase(x: LaunchLine, record: Record | None) -> str:
    """How the launch went against its plan: "planned 6 Mar 2026, launched 9 Mar 2026 (1
    working day late)"; "launched 9 Mar 2026, as planned"; only the day it went out when no
    plan was recorded."""
    planned, launched, late = record or (None, None, None)
    launched = launched or x.launch
    if planned is None:
        return f"launched {_day(launched)}"
    if planned == launched:
        return f"launched {_day(launched)}, as planned"
    if late is None or late == 0:
        how = "on time" if late == 0 else ""
    else:
        n = abs(late)
        how = f"{n} working day{'' if n == 1 else 's'} {'late' if late > 0 else 'early'}"
    return f"planned {_day(planned)}, launched {_day(launched)}" + (f" ({how})" if how else "")


COLUMNS = [
    "campaign",
    "launch",
    "planned launch",
    "working days late",
    "channels",
    "tasks",
    "finished by launch",
    "finished in final 2 days",
    "% of tasks in final days",
    "% of plan changes in final days",
    "crunch",
]


def crunch_charts(c: Crunch, records: dict[int, Record] | None = None) -> list[Chart]:
    """The launches' chart and table; the table's launch read against its launch record
    (`records`, by campaign): on the page one phrase, in the CSV the days and the delay."""
    records = records or {}
    rows = []
    shown = []
    for x in reversed(c.launches):
        planned, launched, late = records.get(x.campaign_id) or (None, None, None)
        figures = (
            ", ".join(x.channels),
            x.planned,
            x.figures.tasks,
            x.figures.tasks_in_window,
            round(100 * x.figures.task_share),
            round(100 * x.figures.change_share),
            "yes" if x.figures.crunch else "no",
        )
        on = (launched or x.launch).isoformat()
        plan = planned.isoformat() if planned else ""
        rows.append((x.name, on, plan, "" if late is None else late, *figures))
        shown.append((x.name, launch_phrase(x, records.get(x.campaign_id)), *figures))
    threshold = round(100 * c.team.threshold)
    return [
        charts.bars(
            Table(
                "launches",
                "Work finished in the final two working days, per launch",
                COLUMNS,
                rows,
                shown,
                [c for c in COLUMNS if c not in ("planned launch", "working days late")],
            ),
            x="campaign",
            y="% of tasks in final days",
            rule=threshold,
            highlight="crunch",
            description=(
                f"Share of each launch's tasks finished by launch that were finished in its "
                f"final two working days, oldest launch first; the dashed line is the crunch "
                f"threshold ({threshold}%), the "
                f"team usually finishes {round(100 * c.team.usual_task_share)}% there."
            ),
        )
    ]


SHOWN = 6  # crunches outside a recurring pattern listed with what piled up


@dataclass(frozen=True)
class PatternCrunches:
    """A channel where crunches recur, with the crunches its pattern counts (newest first)."""

    pattern: ChannelPattern
    launches: list[LaunchLine]


def crunch_groups(c: Crunch) -> tuple[list[PatternCrunches], list[LaunchLine]]:
    """Each recurring channel with the crunches among its last RECENT launches (those its
    banner counts), and the other crunches, newest first."""
    by_id = {x.campaign_id: x for x in c.launches}
    groups = [
        PatternCrunches(
            p,
            [by_id[x.campaign] for x in reversed(p.report.launches[-RECENT:]) if x.crunch],
        )
        for p in c.channels
        if p.report.recurring
    ]
    listed = {x.campaign_id for g in groups for x in g.launches}
    others = [x for x in c.launches if x.figures.crunch and x.campaign_id not in listed]
    return groups, others


@workspace_view(internal_only=True)
def crunch(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    form, period = period_form(request, workspace, days=HALF_YEAR)
    result = crunch_for(workspace, period)
    recurring, others = crunch_groups(result)
    context = {
        "workspace": workspace,
        "form": form,
        "period": period,
        "result": result,
        "recurring": recurring,
        "others": others[:SHOWN],
        "others_more": max(len(others) - SHOWN, 0),
        # the others hold a recurring channel's launches older than those its banner counts
        "others_older": any(
            set(x.channels) & {g.pattern.channel for g in recurring} for x in others
        ),
        # the team's usual share means something only once a launch finished a task by it
        "measured": any(x.figures.tasks for x in result.launches),
    }
    records = launch_records([x.campaign_id for x in result.launches])
    charts_ = crunch_charts(result, records)
    return csv_or_page(request, "insights/crunch.html", context, charts_)

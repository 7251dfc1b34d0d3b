"""Where work waits: approvers, stages, contributors and revision rounds, ranked; and the
list of one approver's steps past their limit that the ranking links to."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from headway.core.http import WorkspaceRequest
from headway.insights import charts
from headway.insights.charts import Chart, Table
from headway.insights.selectors.bottlenecks import Bottlenecks, requests_named
from headway.insights.selectors.rollups import bottleneck_figures, built_once
from headway.insights.selectors.scorecard import approval_totals
from headway.insights.views.flow import FILTERS, csv_or_page, filter_context, period_form
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


def _d(value: float) -> float:
    return round(value, 1)


def bottleneck_charts(b: Bottlenecks) -> list[Chart]:
    approvers = charts.bars(
        Table(
            "approvers",
            "Waiting on approvers (working days)",
            [
                "approver",
                "working days waited",
                "median per step",
                "steps",
                "steps past limit",
                "requests past limit",
                "rounds per request",
            ],
            [
                (
                    a.person,
                    _d(a.waited),
                    _d(a.median),
                    a.steps,
                    a.decided_past_limit + a.held_past_limit,
                    a.past_limit,
                    _d(a.rounds_per_request),
                )
                for a in b.approvers
            ],
        ),
        x="approver",
        y="working days waited",
        horizontal=True,
        blank="No step waited on its approvers in this period: every wait is 0 working days, "
        "so there is nothing to draw; the table lists the steps.",
        description=(
            f"Working days work waited on each approver's steps; most on {b.approvers[0].person}."
            if b.approvers
            else "No approval steps were decided or waiting in this period."
        ),
    )
    stages = charts.bars(
        Table(
            "stages",
            "Waiting by stage (working days)",
            ["stage", "working days waited", "visits", "held most by"],
            [(s.label, _d(s.waited), s.visits, s.person or "nobody named") for s in b.stages],
        ),
        x="stage",
        y="working days waited",
        horizontal=True,
        blank="Nothing waited in any stage in this period: every wait is 0 working days, so "
        "there is nothing to draw; the table lists the stages.",
        description="Working days tasks spent waiting in each stage: ready but not started, "
        "blocked, and in review.",
    )
    people = charts.bars(
        Table(
            "contributors",
            "Contributors: hand-offs, blocking and lateness",
            [
                "person",
                "hand-off delay (working days)",
                "others blocked on them (working days)",
                "finished late",
                "finished",
                "share late (%)",
            ],
            [
                (
                    c.person,
                    _d(c.handoff),
                    _d(c.blocking),
                    c.late,
                    c.finished,
                    round(100 * c.late_share),
                )
                for c in b.contributors
            ],
        ),
        x="person",
        y="share late (%)",
        horizontal=True,
        blank="Nobody finished a task after its due date in this period, so there is no late "
        "share to draw; the table lists each person's hand-offs and blocking.",
        description="Share of each person's finished tasks that were finished after their due "
        "date; the table adds hand-off delay and time others were blocked on them.",
    )
    rounds = charts.bars(
        Table(
            "rounds",
            "Revision rounds by kind of work",
            ["kind of work", "requests", "rounds per request", "most rounds"],
            [(r.kind, r.requests, _d(r.rounds), r.most) for r in b.rounds],
        ),
        x="kind of work",
        y="rounds per request",
        blank="No approval request was sent in this period, so there are no rounds to draw.",
        description="Rounds of review per approval request, by kind of work: which assets need "
        "the most rework.",
    )
    return [approvers, stages, people, rounds]


@workspace_view(internal_only=True)
def bottlenecks(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    form, period = period_form(request, workspace, FILTERS)
    figures = bottleneck_figures(workspace, period)
    result = figures.result
    context = {
        "computed_at": figures.computed_at,
        "behind": figures.behind,
        "workspace": workspace,
        "form": form,
        "period": period,
        "result": result,
        "top": result.approvers[0] if result.approvers else None,
        # the people something can be said of (0.0 everywhere is noise in a ranking; the
        # chart's table keeps every line)
        "contributors": [
            c for c in result.contributors if c.finished or c.handoff >= 0.05 or c.blocking >= 0.05
        ],
        # each approver with the steps still waiting on them at the period's end
        "approvers": [(a, a.steps - a.decided) for a in result.approvers],
        "nothing": not (result.approvers or result.contributors or result.rounds)
        and not any(s.visits for s in result.stages),
        # the totals the scorecard's structured approvals scores, for the same period
        "totals": approval_totals(result.approvers, result.rounds),
        "lead": result.stages[0] if result.stages and result.stages[0].waited > 0 else None,
    }
    chart_list = built_once(figures, bottleneck_charts)
    return csv_or_page(request, "insights/bottlenecks.html", context, chart_list)


@workspace_view(internal_only=True)
def late_approvals(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """The approvals one approver decided past their limit, or holds past it, in the period."""
    form, period = period_form(request, workspace, FILTERS)
    result = bottleneck_figures(workspace, period).result
    raw = request.GET.get("approver", "")
    line = next((a for a in result.approvers if str(a.person_id) == raw), None)
    rows = requests_named(workspace, line.late_requests) if line else []
    context = {"workspace": workspace, "period": period, "line": line, "rows": rows, "form": form}
    return render(
        request, "insights/late_approvals.html", context | filter_context(request, context)
    )

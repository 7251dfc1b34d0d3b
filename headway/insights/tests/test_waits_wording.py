"""Where work waits counts approvals past their limit in steps and in requests, and says
which is which, so its headline and the approvers' lines add up."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import time_machine

from headway.conftest import Team, client_for
from headway.engine.approver_columns import DecisionColumns, RoundStarts, approver_waits_columns
from headway.engine.waiting import DecisionRow, PendingStep, approver_waits
from headway.insights.selectors.bottlenecks import bottlenecks_for
from headway.insights.selectors.flow import Period
from headway.insights.tests.test_flow import NOW, history
from headway.insights.views.bottlenecks import bottleneck_charts

CAL = np.busdaycalendar()
PERIOD = Period(dt.date(2026, 2, 1), dt.date(2026, 3, 20))
MON = float(np.datetime64("2026-03-02", "D").astype(np.int64))  # a Monday, in days


def test_steps_still_held_past_their_limit_are_counted_in_both_engines() -> None:
    # request 1: decided by 7 three working days after it started (limit 2): late;
    # request 2: waits on 7 since Monday, four working days by Friday (limit 3): held late;
    # request 3: waits on 7 since Thursday, one working day (limit 3): not late
    decisions = [DecisionRow(1, 1, 0, 7, MON + 3)]
    pending = [PendingStep(2, MON, (7,), 3.0), PendingStep(3, MON + 3, (7,), 3.0)]
    as_of = MON + 4
    [by_rows] = approver_waits({(1, 1): MON}, decisions, {(1, 0): 2.0}, pending, {}, as_of, CAL)
    one = np.array([1], dtype=np.int64)
    zero = np.array([0], dtype=np.int64)
    columns = DecisionColumns(one, one, zero, one * 7, np.array([MON + 3]), np.array([2.0]))
    [by_columns] = approver_waits_columns(
        RoundStarts(one, one, np.array([MON])), columns, pending, {}, as_of, CAL
    )
    for w in (by_rows, by_columns):
        assert (w.steps_past_limit, w.held_past_limit, w.past_limit) == (1, 1, 2)
    assert by_rows == by_columns


@pytest.mark.django_db
def test_the_headline_counts_steps_and_requests_as_the_approvers_line_does(team: Team) -> None:
    # given: two launches whose copy waited three working days on the founder (limit two)
    history(team, n=2)
    # when
    with time_machine.travel(NOW, tick=False):
        page = client_for(team.manager).get(
            f"/w/{team.workspace.slug}/waits/?from=2026-02-01&to=2026-03-20"
        )
    text = " ".join(page.text.split())
    # then: 2 steps in 2 requests, everywhere, and the link names requests
    assert "2 steps past their limit, in 2 requests" in text
    assert "See the 2 requests with a step past its limit" in text
    assert "2 steps decided, 2 of them past the limit" in text
    assert "approvals past the limit" not in text.split("</h1>")[1]
    assert "2 approvals past limit" not in text
    assert "in 2 requests;" in text  # the sentence goes on without a stray space
    [approvers] = [
        c
        for c in bottleneck_charts(bottlenecks_for(team.workspace, PERIOD, NOW))
        if c.table.name == "approvers"
    ]
    row = dict(zip(approvers.table.columns, approvers.table.rows[0], strict=True))
    assert (row["steps past limit"], row["requests past limit"]) == (2, 2)


@pytest.mark.django_db
def test_the_late_list_says_how_many_requests_and_steps(team: Team) -> None:
    history(team, n=2)
    with time_machine.travel(NOW, tick=False):
        page = client_for(team.manager).get(
            f"/w/{team.workspace.slug}/waits/approvals-past-limit/"
            f"?from=2026-02-01&to=2026-03-20&approver={team.owner.pk}"
        )
    text = " ".join(page.text.split())
    assert (
        f"the 2 approval requests with a step that {team.owner.name} decided past its limit "
        "(2 steps)." in text
    )


@pytest.mark.django_db
def test_an_empty_workspace_is_told_how_to_get_work_moving(team: Team) -> None:
    page = client_for(team.manager).get(f"/w/{team.workspace.slug}/waits/")
    text = " ".join(page.text.split())
    assert "Nothing waited or moved in this period" in text
    assert "Start a campaign from a template" in text and "send work for approval" in text
    assert "working days on" not in text

"""The scorecard over a chosen period, month over month (page and API), and its structured
approvals counting the same steps and requests as where work waits for the same month."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from headway.approvals.models import ApprovalChain, ApprovalRequest
from headway.approvals.services import approval_decide, approval_resubmit, approval_start
from headway.conftest import Team, client_for
from headway.core.errors import DomainError
from headway.insights.selectors.bottlenecks import bottlenecks_for
from headway.insights.selectors.flow import period_for
from headway.insights.selectors.scorecard import approval_totals, scorecard_for
from headway.insights.tests.test_flow import UTC, at, history
from headway.planning.models import Task, TaskStatus
from headway.planning.services.campaigns import campaign_create
from headway.planning.services.tasks import task_create, task_set_status
from headway.publishing.tests.factories import draft

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 5, 12, 12, tzinfo=UTC)


def _approvals(card: object) -> str:
    return next(g.evidence for g in card.gaps if g.key == "approvals")  # type: ignore[attr-defined]


def test_a_chosen_period_scores_its_last_full_month_against_the_one_before(team: Team) -> None:
    # given: two launches' copy approved in March, both past the founder's limit
    history(team, n=2)
    with time_machine.travel(TODAY, tick=False):
        # when
        default = scorecard_for(team.workspace)
        march = scorecard_for(team.workspace, dt.date(2026, 3, 31), start=dt.date(2026, 1, 1))
        alone = scorecard_for(team.workspace, dt.date(2026, 3, 31), start=dt.date(2026, 3, 1))
        so_far = scorecard_for(team.workspace, start=dt.date(2026, 5, 1))
    # then: the default scores April (the last full month), the others March
    assert default.month == dt.date(2026, 4, 1) and default.full
    assert default.gaps[0].trend[0][0] == dt.date(2025, 11, 1)
    assert march.month == dt.date(2026, 3, 1) and march.month_end == dt.date(2026, 3, 31)
    assert [m for m, _ in march.gaps[0].trend] == [
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 1),
    ]
    assert "0 of the 2 approval steps decided this month were within their limit" in (
        _approvals(march)
    )
    # a one-month period still says how the month compares with the one before
    assert {g.key: g.change for g in alone.gaps} == {g.key: g.change for g in march.gaps}
    assert any(g.change is not None for g in alone.gaps)
    # a period inside the month so far scores the month so far, and says so
    assert so_far.month == dt.date(2026, 5, 1) and not so_far.full


def test_a_period_the_scorecard_cannot_show_is_refused_clearly(team: Team) -> None:
    ws = team.workspace
    with time_machine.travel(TODAY, tick=False):
        with pytest.raises(DomainError) as long:
            scorecard_for(ws, dt.date(2026, 4, 30), start=dt.date(2023, 1, 1))
        page = client_for(team.manager).get(
            f"/w/{ws.slug}/scorecard/?from=2023-05-01&to=2026-04-30"
        )
        api = client_for(team.manager).get(
            f"/api/v1/workspaces/{ws.slug}/scorecard?from=2026-04-30&to=2026-04-01"
        )
    assert long.value.field == "from" and "at most 24 months" in long.value.message
    assert "at most 24 months" in page.content.decode()
    assert api.status_code == 400 and api.json()["field"] == "to"


def test_the_page_and_api_show_the_months_asked_for(team: Team) -> None:
    history(team, n=2)
    ws = team.workspace.slug
    client = client_for(team.manager)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(f"/w/{ws}/scorecard/?from=2026-01-01&to=2026-03-31").content.decode()
        api = client.get(f"/api/v1/workspaces/{ws}/scorecard?from=2026-01-01&to=2026-03-31")
        csv = client.get(f"/w/{ws}/scorecard/?from=2026-01-01&to=2026-03-31&csv=scores")
        schema = client.get("/api/v1/openapi.json").json()
    assert "from March 2026\u2019s work (the last full month of the period)" in page
    # month over month: the three months before and after March, as links keeping its length
    assert 'href="?from=2025-12-01&amp;to=2026-02-28"' in page
    assert 'href="?from=2026-02-01&amp;to=2026-04-30"' in page
    # the approvals card links to where work waited in March
    assert "/waits/?from=2026-03-01&amp;to=2026-03-31" in page
    body = api.json()
    assert api.status_code == 200 and body["month"] == "2026-03-01"
    assert (body["start"], body["end"], body["full_month"]) == ("2026-01-01", "2026-03-31", True)
    assert [m["month"] for m in body["gaps"][0]["months"]] == [
        "2026-01-01",
        "2026-02-01",
        "2026-03-01",
    ]
    lines = csv.content.decode().splitlines()
    assert lines[0] == (
        "month,Defined workflows,Centralized coordination,Dependency visibility,"
        "Structured approvals,Connected reporting"
    )
    assert [line.split(",")[0] for line in lines[1:]] == ["2026-01", "2026-02", "2026-03"]
    march = dict(zip(lines[0].split(","), lines[3].split(","), strict=True))
    approvals = next(g for g in body["gaps"] if g["key"] == "approvals")
    assert march["Structured approvals"] == str(approvals["score"])
    assert march["Connected reporting"] == "not measured"
    params = schema["paths"]["/api/v1/workspaces/{ws}/scorecard"]["get"]["parameters"]
    assert {"from", "to"} <= {p["name"] for p in params}


def _march_like_the_demo(team: Team) -> None:
    """Three launches' copy through the founder (past the limit), plus what the demo also
    has: a request sent back for changes and resubmitted (two rounds), a content piece's
    approval, a task moved to review by hand, and a request still waiting at the month's end."""
    history(team, n=3)
    chain = ApprovalChain.objects.get(workspace=team.workspace)
    with at("2026-03-09"):
        campaign = campaign_create(
            actor=team.manager, workspace=team.workspace, name="Extra", launch_date=None
        )
        redo = task_create(
            actor=team.manager, campaign=campaign, title="Redo", owner=team.member.pk
        )
        by_hand = task_create(
            actor=team.manager, campaign=campaign, title="By hand", owner=team.member.pk
        )
        waiting = task_create(
            actor=team.manager, campaign=campaign, title="Waiting", owner=team.member.pk
        )
        piece = draft(team)
        piece_request = approval_start(actor=team.member, piece=piece, chain=chain)
        request = approval_start(actor=team.member, task=redo, chain=chain, force=True)
    with at("2026-03-10"):
        approval_decide(actor=team.owner, request=request, verdict="changes", comment="Shorter")
        approval_decide(actor=team.owner, request=piece_request, verdict="approve")
    with at("2026-03-11"):
        approval_resubmit(actor=team.member, request=ApprovalRequest.objects.get(pk=request.pk))
        task_set_status(
            actor=team.member,
            task=Task.objects.get(pk=by_hand.pk),
            status=TaskStatus.IN_REVIEW,
            force=True,
        )
    with at("2026-03-12"):
        approval_decide(
            actor=team.owner, request=ApprovalRequest.objects.get(pk=request.pk), verdict="approve"
        )
    with at("2026-03-27"):
        approval_start(actor=team.member, task=waiting, chain=chain, force=True)


def _number(pattern: str, text: str) -> tuple[str, ...]:
    found = re.search(pattern, text)
    assert found is not None, pattern
    return found.groups()


def test_the_scorecard_counts_the_approvals_where_work_waits_counts(team: Team) -> None:
    # given
    _march_like_the_demo(team)
    ws = team.workspace
    client = client_for(team.manager)
    # when: the scorecard scores March; where work waits shows March
    with time_machine.travel(TODAY, tick=False):
        card = scorecard_for(ws, dt.date(2026, 3, 31), start=dt.date(2026, 3, 1))
        waits = bottlenecks_for(ws, period_for(ws, dt.date(2026, 3, 1), dt.date(2026, 3, 31)))
        score_page = client.get(f"/w/{ws.slug}/scorecard/?from=2026-03-01&to=2026-03-31")
        waits_page = client.get(f"/w/{ws.slug}/waits/?from=2026-03-01&to=2026-03-31")
    totals = approval_totals(waits.approvers, waits.rounds)
    # then: five requests sent (three copies, the redo, the waiting one) and the piece's
    assert totals.requests == 6
    # decided: three copies, the redo twice (changes, then approve); the piece's request is
    # not a task's, so where work waits does not rank its approver's wait, nor does the card
    assert totals.decided == 5
    evidence = _approvals(card)
    assert evidence.startswith("6 of 7 reviews went through an approval chain (1 moved to review")
    assert f"the 6 requests took {totals.rounds_per_request:.1f} rounds each" in evidence
    assert f"{totals.within} of the 5 approval steps decided this month" in evidence
    # and the two pages print the same figures
    score_html = score_page.content.decode()
    waits_html = waits_page.content.decode()
    card_within, card_decided = _number(r"(\d+) of the (\d+) approval steps decided", score_html)
    card_requests, card_rounds = _number(r"the (\d+) requests took ([\d.]+) rounds", score_html)
    waits_decided, waits_within = _number(
        r"(\d+) approval steps? (?:was|were) decided, (\d+) within", waits_html
    )
    waits_requests, waits_rounds = _number(
        r"(\d+) approval requests? (?:was|were) sent \(tasks and content\), taking ([\d.]+) ",
        waits_html,
    )
    assert "structured approvals counts the same, month by month" in waits_html
    assert (card_decided, card_within) == (waits_decided, waits_within)
    assert (card_requests, card_rounds) == (waits_requests, waits_rounds)


def test_a_new_workspace_scorecard_draws_nothing_and_says_so(team: Team) -> None:
    with time_machine.travel(TODAY, tick=False):
        page = client_for(team.manager).get(f"/w/{team.workspace.slug}/scorecard/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" not in html
    assert "Nothing to score yet" in html and "0 of 0" not in html


def test_a_period_given_only_its_end_shows_the_six_months_before_it(team: Team) -> None:
    history(team, n=1)
    # late in May, the default period is 209 days: counted back from 5 March it would start
    # in August
    late_may = dt.datetime(2026, 5, 28, 12, tzinfo=UTC)
    with time_machine.travel(late_may, tick=False):
        page = client_for(team.manager).get(f"/w/{team.workspace.slug}/scorecard/?to=2026-03-05")
    card = page.context["card"]
    assert card.month == dt.date(2026, 2, 1)
    assert card.gaps[0].trend[0][0] == dt.date(2025, 9, 1)
    assert len(card.gaps[0].trend) == 7

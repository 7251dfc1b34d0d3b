"""Campaign health rules on hand-built snapshots, one test per rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from headway.engine.health import (
    ApprovalFact,
    CampaignSnapshot,
    Code,
    ConditionFact,
    Phase,
    State,
    TaskFact,
    Thresholds,
    health,
)

TODAY = dt.date(2026, 11, 23)  # a Monday
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
OWNER = 1


def task(id: int = 10, **kw: object) -> TaskFact:
    base: dict[str, object] = dict(
        id=id,
        title=f"Task {id}",
        status="not_started",
        start=TODAY + dt.timedelta(days=14),
        total_float=5.0,
        critical=False,
        owner_id=2,
    )
    base.update(kw)
    return TaskFact(**base)  # type: ignore[arg-type]


def snap(**kw: object) -> CampaignSnapshot:
    base: dict[str, object] = dict(
        campaign_id=7,
        owner_id=OWNER,
        phase=Phase.OPEN,
        today=TODAY,
        now=NOW,
        launch_date=dt.date(2026, 12, 18),
        projected_launch=dt.date(2026, 12, 11),
        tasks=(task(),),
    )
    base.update(kw)
    return CampaignSnapshot(**base)  # type: ignore[arg-type]


def codes(s: CampaignSnapshot) -> list[Code]:
    return [r.code for r in health(s).reasons]


def test_on_track_when_nothing_is_wrong() -> None:
    h = health(snap(p_on_time=0.9))
    assert h.state == State.ON_TRACK and h.reasons == ()


def test_closed_campaigns_are_done_or_cancelled_whatever_the_plan() -> None:
    late = dict(launch_date=dt.date(2026, 11, 1))
    assert health(snap(phase=Phase.DONE, **late)).state == State.DONE
    assert health(snap(phase=Phase.CANCELLED, **late)).state == State.CANCELLED
    assert health(snap(launched=True, **late)).state == State.DONE


def test_late_when_the_plan_ends_after_the_launch_date() -> None:
    h = health(snap(projected_launch=dt.date(2026, 12, 23)))
    assert h.state == State.LATE
    r = h.reasons[0]
    assert r.code == Code.LAUNCH_PROJECTED_LATE and r.owner_id == OWNER
    assert "3 working days after the launch date Fri 18 Dec" in r.text


def test_late_when_the_launch_date_passed_unlaunched() -> None:
    h = health(snap(launch_date=dt.date(2026, 11, 20), projected_launch=dt.date(2026, 11, 20)))
    assert h.state == State.LATE and codes(snap(launch_date=dt.date(2026, 11, 20))) == [
        Code.LAUNCH_DATE_PASSED
    ]


def test_blocked_when_a_critical_task_is_blocked_naming_whom_it_waits_on() -> None:
    t = task(status="blocked", critical=True, total_float=0, blocked_on_id=9)
    h = health(snap(tasks=(t,)))
    assert h.state == State.BLOCKED
    assert h.reasons[0].owner_id == 9 and h.reasons[0].kind == "task" and h.reasons[0].id == 10
    # a blocked task off the critical path does not block the campaign
    assert health(snap(tasks=(task(status="blocked"),))).state == State.ON_TRACK


def test_blocked_when_a_condition_is_unmet_past_due() -> None:
    c = ConditionFact(3, "Music rights", TODAY - dt.timedelta(days=1), False, False, 0, 4)
    h = health(snap(conditions=(c,)))
    assert h.state == State.BLOCKED and h.reasons[0].code == Code.CONDITION_OVERDUE
    assert h.reasons[0].owner_id == 4
    assert health(snap(conditions=(replace(c, met=True),))).state == State.ON_TRACK


def test_at_risk_when_the_forecast_is_under_the_threshold() -> None:
    assert codes(snap(p_on_time=0.69)) == [Code.FORECAST_LOW]
    assert health(snap(p_on_time=0.70)).state == State.ON_TRACK
    loose = Thresholds(p_on_time_min=0.5)
    assert health(snap(p_on_time=0.6, thresholds=loose)).state == State.ON_TRACK


def test_at_risk_when_a_tight_critical_task_should_have_started() -> None:
    t = task(start=TODAY, total_float=1.0, critical=True)
    on_date = snap(tasks=(t,), projected_launch=dt.date(2026, 12, 18))
    h = health(on_date)
    assert h.state == State.AT_RISK and h.reasons[0].code == Code.CRITICAL_NOT_STARTED
    assert h.reasons[0].owner_id == 2
    assert h.reasons[0].text == (
        "“Task 10” should have started Mon 23 Nov and has not; "
        "1 working day of float before the launch date Fri 18 Dec"
    )
    assert health(replace(on_date, tasks=(replace(t, status="in_progress"),))).reasons == ()
    assert health(replace(on_date, tasks=(replace(t, total_float=2.0),))).reasons == ()
    later = replace(t, start=TODAY + dt.timedelta(days=1))
    assert health(replace(on_date, tasks=(later,))).reasons == ()


def test_float_counts_to_the_launch_date_not_to_a_plan_that_ends_weeks_early() -> None:
    # given: the Alder demo's "Spring ride series": scheduled forward, its critical task has
    # no float against the plan's own end (30 Nov), but the launch is on 24 Dec
    t = task(start=dt.date(2026, 11, 24), total_float=0.0, critical=True)
    s = snap(
        today=dt.date(2026, 11, 24),
        tasks=(t,),
        launch_date=dt.date(2026, 12, 24),
        projected_launch=dt.date(2026, 11, 30),
        p_on_time=1.0,
    )
    # when / then: 18 working days of float before the launch: nothing at risk
    assert health(s).state == State.ON_TRACK
    # a projection one working day short of the launch date leaves one day of float
    tight = health(replace(s, projected_launch=dt.date(2026, 12, 23)))
    assert tight.state == State.AT_RISK
    assert "1 working day of float before the launch date Thu 24 Dec" in tight.reasons[0].text


def test_no_launch_date_means_no_float_to_run_out_of() -> None:
    t = task(start=TODAY, total_float=0.0, critical=True)
    s = snap(tasks=(t,), launch_date=None, projected_launch=dt.date(2026, 11, 25))
    assert health(s).state == State.ON_TRACK


def test_at_risk_when_an_approval_on_the_critical_path_is_past_its_limit() -> None:
    crit = task(critical=True, total_float=0)
    a = ApprovalFact(5, 10, "Hero video", "Legal", NOW - dt.timedelta(hours=1), 8)
    h = health(snap(tasks=(crit,), approvals=(a,)))
    assert h.state == State.AT_RISK and h.reasons[0].code == Code.APPROVAL_OVERDUE
    assert h.reasons[0].owner_id == 8 and h.reasons[0].kind == "approval"
    assert (
        health(
            snap(tasks=(crit,), approvals=(replace(a, due_at=NOW + dt.timedelta(hours=1)),))
        ).reasons
        == ()
    )
    assert health(snap(tasks=(task(),), approvals=(a,))).reasons == ()  # off the critical path


def test_at_risk_when_a_third_party_lead_time_runs_out() -> None:
    # due Fri 4 Dec: 9 working days from Mon 23 Nov
    c = ConditionFact(3, "Partner sign-off", dt.date(2026, 12, 4), False, True, 10, 4)
    h = health(snap(conditions=(c,)))
    assert h.state == State.AT_RISK and h.reasons[0].code == Code.CONDITION_LEAD_TIME
    assert "9 working days left" in h.reasons[0].text
    assert health(snap(conditions=(replace(c, lead_time_days=8),))).reasons == ()
    assert health(snap(conditions=(replace(c, third_party=False),))).reasons == ()


def test_at_risk_when_unowned_work_starts_within_five_working_days() -> None:
    soon = task(owner_id=None, start=dt.date(2026, 11, 30))  # 5 working days ahead
    h = health(snap(tasks=(soon,)))
    assert h.state == State.AT_RISK and h.reasons[0].code == Code.UNOWNED_SOON
    assert h.reasons[0].owner_id == OWNER  # the campaign owner assigns it
    assert health(snap(tasks=(replace(soon, start=dt.date(2026, 12, 1)),))).reasons == ()
    assert health(snap(tasks=(replace(soon, milestone=True),))).reasons == ()


def test_worst_state_wins_and_every_reason_is_kept_worst_first() -> None:
    unowned = task(11, owner_id=None, start=TODAY)
    blocked = task(12, status="blocked", critical=True, total_float=0)
    h = health(snap(tasks=(unowned, blocked), projected_launch=dt.date(2026, 12, 21)))
    assert h.state == State.LATE
    assert [r.code for r in h.reasons] == [
        Code.LAUNCH_PROJECTED_LATE,
        Code.CRITICAL_BLOCKED,
        Code.UNOWNED_SOON,
    ]
    assert h.reasons[0].as_dict()["object"] == {"kind": "campaign", "id": 7, "url": ""}

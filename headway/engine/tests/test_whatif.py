"""The what-if engine on plain values: who gets the new work, who takes over a removed
person's work, what nobody can do, and which running launches the levelled plan makes late."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from headway.engine.calendar import WorkCalendar
from headway.engine.dated import PlanInput, PlanLink, PlanTask
from headway.engine.launch_forecast import (
    ForecastInput,
    RemainingLink,
    RemainingTask,
    forecast_launch,
)
from headway.engine.leveling import LevelTask
from headway.engine.load import Person, Work
from headway.engine.whatif import (
    NewCampaign,
    NewTask,
    RunningCampaign,
    ScenarioInput,
    Staff,
    scenario_run,
)

TODAY = dt.date(2026, 3, 2)  # a Monday
SEND = dt.date(2026, 3, 20)
CAL = WorkCalendar()
ANA, BEN, CY = 1, 2, 3  # two designers and a writer


def _staff(*ids: int) -> tuple[Staff, ...]:
    skills = {ANA: "designer", BEN: "designer", CY: "copywriter"}
    return tuple(Staff(Person(i, 30.0), skills[i]) for i in ids)


def _running(owner: int = ANA) -> tuple[RunningCampaign, Work, LevelTask, LevelTask]:
    """A newsletter whose five days of design (task 10, 9-13 March) end a week before it
    sends: room for the design to overrun."""
    design = LevelTask(
        id=10, start=dt.date(2026, 3, 9), duration=5, hours_per_day=6.0, owner_id=owner,
        launch=SEND, campaign_id=1, campaign="Newsletter", title="Design the issue",
    )  # fmt: skip
    send = LevelTask(id=11, start=SEND, duration=0, launch=SEND, campaign_id=1, title="Send")
    forecast = ForecastInput(
        tasks=(RemainingTask(10, 5.0, role="designer"), RemainingTask(11, 0.0)),
        links=(RemainingLink(10, 11),),
        launch_days=14.0,
        ratios={},
        trials=400,
        seed=1,
    )
    work = Work(10, owner, dt.date(2026, 3, 9), dt.date(2026, 3, 13), 30.0)
    return RunningCampaign(1, SEND, forecast), work, design, send


def _guide(launch: dt.date = dt.date(2026, 3, 19), role: str = "designer") -> NewCampaign:
    tasks = (
        NewTask(-1, "Design the guide", 5.0, role, 30.0),
        NewTask(-2, "Guide live", 0.0, launch=True),
    )
    plan = PlanInput(
        [PlanTask(-1, "Design the guide", 5.0), PlanTask(-2, "Guide live", 0.0, launch=True)],
        [PlanLink(-1, -2, "FS", 0)],
        calendar=CAL,
    )
    return NewCampaign(launch, tasks, (RemainingLink(-1, -2),), plan)


def _input(
    before: tuple[Staff, ...],
    after: tuple[Staff, ...] | None = None,
    new: NewCampaign | None = None,
    removed: frozenset[int] = frozenset(),
    owner: int = ANA,
    ratios: dict[str, list[float]] | None = None,
) -> ScenarioInput:
    running, work, design, send = _running(owner)
    if ratios:
        running = replace(running, forecast=replace(running.forecast, ratios=ratios))
    return ScenarioInput(
        today=TODAY,
        calendar=CAL,
        staff_before=before,
        staff_after=before if after is None else after,
        work=(work,),
        plan_tasks=(design, send),
        plan_links=(PlanLink(10, 11, "FS", 0),),
        work_roles={10: "designer"},
        running=(running,),
        new=new,
        removed=removed,
        weeks=4,
        trials=400,
        ratios=ratios or {},
    )


# The team's history: every task took exactly its planned days, so each draw is the plan.
EXACT = {"designer": [1.0] * 20, "copywriter": [1.0] * 20}


def test_the_only_designer_taking_the_new_work_makes_the_running_launch_late() -> None:
    result = scenario_run(_input(_staff(ANA, CY), new=_guide()))
    [odds] = result.running
    assert odds.before == 1.0 and odds.after == 0.0 and odds.notable
    assert odds.because is not None and odds.because.task_id == -1  # waits for the guide
    [design] = [t for t in result.new_tasks if t.id == -1]
    assert design.owner_id == ANA and design.due < dt.date(2026, 3, 19)
    # The guide's design, dated back from its launch, starts 12 March (8 working days in)
    # and must end by day 13: on time only when its five days take no longer (a quarter of
    # the default spread, 4 to 8 days, most likely 5).
    assert design.start == dt.date(2026, 3, 12)
    assert result.new_forecast is not None
    assert result.new_forecast.p_on_time == pytest.approx(0.25, abs=0.06)
    assert not result.impossible


def test_a_second_designer_takes_the_new_work_and_nothing_running_moves() -> None:
    result = scenario_run(_input(_staff(ANA, BEN, CY), new=_guide()))
    [odds] = result.running
    assert odds.after == odds.before and not odds.notable and odds.because is None
    assert next(t for t in result.new_tasks if t.id == -1).owner_id == BEN


def test_new_work_nobody_does_is_left_unowned_and_said() -> None:
    result = scenario_run(_input(_staff(ANA, CY), new=_guide(role="video")))
    assert [(u.role, u.task_ids) for u in result.unowned_new] == [("video", (-1,))]
    assert not result.impossible
    assert not result.running[0].notable  # unowned work takes nobody's hours


def test_a_removed_persons_work_goes_to_who_does_the_same_work() -> None:
    before = _staff(ANA, BEN, CY)
    after = _staff(BEN, CY)
    result = scenario_run(_input(before, after, removed=frozenset({ANA})))
    assert result.reassigned == {10: BEN} and not result.unstaffed
    rows = {pid: r for r, pid in enumerate(result.after.people)}
    assert ANA not in rows and result.after.booked[rows[BEN]].sum() == 30.0


def test_removing_the_only_designer_makes_the_scenario_impossible() -> None:
    result = scenario_run(_input(_staff(ANA, CY), _staff(CY), removed=frozenset({ANA})))
    assert result.impossible
    [missing] = result.unstaffed
    assert (missing.role, missing.task_ids, missing.owner_id) == ("designer", (10,), ANA)


def test_nothing_changed_means_the_same_draws_and_the_same_answer() -> None:
    result = scenario_run(_input(_staff(ANA, CY)))
    [odds] = result.running
    assert odds.before == odds.after and odds.p50_days_before == odds.p50_days_after
    assert (result.before.booked == result.after.booked).all()


def test_the_new_campaigns_forecast_is_about_its_launch_not_the_work_after_it() -> None:
    """A results review ten working days after the launch does not count: the chance and
    the likely dates are of the work that ends before the launch."""
    guide = _guide(launch=dt.date(2026, 3, 27))
    review = NewTask(-3, "Results review", 10.0, "copywriter", 6.0)
    tasks = (*guide.tasks, review)
    plan = PlanInput(
        [*guide.plan.tasks, PlanTask(-3, "Results review", 10.0)],
        [*guide.plan.links, PlanLink(-2, -3, "FS", 0)],
        calendar=CAL,
    )
    new = NewCampaign(guide.launch_date, tasks, (*guide.links, RemainingLink(-2, -3)), plan)
    result = scenario_run(_input(_staff(ANA, BEN, CY), new=new, ratios=EXACT))
    f = result.new_forecast
    assert f is not None
    # design 20-26 March: from working day 14, five days, ending with day 19 (the launch is
    # 19 working days away); the review's ten days would end on day 29
    assert f.p_on_time == 1.0
    assert f.p85_days == 19


def test_the_new_campaign_starts_no_work_before_its_levelled_start() -> None:
    """Worked by hand, today Monday 2 March, every task taking exactly its planned days.
    The guide, launching Thursday 19 March, is dated back to design 12-18 March on the
    second designer: 8 working days from today, ending with day 13, the day before its
    launch (not day 5, as if it could start today). The newsletter's design, planned 9-13
    March, is not moved by levelling (nothing is over anyone's hours), so it is forecast as
    on the campaign page and the dashboard: free to start today, ending with day 5."""
    result = scenario_run(_input(_staff(ANA, BEN, CY), new=_guide(), ratios=EXACT))
    [odds] = result.running
    assert (odds.p50_days_before, odds.p50_days_after) == (5, 5)
    assert odds.before == odds.after == 1.0
    [design] = [t for t in result.new_tasks if t.id == -1]
    assert (design.owner_id, design.start, design.due) == (
        BEN,
        dt.date(2026, 3, 12),
        dt.date(2026, 3, 18),
    )
    f = result.new_forecast
    assert f is not None
    assert (f.p50_days, f.p85_days, f.p_on_time) == (13, 13, 1.0)


def test_a_running_campaign_levelling_leaves_alone_gets_its_health_forecast() -> None:
    """The scenario's "today" for a campaign levelling does not move is the dashboard's
    health forecast of it: the same input, the same draws, the same answer (the scenario used to
    hold the design to its planned 9 March and disagree)."""
    inp = _input(_staff(ANA, BEN, CY), new=_guide(), ratios=EXACT)
    [running] = inp.running
    health = forecast_launch(running.forecast)
    [odds] = scenario_run(inp).running
    assert (odds.before, odds.p50_days_before) == (health.p_on_time, health.p50_days)
    assert (odds.after, odds.p50_days_after) == (health.p_on_time, health.p50_days)
    # with the team's spread of durations too (draws, not a fixed plan)
    spread = {"designer": [0.8] * 5 + [1.0] * 5 + [2.0] * 5 + [3.5] * 5}
    inp = _input(_staff(ANA, BEN, CY), new=_guide(), ratios=spread)
    [running] = inp.running
    health = forecast_launch(running.forecast)
    [odds] = scenario_run(inp).running
    assert health.p_on_time is not None and 0.0 < health.p_on_time < 1.0
    assert odds.before == odds.after == health.p_on_time


def test_work_moved_by_levelling_starts_no_earlier_than_its_levelled_start() -> None:
    """One designer for both: the guide (the earlier launch) takes 12-18 March, so the
    newsletter's design waits until Thursday 19 March, 13 working days from today, and ends
    with day 18, past its send on day 14. Today (levelling moves nothing) it may start now
    and ends with day 5, as the campaign page says."""
    result = scenario_run(_input(_staff(ANA, CY), new=_guide(), ratios=EXACT))
    [odds] = result.running
    assert (odds.p50_days_before, odds.p50_days_after) == (5, 18)
    assert (odds.before, odds.after) == (1.0, 0.0)
    assert result.levelling is not None
    assert result.levelling.tasks[10].start == dt.date(2026, 3, 19)


def test_a_running_launch_is_about_the_work_before_it_not_the_follow_up_after() -> None:
    """The newsletter's follow-up (task 12, three days from Monday 23 March, after it sends)
    is held to its levelled start like any work, but launching on time does not wait for
    it: the odds and likely dates are of the design alone (ends with day 5 of 14: levelling
    moves nothing, so it may start today, as on the campaign page)."""
    inp = _input(_staff(ANA, BEN, CY), ratios=EXACT)
    follow_up = LevelTask(
        id=12, start=dt.date(2026, 3, 23), duration=3, hours_per_day=2.0, owner_id=CY,
        launch=SEND, campaign_id=1, campaign="Newsletter", title="Follow-up",
    )  # fmt: skip
    [running] = inp.running
    forecast = replace(
        running.forecast,
        tasks=(*running.forecast.tasks, RemainingTask(12, 3.0, role="copywriter")),
        links=(*running.forecast.links, RemainingLink(11, 12)),
    )
    inp = replace(
        inp,
        plan_tasks=(*inp.plan_tasks, follow_up),
        plan_links=(*inp.plan_links, PlanLink(11, 12, "FS", 0)),
        running=(replace(running, forecast=forecast, launch_ids=frozenset({11})),),
    )
    [odds] = scenario_run(inp).running
    assert (odds.before, odds.p50_days_before) == (1.0, 5)
    # counted with the follow-up (no launch milestone said), it would end with day 8
    unsaid = replace(inp, running=(replace(inp.running[0], launch_ids=frozenset()),))
    [odds] = scenario_run(unsaid).running
    assert (odds.before, odds.p50_days_before) == (1.0, 8)

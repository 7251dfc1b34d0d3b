"""Launch forecasts over a campaign's remaining network."""

from __future__ import annotations

import pytest

from headway.engine.launch_forecast import (
    DEFAULT_SPREAD,
    MIN_SAMPLES,
    ForecastInput,
    RemainingLink,
    RemainingTask,
    forecast_launch,
)


def chain_input(launch_days: float | None, **kw: object) -> ForecastInput:
    tasks = (RemainingTask(1, 5.0), RemainingTask(2, 5.0), RemainingTask(3, 0.0))
    links = (RemainingLink(1, 2), RemainingLink(2, 3))
    base: dict[str, object] = dict(
        tasks=tasks, links=links, launch_days=launch_days, ratios={}, trials=4000, seed=1
    )
    base.update(kw)
    return ForecastInput(**base)  # type: ignore[arg-type]


def test_a_fixed_chain_is_certain_either_side_of_its_length() -> None:
    est = (RemainingTask(1, 5, (5, 5, 5)), RemainingTask(2, 5, (5, 5, 5)))
    f = forecast_launch(chain_input(10, tasks=est, links=(RemainingLink(1, 2),)))
    assert f.p_on_time == 1.0 and f.p50_days == 10 and f.p85_days == 10
    assert f.basis == "from three-point estimates" and f.critical_ids == (1, 2)
    late = forecast_launch(chain_input(9.5, tasks=est, links=(RemainingLink(1, 2),)))
    assert late.p_on_time == 0.0


def test_default_spread_makes_overruns_likelier_than_early_finishes() -> None:
    f = forecast_launch(chain_input(10))
    assert f.from_default == 2  # the milestone takes no time and is drawn from nothing
    assert f.p_on_time is not None and 0.05 < f.p_on_time < 0.5  # the mode is 10, the mean later
    assert 10 <= f.p50_days <= f.p85_days <= 16
    assert "default spread (20% quicker to 60% slower)" in f.basis
    assert DEFAULT_SPREAD[2] > 1


def test_seeded_forecasts_are_stable_and_the_seed_matters() -> None:
    assert forecast_launch(chain_input(11)) == forecast_launch(chain_input(11))
    a = forecast_launch(chain_input(11, seed=1)).p_on_time
    b = forecast_launch(chain_input(11, seed=2)).p_on_time
    assert a is not None and b is not None and a != b and abs(a - b) < 0.05


def test_history_by_role_is_used_only_with_enough_samples() -> None:
    tasks = (RemainingTask(1, 4.0, role="designer"),)
    slow = {"designer": [2.0] * MIN_SAMPLES}  # designers always take twice as long
    f = forecast_launch(chain_input(7, tasks=tasks, links=(), ratios=slow))
    assert f.p_on_time == 0.0 and f.p50_days == 8
    assert f.basis == f"from {MIN_SAMPLES} finished tasks in the same role"
    few = {"designer": [2.0] * (MIN_SAMPLES - 1)}
    g = forecast_launch(chain_input(7, tasks=tasks, links=(), ratios=few))
    assert g.from_history == 0 and g.from_team == 0 and g.from_default == 1


def test_too_little_history_for_a_role_falls_back_to_the_whole_team() -> None:
    # given: no finished copywriter task, but 110 finished tasks planned without a role, all
    # taking twice as long as planned (the demo's history has no roles)
    tasks = (RemainingTask(1, 4.0, role="copywriter"), RemainingTask(2, 3.0))
    ratios = {"": [2.0] * 100, "designer": [2.0] * 10}
    # when
    f = forecast_launch(chain_input(7, tasks=tasks, links=(RemainingLink(1, 2),), ratios=ratios))
    # then: both tasks drawn from the team's 110, none from the default spread
    assert (f.from_team, f.team_samples, f.from_history, f.from_default) == (2, 110, 0, 0)
    assert f.p50_days == 14 and f.p_on_time == 0.0
    assert f.basis == "from the team's 110 finished tasks"


def test_role_history_then_team_then_default_spread_named_together() -> None:
    tasks = (
        RemainingTask(1, 2.0, role="designer"),
        RemainingTask(2, 2.0, role="copywriter"),
        RemainingTask(3, 2.0, (1, 2, 3)),
    )
    ratios = {"designer": [1.0] * MIN_SAMPLES, "copywriter": [1.5] * 5}
    f = forecast_launch(chain_input(None, tasks=tasks, links=(), ratios=ratios))
    assert (f.from_history, f.from_team, f.from_estimates) == (1, 1, 1)
    assert f.basis == (
        f"from {MIN_SAMPLES} finished tasks in the same role, "
        f"the team's {MIN_SAMPLES + 5} finished tasks and three-point estimates"
    )
    few = {"copywriter": [1.5] * (MIN_SAMPLES - 1)}
    g = forecast_launch(chain_input(None, tasks=tasks[1:2], links=(), ratios=few))
    assert g.from_team == 0 and g.from_default == 1 and "default spread" in g.basis


def test_a_release_date_holds_work_back() -> None:
    tasks = (RemainingTask(1, 2.0, (2, 2, 2), release=6.0),)
    f = forecast_launch(chain_input(7, tasks=tasks, links=()))
    assert f.p50_days == 8 and f.p_on_time == 0.0


def test_the_task_most_often_critical_comes_first() -> None:
    tasks = (
        RemainingTask(1, 5.0, (4, 5, 6)),
        RemainingTask(2, 2.0, (1, 2, 3)),
        RemainingTask(3, 0.0),
    )
    links = (RemainingLink(1, 3), RemainingLink(2, 3))
    f = forecast_launch(chain_input(None, tasks=tasks, links=links))
    assert f.p_on_time is None and f.critical_ids == (1,)


def test_nothing_left_is_certain() -> None:
    f = forecast_launch(chain_input(3, tasks=(), links=()))
    assert f.p_on_time == 1.0 and f.basis == "no work left"


@pytest.mark.parametrize("trials", [1, 10])
def test_any_trial_count_works(trials: int) -> None:
    assert forecast_launch(chain_input(10, trials=trials)).trials == trials


def test_work_that_needs_an_approval_waits_as_long_as_past_decisions_did() -> None:
    tasks = (RemainingTask(1, 2.0, (2, 2, 2), approval="legal"),)
    waits = {"legal": [3.0] * 5}
    f = forecast_launch(chain_input(4, tasks=tasks, links=(), approval_waits=waits))
    assert f.p50_days == 5 and f.p_on_time == 0.0
    assert f.basis == "from three-point estimates; approval waits from 5 past decisions"
    few = forecast_launch(
        chain_input(4, tasks=tasks, links=(), approval_waits={"legal": [3.0] * 4})
    )
    assert few.p50_days == 2 and few.approval_tasks == 0

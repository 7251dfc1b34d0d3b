"""The one model of a task network's JSON: each kind of bad input is refused with where it is
and what is wrong, and a good plan becomes the engine's network."""

from __future__ import annotations

from typing import Any

import pytest

from headway.engine.network import LinkType
from headway.engine.planfile import PlanError, parse_plan
from headway.engine.three_point import pert_mean, pert_variance


def _plan(*tasks: dict[str, Any], **rest: Any) -> dict[str, Any]:
    return {"tasks": list(tasks), **rest}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], "a plan is an object with a 'tasks' list"),
        (_plan("A"), "tasks[0]: each task is an object with an 'id'"),
        (_plan({"id": "A"}, {"duration": 2}), "tasks[1]: each task is an object with an 'id'"),
        (_plan({"id": "A", "duration": "3"}), "task A.duration: expected a number, got '3'"),
        (_plan({"id": "A", "duration": True}), "task A.duration: expected a number, got True"),
        (_plan({"id": "A", "duration": -2}), "task A.duration: the duration -2 is negative"),
        (
            _plan({"id": "A", "estimate": [1, 2]}),
            "task A.estimate: 'estimate' is [optimistic, most likely, pessimistic]",
        ),
        (
            _plan({"id": "A", "estimate": [1, "x", 3]}),
            "task A.estimate[1]: expected a number, got 'x'",
        ),
        (
            _plan({"id": "A", "estimate": [5, 2, 3]}),
            "task A.estimate: 'estimate' must satisfy 0 <= 5 <= 2 <= 3",
        ),
        (
            _plan({"id": "A", "after": "B"}),
            "task A.after: 'after' is a list of task ids or link objects",
        ),
        (
            _plan({"id": "A"}, {"id": "B", "after": ["A", {"type": "SS"}]}),
            "task B.after[1]: a link is a task id or {'task': ..., 'type': 'FS', 'lag': 0}",
        ),
        (
            _plan({"id": "A"}, {"id": "B", "after": [{"task": "A", "type": "XX"}]}),
            "task B.after[0].type: link type 'XX' is not one of FS, SS, FF, SF",
        ),
        (
            _plan({"id": "A"}, {"id": "B", "after": [{"task": "A", "lag": "2d"}]}),
            "task B.after[0].lag: expected a number, got '2d'",
        ),
        (_plan(start="soon"), "start: 'soon' is not a date like 2026-03-02"),
        (_plan(finish_by="friday"), "finish_by: expected a number, got 'friday'"),
        (_plan(calendar={"weekend": ["sat", "funday"]}), "calendar.weekend[1]: 'funday' is not"),
        (
            _plan(calendar={"holidays": ["2026-02-30"]}),
            "calendar.holidays[0]: '2026-02-30' is not a date like 2026-03-02",
        ),
        (
            _plan(calendar={"days_off": {"dana": "2026-03-04"}}),
            "calendar.days_off.dana: a list of dates like 2026-03-03",
        ),
        (
            _plan(calendar={"weekend": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}),
            "calendar.weekend: the weekend leaves no working day",
        ),
        # The plan limits: the same values the API and the forms refuse.
        (_plan({"id": "A", "duration": 3651}), "task A.duration: Input should be less than or"),
        (_plan({"id": "A", "estimate": [1, 2, 1e9]}), "task A.estimate[2]: Input should be less"),
        (
            _plan({"id": "A"}, {"id": "B", "after": [{"task": "A", "lag": -366}]}),
            "task B.after[0].lag: Input should be greater than or equal to -365",
        ),
        (_plan({"id": "A\x00"}), "tasks[0].id: names cannot hold NUL"),
        (_plan({"id": "A" * 201}), "tasks[0].id: at most 200 characters"),
        (_plan(start="2201-01-01"), "start: 2201-01-01 is outside 1990-01-01 to 2200-12-31"),
        (_plan(finish_by=1e300), "finish_by: Input should be less than or equal to 3650"),
        (_plan(calendar={"holidays": ["1989-12-31"]}), "calendar.holidays[0]: 1989-12-31 is"),
    ],
)
def test_a_plan_is_refused_with_where_and_what(data: Any, expected: str) -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan(data)
    assert str(caught.value).startswith(expected)


def test_a_plan_becomes_the_engines_network() -> None:
    plan = parse_plan(
        _plan(
            {"id": 1, "estimate": [1, 4, 7], "owner": "dana", "kind": "copy"},
            {"id": "B", "duration": 2, "after": [1, {"task": "1", "type": "ss", "lag": -1}]},
            start="2026-03-02",
            calendar={"holidays": ["2026-03-03"]},
        )
    )
    first, second = plan.network.tasks
    assert (first.id, first.duration, first.estimate, first.kind) == ("1", 4.0, (1, 4, 7), "copy")
    assert (second.duration, second.estimate) == (2.0, None)
    assert [(lk.predecessor, lk.successor, lk.type, lk.lag) for lk in plan.network.links] == [
        ("1", "B", LinkType.FS, 0.0),
        ("1", "B", LinkType.SS, -1.0),
    ]
    assert plan.owners == {"1": "dana"}
    assert plan.start is not None
    assert not plan.calendar.is_working(plan.start.replace(day=3))


def test_the_pert_mean_weighs_the_most_likely_four_times() -> None:
    assert pert_mean(1, 4, 7) == 4.0
    assert pert_mean(2, 3, 10) == pytest.approx(4.0)  # (2 + 12 + 10) / 6, pulled towards p
    assert pert_mean(5, 5, 5) == 5.0
    assert pert_variance(1, 4, 7) == 1.0

"""A template is the engine's network model extended with titles, roles and conditions: each
kind of bad template is refused with where it is and what is wrong."""

from __future__ import annotations

from typing import Any

import pytest

from headway.core.errors import DomainError
from headway.engine.network import LinkType
from headway.planning.models import TaskKind
from headway.planning.template_spec import template_plan


def _spec(*tasks: dict[str, Any], conditions: Any = None) -> dict[str, Any]:
    return {"tasks": list(tasks), "conditions": conditions}


A = {"key": "a", "title": "A"}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"tasks": "a, b"}, "Template spec: a template is an object with a 'tasks' list"),
        (_spec(), "Template spec: has no tasks"),
        (_spec(A, {"title": "B"}), "Template tasks[1]: each task is an object with a 'key'"),
        (_spec(A, {"key": " ", "title": "B"}), "Template tasks[1]: each task is an object"),
        (_spec({"key": "a"}), "Template task a.title: needs a title"),
        (_spec({**A, "kind": "phase"}), "Template task a.kind: kind 'phase' is not one of task,"),
        (_spec({**A, "role": "wizard"}), "Template task a.role: role 'wizard' is not a known"),
        (_spec({**A, "duration": "2"}), "Template task a.duration: expected a number, got '2'"),
        (_spec({**A, "duration": -1}), "Template task a.duration: the duration -1 is negative"),
        (
            _spec({**A, "estimate": [3, 2, 1]}),
            "Template task a.estimate: 'estimate' must satisfy 0 <= 3 <= 2 <= 1",
        ),
        (_spec({**A, "effort": "six"}), "Template task a.effort: expected a number, got 'six'"),
        (
            _spec(A, {"key": "b", "title": "B", "after": [{"task": "a", "type": "ZZ"}]}),
            "Template task b.after[0].type: link type 'ZZ' is not one of FS, SS, FF, SF",
        ),
        (
            _spec(A, {"key": "b", "title": "B", "after": [["a"]]}),
            "Template task b.after[0]: a link is a task id or {'task'",
        ),
        (
            _spec({**A, "group": "b"}, {"key": "b", "title": "B"}),
            "Template task a.group: 'b' is not a milestone of the template",
        ),
        (
            _spec(
                {"key": "l1", "title": "L", "kind": "launch"},
                {"key": "l2", "title": "L", "kind": "launch"},
            ),
            "Template spec: has more than one launch milestone",
        ),
        (_spec(A, conditions=[{"kind": "rights"}]), "Template conditions[0].title: needs a title"),
        (
            _spec(A, conditions=[{"title": "Licence", "party": "vendor"}]),
            "Template conditions[0].party: party 'vendor' is not internal or third_party",
        ),
        (
            _spec(A, conditions=[{"title": "Licence", "lead_time": -3}]),
            "Template conditions[0].lead_time: lead_time and before_launch cannot be negative",
        ),
        (
            _spec(A, conditions=[{"title": "Licence", "before_launch": "soon"}]),
            "Template conditions[0].before_launch: lead_time and before_launch are whole",
        ),
        (
            _spec({**A, "after": ["b"]}, {"key": "b", "title": "B", "after": ["a"]}),
            "Template network: the links form a cycle: a -> b -> a",
        ),
    ],
)
def test_a_bad_template_is_refused_with_where_and_what(spec: Any, expected: str) -> None:
    with pytest.raises(DomainError) as caught:
        template_plan(spec)
    assert caught.value.message.startswith(expected)
    assert (caught.value.field, caught.value.code) == ("spec", "template_invalid")


def test_a_template_reads_into_tasks_links_and_conditions() -> None:
    plan = template_plan(
        _spec(
            {"key": "brief", "title": " Brief ", "estimate": [1, 4, 7], "effort": 6},
            {"key": "copy", "title": "Copy", "after": [{"task": "brief", "type": "ss", "lag": 2}]},
            {"key": "go", "title": "Go", "kind": "launch", "duration": 5, "after": ["copy"]},
            conditions=[{"title": "Licence", "lead_time": 15, "before_launch": "5"}],
        )
    )
    brief, copy, go = plan.tasks
    assert (brief.title, brief.expected, brief.effort) == ("Brief", 4.0, 6.0)
    assert (copy.duration, [(lk.task, lk.type, lk.lag) for lk in copy.after]) == (
        1.0,
        [("brief", LinkType.SS, 2.0)],
    )
    assert (go.kind, go.duration) == (TaskKind.LAUNCH, 0.0)  # a milestone takes no time
    assert plan.offset_from_launch("brief") == -3.0
    condition = plan.conditions[0]
    assert (condition.lead_time, condition.before_launch, condition.party) == (15, 5, "internal")

from __future__ import annotations

import pytest

from headway.engine.cascade import Change, cascade
from headway.engine.cpm import schedule
from headway.engine.network import Link, LinkType, Network, NetworkError, Task

SS, FF, SF = LinkType.SS, LinkType.FF, LinkType.SF


def net(durations: dict[str, float], links: list[tuple]) -> Network:
    return Network(
        tasks=tuple(Task(k, v) for k, v in durations.items()),
        links=tuple(Link(*link) for link in links),
    )


def test_precedence_diagram_with_start_to_start_links() -> None:
    # The 14-activity precedence-diagram exercise (A-N) used in construction scheduling
    # courses, with its SS links; dates worked by hand with the forward and backward pass.
    d = {
        "A": 2,
        "B": 10,
        "C": 13,
        "D": 12,
        "E": 12,
        "F": 7,
        "G": 10,
        "H": 16,
        "I": 6,
        "J": 12,
        "K": 5,
        "L": 8,
        "M": 5,
        "N": 3,
    }
    links = [
        ("A", "B", SS),
        ("A", "C"),
        ("A", "D"),
        ("B", "E"),
        ("B", "F"),
        ("D", "G"),
        ("D", "H"),
        ("F", "I"),
        ("C", "J"),
        ("G", "J", SS),
        ("I", "K", SS),
        ("E", "L"),
        ("I", "L"),
        ("K", "L"),
        ("H", "M"),
        ("G", "N"),
        ("J", "N"),
        ("L", "N"),
        ("M", "N"),
    ]
    s = schedule(net(d, links))
    assert s.duration == 38
    assert s.critical_path == ["A", "D", "H", "M", "N"]
    es = {k: v.early_start for k, v in s.tasks.items()}
    assert es == {
        "A": 0,
        "B": 0,
        "C": 2,
        "D": 2,
        "E": 10,
        "F": 10,
        "G": 14,
        "H": 14,
        "I": 17,
        "J": 15,
        "K": 17,
        "L": 23,
        "M": 30,
        "N": 35,
    }
    assert s.tasks["L"].late_finish == 35 and s.tasks["L"].total_float == 4
    assert s.tasks["J"].total_float == 8 and s.tasks["J"].free_float == 8
    assert s.tasks["C"].free_float == 0  # J starts as soon as C finishes
    assert s.tasks["J"].explanation == "after C finishes"
    assert s.tasks["B"].explanation == "project start"


def test_finish_to_finish_and_start_to_finish_with_lags_and_leads() -> None:
    s = schedule(
        net(
            {"A": 4, "B": 2, "C": 3, "D": 5},
            [("A", "B", FF, 2), ("A", "C", SF, 5), ("B", "D", LinkType.FS, -1)],
        )
    )
    assert (s.tasks["B"].early_start, s.tasks["B"].early_finish) == (4, 6)
    assert (s.tasks["C"].early_start, s.tasks["C"].early_finish) == (2, 5)
    assert s.tasks["D"].early_start == 5  # a one-day lead
    assert s.duration == 10
    assert s.tasks["C"].total_float == 5 and s.tasks["C"].late_finish == 10
    assert s.tasks["B"].explanation == "to finish after A finishes, +2 days lag"
    assert s.tasks["D"].explanation == "after B finishes, 1 day lead"


def test_no_task_starts_before_zero() -> None:
    s = schedule(net({"A": 2, "B": 5}, [("A", "B", FF, 0)]))
    assert s.tasks["B"].early_start == 0
    assert s.tasks["B"].explanation == "project start"


def test_a_required_finish_sets_late_dates_and_criticality_by_minimum_float() -> None:
    s = schedule(net({"A": 3, "B": 2, "C": 1}, [("A", "B"), ("A", "C")]), required_finish=8)
    assert s.tasks["A"].late_finish == 6 and s.tasks["A"].total_float == 3
    assert s.critical_path == ["A", "B"]


def test_a_cycle_is_named() -> None:
    with pytest.raises(NetworkError, match="A -> B -> C -> A") as exc:
        schedule(
            net({"A": 1, "B": 1, "C": 1, "D": 1}, [("D", "A"), ("A", "B"), ("B", "C"), ("C", "A")])
        )
    assert set(exc.value.tasks) == {"A", "B", "C"}


def test_an_unknown_predecessor_is_named() -> None:
    with pytest.raises(NetworkError, match="unknown task 'Z'"):
        schedule(net({"A": 1}, [("Z", "A")]))


def test_a_negative_duration_is_refused() -> None:
    with pytest.raises(NetworkError, match="negative"):
        schedule(net({"A": -1}, []))


def test_cascade_reports_moved_tasks_and_the_launch() -> None:
    n = net({"A": 3, "B": 4, "C": 2, "D": 1}, [("A", "B"), ("A", "C"), ("B", "D"), ("C", "D")])
    slip_c = cascade(n, Change(task="C", slip=3))
    assert slip_c.moved == {"C": 3, "D": 1}
    assert slip_c.launch_moves == 1
    assert slip_c.summary() == "moves 2 tasks; the launch moves 1 working day later"
    within_float = cascade(n, Change(task="C", slip=2))
    assert within_float.moved == {"C": 2} and within_float.launch_moves == 0
    longer = cascade(n, Change(task="B", duration=6))
    assert longer.moved == {"D": 2}
    linked = cascade(n, Change(add_link=Link("B", "C")))
    assert linked.moved == {"C": 4, "D": 2}
    with pytest.raises(NetworkError, match="cycle"):
        cascade(n, Change(add_link=Link("D", "A")))


def _arrow_network(arrows: dict[str, float]) -> Network:
    """An activity-on-arrow network ("i-j": duration) as activities on nodes: each activity
    follows every activity that ends at its start node."""
    tasks = tuple(Task(a, d) for a, d in arrows.items())
    links = tuple(Link(p, s) for s in arrows for p in arrows if p.split("-")[1] == s.split("-")[0])
    return Network(tasks, links)


# Taylor, Introduction to Management Science, chapter 8 solutions, problems 5 and 6:
# activity: (duration, ES, EF, LS, LF) as published in the answer key.
TAYLOR_5 = {
    "1-2": (7, 0, 7, 2, 9),
    "1-3": (10, 0, 10, 0, 10),
    "2-4": (6, 7, 13, 9, 15),
    "3-4": (5, 10, 15, 10, 15),
    "3-5": (4, 10, 14, 14, 18),
    "4-5": (3, 15, 18, 15, 18),
    "5-6": (2, 18, 20, 18, 20),
}
TAYLOR_6 = {
    "1-2": (8, 0, 8, 1, 9),
    "1-3": (10, 0, 10, 0, 10),
    "1-4": (9, 0, 9, 6, 15),
    "2-5": (6, 8, 14, 9, 15),
    "2-6": (4, 8, 12, 16, 20),
    "3-5": (5, 10, 15, 10, 15),
    "4-5": (0, 9, 9, 15, 15),
    "4-7": (7, 9, 16, 20, 27),
    "5-7": (12, 15, 27, 15, 27),
    "5-8": (15, 15, 30, 16, 31),
    "6-9": (18, 12, 30, 20, 38),
    "7-8": (4, 27, 31, 27, 31),
    "8-9": (7, 31, 38, 31, 38),
}


@pytest.mark.parametrize(
    ("published", "finish", "path"),
    [
        (TAYLOR_5, 20, ["1-3", "3-4", "4-5", "5-6"]),
        (TAYLOR_6, 38, ["1-3", "3-5", "5-7", "7-8", "8-9"]),
    ],
)
def test_published_answer_keys(published: dict, finish: float, path: list[str]) -> None:
    s = schedule(_arrow_network({a: row[0] for a, row in published.items()}))
    assert s.duration == finish
    for a, (_, es, ef, ls, lf) in published.items():
        t = s.tasks[a]
        assert (t.early_start, t.early_finish, t.late_start, t.late_finish) == (es, ef, ls, lf), a
        assert t.total_float == ls - es
    assert s.critical_path == path


def test_published_example_with_all_four_link_types_and_lags() -> None:
    # "Difficult network diagram example with lag solved" (Engineer4Free): the network and
    # its published answers, (ES, EF, LS, LF, total float) per activity.
    network = net(
        {"A": 3, "B": 2, "C": 2, "D": 4, "E": 1, "F": 2, "G": 4, "H": 3},
        [
            ("A", "B", LinkType.FS, 2),
            ("A", "C", SS, 0),
            ("B", "D", SS, 1),
            ("C", "E", SF, 3),
            ("C", "F", FF, 3),
            ("D", "G", SS, 1),
            ("E", "G"),
            ("F", "H", SF, 2),
            ("G", "H"),
        ],
    )
    published = {
        "A": (0, 3, 0, 3, 0),
        "B": (5, 7, 5, 7, 0),
        "C": (0, 2, 4, 6, 4),
        "D": (6, 10, 6, 10, 0),
        "E": (2, 3, 6, 7, 4),
        "F": (3, 5, 12, 14, 9),
        "G": (7, 11, 7, 11, 0),
        "H": (11, 14, 11, 14, 0),
    }
    s = schedule(network)
    assert s.duration == 14
    for task, row in published.items():
        t = s.tasks[task]
        got = (t.early_start, t.early_finish, t.late_start, t.late_finish, t.total_float)
        assert got == row, task
    assert s.critical_path == ["A", "B", "D", "G", "H"]

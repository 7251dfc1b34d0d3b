"""The command-line tools, called in-process with `call_command`: their output and the
message each kind of bad input gets."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from headway.api.tests.test_plans import PLAN  # the plan the API tests analyse

EVENTS = (
    "item,stage,entered\n"
    "P1,Backlog,2026-03-02\nP1,Committed,2026-03-03\nP1,Review,2026-03-05\n"
    "P1,Done,2026-03-06\nP2,Committed,2026-03-04\n"
)
FLOW = ["--stages", "Backlog,Committed,Review,Done", "--start", "Committed", "--done", "Done"]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(PLAN))
    return path


@pytest.fixture
def events_file(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    path.write_text(EVENTS)
    return path


def test_plan_analyze_prints_the_critical_path_and_each_task(plan_file: Path) -> None:
    lines = run("plan", "analyze", str(plan_file)).splitlines()
    assert lines[0] == "Duration: 10 working days"
    assert lines[1] == "Critical path: A -> B -> C -> E"
    task_c = next(line for line in lines if line.startswith("C "))
    assert task_c.split()[1:7] == ["4", "6", "6", "8", "2", "0"]
    assert task_c.endswith("after B starts, +1 day lag")
    assert "PERT: expected 10.00, std dev 1.00, P(finish by target) 97.7%" in lines
    assert lines[-1] == (
        "Backward from launch 2026-03-10: start by 2026-03-02 (infeasible by 3 working days)"
    )


def test_plan_analyze_as_json(plan_file: Path) -> None:
    answer = json.loads(run("plan", "analyze", str(plan_file), "--json"))
    assert answer["duration"] == 10
    assert answer["tasks"]["E"]["finish_date"] == "2026-03-13"


def test_plan_forecast_is_repeatable_with_a_seed(plan_file: Path) -> None:
    first = run("plan", "forecast", str(plan_file), "--trials", "500", "--seed", "1")
    assert first.startswith("500 trials\nP(finish by 12): ")
    assert "  95th percentile: " in first and "Criticality index:" in first
    assert run("plan", "forecast", str(plan_file), "--trials", "500", "--seed", "1") == first
    answer = json.loads(run("plan", "forecast", str(plan_file), "--trials", "200", "--json"))
    assert answer["trials"] == 200 and answer["criticality"]["A"] == 1.0
    assert 0.9 < answer["p_finish_by"] <= 1.0


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("{broken", ["analyze"], "not valid JSON at line 1, column 2"),
        (
            json.dumps({"tasks": [{"id": "A", "after": [{"task": "Z"}]}]}),
            ["analyze"],
            "unknown task 'Z'",
        ),
        (json.dumps(PLAN), ["forecast", "--trials", "0"], "--trials must be at least 1"),
    ],
)
def test_plan_names_what_is_wrong_with_its_input(
    tmp_path: Path, content: str, args: list[str], message: str
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(content)
    with pytest.raises(CommandError, match=message) as caught:
        call_command("plan", args[0], str(path), *args[1:])
    assert str(caught.value).startswith(f"{path}: ")


def test_plan_refuses_a_missing_file_and_an_unknown_distribution(plan_file: Path) -> None:
    with pytest.raises(CommandError, match=r"nowhere\.json: no such file"):
        call_command("plan", "analyze", str(plan_file.parent / "nowhere.json"))
    with pytest.raises(CommandError, match="invalid choice: 'uniform'"):
        call_command("plan", "forecast", str(plan_file), "--distribution", "uniform")


def test_forecast_says_when_items_will_be_done_and_how_many_fit() -> None:
    done = run("forecast", "throughput", "--history", "2,2,2", "--items", "7")
    assert done.splitlines() == [
        f"{p}% confidence: done within 4 periods" for p in (50, 70, 85, 95)
    ]
    many = run("forecast", "throughput", "--history", "3,3", "--periods", "5")
    assert many.splitlines()[0] == "50% confidence: 15 items or more in 5 periods"
    answer = json.loads(
        run("forecast", "throughput", "--history", "3,3", "--periods", "2", "--json")
    )
    assert answer == {"how_many": {"50": 6, "70": 6, "85": 6, "95": 6}}


def test_forecast_refuses_bad_history_and_conflicting_questions() -> None:
    with pytest.raises(CommandError, match=r"--history: item 2 \('x'\) is not a number"):
        call_command("forecast", "throughput", "--history", "2,x", "--periods", "3")
    with pytest.raises(CommandError, match="no finished items"):
        call_command("forecast", "throughput", "--history", "0,0", "--items", "3")
    with pytest.raises(CommandError, match="--periods: not allowed with argument --items"):
        call_command("forecast", "throughput", "--history", "2", "--items", "3", "--periods", "2")


def test_flow_reports_cycle_time_work_in_progress_and_efficiency(events_file: Path) -> None:
    lines = run("flow", "analyze", str(events_file), *FLOW, "--waiting", "Review").splitlines()
    assert lines[0].startswith("Cycle time (days): 50th 3.0")
    assert any(line.startswith("In progress: P2 for ") for line in lines)
    assert "Time in Review: 1.0 days per visit" in lines
    # every stage but Review and Done is work: P1 1 + 2 days, P2 2 days so far (to the last
    # event, 6 March), against 1 day waiting in Review
    assert lines[-1] == "Flow efficiency: 83%"
    answer = json.loads(run("flow", "analyze", str(events_file), *FLOW, "--json"))
    assert answer["first_day"] == "2026-03-02"
    assert [w["item"] for w in answer["work_in_progress"]] == ["P2"]


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        ("item,stage\nP1,Backlog\n", "missing column(s) entered"),
        (
            "item,stage,entered\nP1,Backlog,2026-03-02\nP1,Shipped,2026-03-03\n",
            "line 3: stage 'Shipped' is not in --stages",
        ),
        (
            "item,stage,entered\nP1,Backlog,yesterday\n",
            "line 2: 'entered' 'yesterday' is not a date or date-time",
        ),
    ],
)
def test_flow_names_the_line_and_column_at_fault(
    tmp_path: Path, csv_text: str, message: str
) -> None:
    path = tmp_path / "events.csv"
    path.write_text(csv_text)
    with pytest.raises(CommandError) as caught:
        call_command("flow", "analyze", str(path), *FLOW)
    assert message in str(caught.value)


def test_flow_refuses_a_missing_file_and_an_unknown_start_stage(events_file: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("flow", "analyze", str(events_file.parent / "none.csv"), *FLOW)
    with pytest.raises(CommandError, match="Shipping"):
        call_command(
            "flow", "analyze", str(events_file), *FLOW[:2], "--start", "Shipping", "--done", "Done"
        )


@pytest.fixture
def exec_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[str]]]:
    """Records what `serve` would exec and which commands it runs first, starting nothing."""
    from headway.core.management.commands import serve

    calls: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(os, "execv", lambda path, argv: calls.append((path, list(argv))))
    monkeypatch.setattr(
        serve, "call_command", lambda name, **kw: calls.append(("call_command", [name]))
    )
    return calls


def test_serve_defaults_to_localhost(exec_calls: list[tuple[str, list[str]]]) -> None:
    run("serve")
    argv = exec_calls[-1][1]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8000"


def test_serve_refuses_a_port_that_is_not_a_number(
    exec_calls: list[tuple[str, list[str]]],
) -> None:
    with pytest.raises(CommandError, match="argument --port: invalid int value: 'http'"):
        call_command("serve", "--port", "http")
    assert exec_calls == []

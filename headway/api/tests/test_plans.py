from __future__ import annotations

import json
import subprocess
import sys

import pytest

from headway.accounts.services import token_create
from headway.conftest import Team

PLAN = {
    "tasks": [
        {"id": "A", "duration": 3},
        {"id": "B", "duration": 4, "after": ["A"]},
        {"id": "C", "duration": 2, "after": ["A", {"task": "B", "type": "SS", "lag": 1}]},
        {"id": "E", "estimate": [1, 4, 7], "after": ["C"]},
    ],
    "finish_by": 12,
    "start": "2026-03-02",
    "launch": "2026-03-10",
}


@pytest.fixture
def auth(team: Team) -> dict[str, str]:
    _, raw = token_create(actor=team.owner, name="plans")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
def test_analyze_over_the_api(client, auth) -> None:
    body = client.post(
        "/api/v1/plans/analyze", PLAN, content_type="application/json", **auth
    ).json()
    assert body["duration"] == 10
    assert body["tasks"]["C"]["early_start"] == 4
    assert body["tasks"]["C"]["explanation"] == "after B starts, +1 day lag"
    assert body["tasks"]["E"]["finish_date"] == "2026-03-13"
    assert body["pert"]["std_dev"] == pytest.approx(1.0)
    assert body["backward"] == {
        "latest_start": "2026-03-02",
        "launch": "2026-03-10",
        "feasible": False,
        "short_by_working_days": 3,
    }


@pytest.mark.django_db
def test_forecast_over_the_api(client, auth) -> None:
    url = "/api/v1/plans/forecast?trials=2000&seed=5"
    first = client.post(url, PLAN, content_type="application/json", **auth).json()
    second = client.post(url, PLAN, content_type="application/json", **auth).json()
    assert first == second and first["trials"] == 2000
    assert set(first["percentiles"]) == {"50", "70", "85", "95"}
    assert first["criticality"]["A"] == 1.0


@pytest.mark.django_db
def test_a_cycle_over_the_api_is_a_clear_400(client, auth) -> None:
    plan = {"tasks": [{"id": "A", "after": ["B"]}, {"id": "B", "after": ["A"]}]}
    response = client.post("/api/v1/plans/analyze", plan, content_type="application/json", **auth)
    assert response.status_code == 400
    assert "cycle: A -> B -> A" in response.json()["message"]


@pytest.mark.django_db
def test_a_negative_duration_names_the_field(client, auth) -> None:
    plan = {"tasks": [{"id": "A", "duration": -2}]}
    response = client.post("/api/v1/plans/analyze", plan, content_type="application/json", **auth)
    assert response.status_code == 422
    assert response.json()["field"] == "tasks.0.duration"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("task", "field"),
    [
        ({"id": "A", "duration": 3651}, "tasks.0.duration"),
        ({"id": "A", "after": [{"task": "B", "lag": 400}]}, "tasks.0.after.0.lag"),
        ({"id": "A\x00", "duration": 1}, "tasks.0.id"),
    ],
)
def test_the_api_refuses_what_the_plan_file_refuses(client, auth, task, field) -> None:
    # The body is the engine's PlanSpec: one shape and one set of limits for both.
    plan = {"tasks": [task, {"id": "B"}]}
    response = client.post("/api/v1/plans/analyze", plan, content_type="application/json", **auth)
    assert response.status_code == 422
    assert response.json()["field"] == field


@pytest.mark.django_db
def test_plan_routes_are_in_the_openapi_description(client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/plans/analyze" in paths and "/api/v1/plans/forecast" in paths


def _headway(*args: str, tmp_path=None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "headway.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin"},
    )


def test_plan_command_needs_no_configuration(tmp_path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(PLAN))
    result = _headway("plan", "analyze", str(path), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["critical_path"] == ["A", "B", "C", "E"]
    table = _headway("plan", "analyze", str(path)).stdout
    assert "Critical path: A -> B -> C -> E" in table and "infeasible by 3 working days" in table


def test_plan_command_names_the_fault(tmp_path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"tasks": [{"id": "A", "after": [{"task": "Z"}]}]}))
    result = _headway("plan", "analyze", str(path))
    assert result.returncode == 1
    assert "unknown task 'Z'" in result.stderr
    path.write_text("{broken")
    assert "not valid JSON at line 1" in _headway("plan", "analyze", str(path)).stderr


def test_forecast_and_flow_commands(tmp_path) -> None:
    out = _headway("forecast", "throughput", "--history", "2,2,2", "--items", "7", "--json")
    assert json.loads(out.stdout)["percentiles"] == {"50": 4.0, "70": 4.0, "85": 4.0, "95": 4.0}
    bad = _headway("forecast", "throughput", "--history", "2,x", "--periods", "3")
    assert "item 2 ('x') is not a number" in bad.stderr
    events = tmp_path / "events.csv"
    events.write_text(
        "item,stage,entered\nP1,Backlog,2026-03-02\nP1,Committed,2026-03-03\n"
        "P1,Done,2026-03-06\nP2,Committed,2026-03-04\n"
    )
    flow = _headway(
        "flow",
        "analyze",
        str(events),
        "--stages",
        "Backlog,Committed,Done",
        "--start",
        "Committed",
        "--done",
        "Done",
        "--json",
    )
    body = json.loads(flow.stdout)
    assert body["cycle_time_percentiles"]["50"] == 3.0
    assert body["work_in_progress"][0]["item"] == "P2"


@pytest.mark.django_db
def test_analyze_leaves_out_what_the_plan_gives_no_ground_for(client, auth) -> None:
    plan = {"tasks": [{"id": "A", "duration": 2}, {"id": "B", "duration": 1, "after": ["A"]}]}
    body = client.post(
        "/api/v1/plans/analyze", plan, content_type="application/json", **auth
    ).json()
    assert set(body) == {"duration", "critical_path", "tasks"}
    assert "start_date" not in body["tasks"]["B"] and body["tasks"]["B"]["early_start"] == 2


@pytest.mark.django_db
def test_forecast_without_a_deadline_gives_no_probability(client, auth) -> None:
    plan = {"tasks": [{"id": "A", "estimate": [1, 2, 4]}]}
    url = "/api/v1/plans/forecast?trials=100"
    body = client.post(url, plan, content_type="application/json", **auth).json()
    assert body["p_finish_by"] is None and body["criticality"] == {"A": 1.0}

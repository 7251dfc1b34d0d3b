"""What-if scenarios: the services and the engine's answer, bad input, the background job, the
pages and the API, and who may use them.

The plan used throughout: the member is the only designer; the running newsletter needs five
days of their design work before it sends on Friday 20 March; the gift guide template needs
five days of design too. Added for Thursday 19 March, the gift guide (the earlier launch)
takes the designer first, so the newsletter's design waits and its send is no longer on time.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from headway.accounts.services import token_create
from headway.activity.models import Event, Verb
from headway.capacity.models import Scenario, ScenarioStatus
from headway.capacity.scenarios import scenario_apply, scenario_create, scenario_delete
from headway.capacity.scenarios_jobs import scenario_compute_job
from headway.capacity.services import capacity_set
from headway.conftest import Team, client_for
from headway.core.errors import DomainError, Forbidden
from headway.engine.launch_forecast import forecast_launch
from headway.insights.selectors.health_inputs import health_inputs
from headway.planning.models import Campaign, CampaignTemplate, Task
from headway.planning.services.campaigns import campaign_create
from headway.planning.services.links import dependency_add
from headway.planning.services.tasks import task_create
from headway.planning.services.templates import template_create

TODAY = dt.date(2026, 3, 2)  # a Monday
SEND = dt.date(2026, 3, 20)
GUIDE = dt.date(2026, 3, 19)

GUIDE_SPEC = {
    "tasks": [
        {"key": "design", "title": "Design the guide", "role": "designer", "duration": 5,
         "effort": 30},
        {"key": "live", "title": "Guide live", "kind": "launch", "after": ["design"]},
    ]
}  # fmt: skip


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False) as t:
        yield t


@pytest.fixture
def plan(team: Team) -> dict[str, Any]:
    capacity_set(
        actor=team.manager, workspace=team.workspace, user_id=team.member.pk,
        weekly_hours=32, weekdays=[0, 1, 2, 3, 4], skill="designer",
    )  # fmt: skip
    capacity_set(
        actor=team.manager, workspace=team.workspace, user_id=team.manager.pk,
        weekly_hours=24, weekdays=[0, 1, 2, 3, 4], skill="strategist",
    )  # fmt: skip
    newsletter = campaign_create(
        actor=team.manager, workspace=team.workspace, name="Newsletter", launch_date=SEND,
        status="planned",
    )  # fmt: skip
    steps = [
        task_create(actor=team.manager, campaign=newsletter, title="Design the issue",
                    duration_days=5, effort_hours=30, owner=team.member.pk,
                    role_needed="designer"),
        task_create(actor=team.manager, campaign=newsletter, title="Send", kind="launch"),
    ]  # fmt: skip
    for a, b in itertools.pairwise(steps):
        dependency_add(actor=team.manager, predecessor=a, successor=b)
    template = template_create(
        actor=team.manager, workspace=team.workspace, name="Gift guide", spec=GUIDE_SPEC
    )
    return {"newsletter": newsletter, "template": template}


def _create(team: Team, plan: dict[str, Any], **kwargs: Any) -> Scenario:
    args: dict[str, Any] = {
        "actor": team.manager,
        "workspace": team.workspace,
        "template_id": plan["template"].pk,
        "launch_date": GUIDE,
        "trials": 500,
        "compute": True,
    }
    return scenario_create(**(args | kwargs))


def _running(scenario: Scenario, name: str) -> dict[str, Any]:
    assert scenario.result is not None
    return next(r for r in scenario.result["running"] if r["name"] == name)


# -- services and the engine's answer ---------------------------------------------------------


def test_a_campaign_on_the_same_designer_makes_the_newsletter_late(
    team: Team, plan: dict[str, Any]
) -> None:
    # given
    campaigns, tasks = Campaign.objects.count(), Task.objects.count()
    # when
    scenario = _create(team, plan)
    # then the answer is stored with the time it was computed
    assert scenario.status == ScenarioStatus.DONE and scenario.computed_at is not None
    answer = scenario.result
    assert answer is not None and not answer["impossible"]
    news = _running(scenario, "Newsletter")
    # Today levelling moves nothing of it, so its chance is the dashboard's (the health
    # forecast's, same draws): its design may start now, well before the send. With the
    # guide, the design waits for the designer and the send is late in every draw.
    health = health_inputs(team.workspace, [plan["newsletter"]], trials=500)
    forecast = health[plan["newsletter"].pk].forecast
    assert forecast is not None
    assert news["before"] == round(forecast_launch(forecast).p_on_time, 4) > 0.9
    assert news["after"] < 0.1
    assert news["notable"] and news["slip_days"] >= 4
    assert "busy on “Design the guide” (the new campaign)" in news["because"]
    # the new campaign's plan: its design goes to the designer, on time
    new = answer["campaign"]
    design = next(t for t in new["tasks"] if t["title"] == "Design the guide")
    assert design["owner"] == team.member.name
    assert design["due"] < GUIDE.isoformat() and new["short_by"] == 0
    # dated back from its launch, its design starts on 12 March and not before (what the
    # scenario claims): on time when the five days take no longer, about a quarter of draws
    assert design["start"] == "2026-03-12"
    assert 0.15 < new["p_on_time"] < 0.35
    assert new["p50_finish"] >= "2026-03-18"
    # the load grid: the designer's week of 16 March holds both jobs' hours after, one before
    member = next(p for p in answer["people"] if p["id"] == team.member.pk)
    week = answer["weeks"].index("2026-03-16")
    assert member["after"][week][0] > member["before"][week][0]
    # nothing in the plan was written
    assert Campaign.objects.count() == campaigns and Task.objects.count() == tasks
    verbs = set(
        Event.objects.filter(object_type="capacity.scenario").values_list("verb", flat=True)
    )
    assert {Verb.CREATED, Verb.UPDATED} <= verbs


def test_a_freelancer_designer_takes_the_new_work_and_the_newsletter_keeps_its_date(
    team: Team, plan: dict[str, Any]
) -> None:
    freelancer = {
        "name": "Ines",
        "role": "designer",
        "weekly_hours": 40,
        "weekdays": [0, 1, 2, 3, 4],
    }
    scenario = _create(team, plan, add_people=[freelancer])
    news = _running(scenario, "Newsletter")
    assert news["after"] == news["before"] and not news["notable"]
    assert scenario.result is not None
    design = next(t for t in scenario.result["campaign"]["tasks"] if t["role"] == "designer")
    assert design["owner"] == "Ines"
    ines = next(p for p in scenario.result["people"] if p["added"])
    assert ines["id"] < 0 and sum(b for b, _ in ines["after"]) == pytest.approx(30.0)


def test_removing_someone_hands_their_work_to_another_who_does_it(
    team: Team, plan: dict[str, Any]
) -> None:
    capacity_set(
        actor=team.manager, workspace=team.workspace, user_id=team.admin.pk,
        weekly_hours=32, weekdays=[0, 1, 2, 3, 4], skill="designer",
    )  # fmt: skip
    scenario = _create(team, plan, remove_people=[team.member.pk])
    assert scenario.result is not None and scenario.result["reassigned"] == 1
    member = next(p for p in scenario.result["people"] if p["id"] == team.member.pk)
    assert member["removed"] and sum(b for b, _ in member["after"]) == 0


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"launch_date": dt.date(2026, 2, 27)}, "launch_date", "has passed"),
        ({"template_id": 999_999}, "template", "No template 999999"),
        ({"trials": 50_000}, "trials", "too many"),
        ({"trials": 10}, "trials", "too few"),
        ({"add_people": [{"name": "X", "role": "juggler"}]}, "add_people[0].role", "kind of work"),
        ({"remove_people": [987_654]}, "remove_people", "Nobody with id 987654"),
    ],
)
def test_bad_input_is_refused_saying_what_and_where(
    team: Team, plan: dict[str, Any], kwargs: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(DomainError) as caught:
        _create(team, plan, **kwargs)
    assert caught.value.field == field and words in caught.value.message
    assert not Scenario.objects.exists()


def test_removing_the_only_designer_is_impossible_and_says_why(
    team: Team, plan: dict[str, Any]
) -> None:
    with pytest.raises(DomainError) as caught:
        _create(team, plan, remove_people=[team.member.pk])
    assert caught.value.code == "scenario_impossible"
    assert caught.value.field == "remove_people"
    assert f"{team.member.name}'s 1 open task needs designer work" in caught.value.message
    assert not Scenario.objects.exists()
    # a freelancer who does design makes it possible
    freelancer = {"name": "Ines", "role": "designer", "weekly_hours": 40}
    scenario = _create(team, plan, remove_people=[team.member.pk], add_people=[freelancer])
    assert scenario.status == ScenarioStatus.DONE and scenario.result is not None
    assert not scenario.result["impossible"] and scenario.result["reassigned"] == 1


def test_only_planners_create_scenarios(team: Team, plan: dict[str, Any]) -> None:
    for who in (team.member, team.freelancer, team.client):
        with pytest.raises(Forbidden):
            _create(team, plan, actor=who)


def test_the_background_job_works_it_out(
    team: Team, plan: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    # given a scenario created for the background
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        scenario = _create(team, plan, compute=False)
    assert scenario.status == ScenarioStatus.QUEUED and scenario.result is None
    assert len(callbacks) == 1
    # when the worker runs it
    scenario_compute_job.call(scenario_id=scenario.pk, workspace_id=team.workspace.pk)
    # then
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.DONE and scenario.progress == 100
    assert _running(scenario, "Newsletter")["notable"]
    assert scenario_compute_job.call(scenario_id=123_456, workspace_id=1) == "scenario deleted"


def test_a_scenario_whose_template_went_away_fails_with_the_reason(
    team: Team, plan: dict[str, Any]
) -> None:
    scenario = _create(team, plan, compute=False)
    CampaignTemplate.objects.filter(pk=plan["template"].pk).delete()
    scenario.refresh_from_db()
    scenario_compute_job.call(scenario_id=scenario.pk, workspace_id=team.workspace.pk)
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.FAILED and "deleted" in scenario.error


def test_apply_makes_the_campaign_through_the_template_service(
    team: Team, plan: dict[str, Any]
) -> None:
    scenario = _create(team, plan)
    campaign = scenario_apply(actor=team.manager, scenario=scenario, name="Spring gift guide")
    assert campaign.name == "Spring gift guide" and campaign.launch_date == GUIDE
    assert campaign.template_name == "Gift guide"
    assert list(Task.objects.filter(campaign=campaign).values_list("title", flat=True)) == [
        "Design the guide",
        "Guide live",
    ]
    # the work goes to whom the scenario gave it (the template service's suggestion, the
    # designer with the most free hours, already agrees: no owner change recorded after)
    design = Task.objects.get(campaign=campaign, title="Design the guide")
    assert design.owner_id == team.member.pk
    events = list(Event.objects.filter(object_type="planning.task", object_id=str(design.pk)))
    assert [e.verb for e in events][:1] == [Verb.CREATED]  # the template service records it
    assert not [e for e in events if e.verb == Verb.UPDATED and "owner" in e.changes]
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.APPLIED and scenario.campaign_id == campaign.pk
    with pytest.raises(DomainError):
        scenario_apply(actor=team.manager, scenario=scenario)


def test_apply_waits_for_the_answer_and_delete_records_it(team: Team, plan: dict[str, Any]) -> None:
    scenario = _create(team, plan, compute=False)
    with pytest.raises(DomainError, match="Wait until"):
        scenario_apply(actor=team.manager, scenario=scenario)
    with pytest.raises(Forbidden):
        scenario_delete(actor=team.member, scenario=scenario)
    scenario_delete(actor=team.manager, scenario=scenario)
    assert not Scenario.objects.exists()
    assert Event.objects.filter(object_type="capacity.scenario", verb=Verb.DELETED).exists()


# -- pages -----------------------------------------------------------------------------------


def _url(team: Team, tail: str = "") -> str:
    return f"/w/{team.workspace.slug}/capacity/scenarios/{tail}"


def test_the_new_scenario_form_queues_it_and_the_page_polls_then_shows_the_answer(
    team: Team, plan: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(team.manager)
    assert client.get(_url(team)).status_code == 200
    data = {
        "source": f"t{plan['template'].pk}",
        "launch_date": GUIDE.isoformat(),
        "freelancer_hours": "16",
    }
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(_url(team), data)
    scenario = Scenario.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(team, f"{scenario.pk}/")
    page = client.get(_url(team, f"{scenario.pk}/")).content.decode()
    assert "Working it out" in page and 'hx-trigger="every 1s"' in page
    progress = client.get(_url(team, f"{scenario.pk}/progress/"), HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in progress
    scenario_compute_job.call(scenario_id=scenario.pk, workspace_id=team.workspace.pk)
    progress = client.get(_url(team, f"{scenario.pk}/progress/"), HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"
    page = client.get(_url(team, f"{scenario.pk}/")).content.decode()
    assert "Working it out" not in page
    assert 'data-running="' in page and 'class="row-alert"' in page
    assert "Newsletter" in page and "Design the guide" in page


def test_the_form_shows_bad_input_on_its_field(team: Team, plan: dict[str, Any]) -> None:
    client = client_for(team.manager)
    data: dict[str, Any] = {"source": f"t{plan['template'].pk}", "launch_date": "2026-02-01"}
    response = client.post(_url(team), data)
    assert response.status_code == 400
    assert "has passed" in response.content.decode()
    data = {
        "source": f"t{plan['template'].pk}",
        "launch_date": GUIDE.isoformat(),
        "remove": [str(team.member.pk)],
    }
    response = client.post(_url(team), data)
    assert response.status_code == 400 and "nobody left does it" in response.content.decode()
    assert not Scenario.objects.exists()


def test_make_it_a_campaign_and_delete_ask_first(team: Team, plan: dict[str, Any]) -> None:
    scenario = _create(team, plan)
    client = client_for(team.manager)
    confirm = client.get(_url(team, f"{scenario.pk}/apply/"))
    assert confirm.status_code == 200 and "Make it a campaign" in confirm.content.decode()
    assert not Campaign.objects.filter(template_name="Gift guide").exists()
    response = client.post(_url(team, f"{scenario.pk}/apply/"), {"name": "Guide"})
    campaign = Campaign.objects.get(name="Guide")
    assert response["Location"].endswith(f"/campaigns/{campaign.pk}/")
    assert client.get(_url(team, f"{scenario.pk}/delete/")).status_code == 200
    assert Scenario.objects.exists()
    response = client.post(_url(team, f"{scenario.pk}/delete/"))
    assert response.status_code == 302 and not Scenario.objects.exists()


def test_compare_two_scenarios(team: Team, plan: dict[str, Any]) -> None:
    a = _create(team, plan)
    b = _create(team, plan, launch_date=dt.date(2026, 4, 30), name="Later guide")
    page = client_for(team.manager).get(_url(team, f"compare/?a={a.pk}&b={b.pk}"))
    text = page.content.decode()
    assert page.status_code == 200 and a.name in text and "Later guide" in text
    assert _running(b, "Newsletter")["notable"] is False


@pytest.mark.parametrize("who", ["member", "freelancer", "client"])
def test_only_planners_see_the_pages(team: Team, plan: dict[str, Any], who: str) -> None:
    scenario = _create(team, plan)
    client = client_for(getattr(team, who))
    assert client.get(_url(team)).status_code == 403
    # a scenario does not exist for freelancers and clients; members may not open it
    hidden = 403 if who == "member" else 404
    for tail in (f"{scenario.pk}/", f"{scenario.pk}/apply/", f"{scenario.pk}/delete/"):
        assert client.get(_url(team, tail)).status_code == hidden
        assert client.post(_url(team, tail)).status_code == hidden
    assert Scenario.objects.filter(pk=scenario.pk).exists()


def test_another_workspaces_scenario_is_not_found(
    team: Team, other_team: Team, plan: dict[str, Any]
) -> None:
    scenario = _create(team, plan)
    client = client_for(other_team.manager)
    response = client.get(f"/w/{other_team.workspace.slug}/capacity/scenarios/{scenario.pk}/")
    assert response.status_code == 404


# -- API -------------------------------------------------------------------------------------


def _api(team: Team, who: str = "manager") -> tuple[Client, dict[str, str], str]:
    _, raw = token_create(actor=getattr(team, who), name="api")
    return (
        Client(),
        {"HTTP_AUTHORIZATION": f"Bearer {raw}"},
        f"/api/v1/workspaces/{team.workspace.slug}/scenarios",
    )


def test_api_answers_with_the_figures(team: Team, plan: dict[str, Any]) -> None:
    client, auth, url = _api(team)
    body = {"template": plan["template"].pk, "launch_date": GUIDE.isoformat(), "trials": 500}
    response = client.post(url, body, content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    found = response.json()
    assert found["status"] == "done"
    news = next(r for r in found["result"]["running"] if r["name"] == "Newsletter")
    assert news["before"] > 0.9 and news["after"] < 0.1 and news["notable"]
    assert found["result"]["campaign"]["tasks"][0]["title"] == "Design the guide"
    listed = client.get(url, **auth).json()
    assert [s["id"] for s in listed] == [found["id"]]
    one = client.get(f"{url}/{found['id']}", **auth)
    assert one.status_code == 200 and one.json()["result"] == found["result"]
    assert client.delete(f"{url}/{found['id']}", **auth).status_code == 204
    assert client.get(f"{url}/{found['id']}", **auth).status_code == 404


def test_api_in_the_background_answers_202_then_the_poll_shows_it(
    team: Team, plan: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client, auth, url = _api(team)
    body = {"template": plan["template"].pk, "launch_date": GUIDE.isoformat()}
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            f"{url}?background=true", body, content_type="application/json", **auth
        )
    assert response.status_code == 202 and response.json()["status"] == "queued"
    assert response.json()["result"] is None
    scenario_compute_job.call(scenario_id=response.json()["id"], workspace_id=team.workspace.pk)
    polled = client.get(f"{url}/{response.json()['id']}", **auth).json()
    assert polled["status"] == "done" and polled["result"]["running"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"launch_date": "2026-02-01"}, 400, "launch_date"),
        ({"template": 999_999}, 400, "template"),
        ({"trials": 1_000_000}, 422, "trials"),
        ({"launch_date": "not a date"}, 422, "launch_date"),
        ({"add_people": [{"role": "juggler"}]}, 422, "add_people.0.role"),
    ],
)
def test_api_bad_input_says_what_and_where(
    team: Team, plan: dict[str, Any], body: dict[str, Any], status: int, field: str
) -> None:
    client, auth, url = _api(team)
    payload = {"template": plan["template"].pk, "launch_date": GUIDE.isoformat()} | body
    response = client.post(url, payload, content_type="application/json", **auth)
    assert response.status_code == status, response.content
    assert response.json()["field"] == field and response.json()["message"]
    assert not Scenario.objects.exists()


def test_api_removing_the_only_designer_says_what_makes_it_impossible(
    team: Team, plan: dict[str, Any]
) -> None:
    client, auth, url = _api(team)
    body = {
        "template": plan["template"].pk,
        "launch_date": GUIDE.isoformat(),
        "remove_people": [team.member.pk],
    }
    response = client.post(url, body, content_type="application/json", **auth)
    assert response.status_code == 400
    assert response.json()["code"] == "scenario_impossible"
    assert "needs designer work" in response.json()["message"]


@pytest.mark.parametrize("who", ["member", "freelancer", "client"])
def test_api_is_for_planners_only(team: Team, plan: dict[str, Any], who: str) -> None:
    client, auth, url = _api(team, who)
    assert client.get(url, **auth).status_code == 403
    body = {"template": plan["template"].pk, "launch_date": GUIDE.isoformat()}
    assert client.post(url, body, content_type="application/json", **auth).status_code == 403


def test_a_draft_campaign_is_tried_then_planned_for_the_date(
    team: Team, plan: dict[str, Any]
) -> None:
    # given a draft that needs the designer too
    draft = campaign_create(actor=team.manager, workspace=team.workspace, name="Spring lookbook")
    task_create(
        actor=team.manager, campaign=draft, title="Lay out the lookbook", duration_days=5,
        effort_hours=30, owner=team.member.pk, role_needed="designer",
    )  # fmt: skip
    # when
    scenario = _create(team, plan, template_id=None, draft_id=draft.pk)
    # then the draft's own work is tried on the date, and the newsletter feels it
    assert scenario.name == f"Add Spring lookbook on {GUIDE:%-d %b}"
    assert scenario.result is not None
    titles = [t["title"] for t in scenario.result["campaign"]["tasks"]]
    assert titles == ["Lay out the lookbook"]
    assert "Spring lookbook" not in [r["name"] for r in scenario.result["running"]]
    assert _running(scenario, "Newsletter")["notable"]
    campaign = scenario_apply(actor=team.manager, scenario=scenario)
    campaign.refresh_from_db()
    assert campaign.pk == draft.pk and campaign.status == "planned"
    assert campaign.launch_date == GUIDE


def test_work_it_out_again_queues_it(
    team: Team, plan: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    scenario = _create(team, plan)
    client = client_for(team.manager)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(_url(team, f"{scenario.pk}/recompute/"))
    assert response.status_code == 302 and len(callbacks) == 1
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.QUEUED


def test_pages_read_a_constant_number_of_queries(team: Team, plan: dict[str, Any]) -> None:
    client = client_for(team.manager)
    first = _create(team, plan)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.get(_url(team))  # the first page of a visit stores the workspace in the session
    few = (count(_url(team)), count(_url(team, f"{first.pk}/")))
    for day in (dt.date(2026, 4, 1), dt.date(2026, 4, 2), dt.date(2026, 4, 3)):
        _create(team, plan, launch_date=day)
    page = client.get(_url(team, f"{first.pk}/")).content.decode()
    assert "Work likely done" in page and "slips" in page and "26 Mar" in page
    assert (count(_url(team)), count(_url(team, f"{first.pk}/"))) == few


def test_a_bug_while_working_it_out_stops_the_page_waiting(
    team: Team, plan: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = _create(team, plan, compute=False)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("headway.capacity.scenarios.scenario_run", broken)
    with pytest.raises(RuntimeError):
        scenario_compute_job.call(scenario_id=scenario.pk, workspace_id=team.workspace.pk)
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.FAILED and not scenario.is_pending
    page = client_for(team.manager).get(_url(team, f"{scenario.pk}/")).content.decode()
    assert "could not be worked out" in page and "Working it out" not in page


def test_todays_plan_in_the_what_if_is_the_levelled_sections_plan(
    team: Team, plan: dict[str, Any]
) -> None:
    """The freelancer works Tuesday to Thursday; their task is stored Monday to Friday. The
    what-if counts their three days, as the levelled section on the load page does, not the
    workspace's five: one reading of the plan for both."""
    from headway.capacity.levelled import level_inputs
    from headway.capacity.scenarios_fetch import scenario_input

    capacity_set(
        actor=team.manager, workspace=team.workspace, user_id=team.freelancer.pk,
        weekly_hours=18, weekdays=[1, 2, 3], skill="copywriter",
    )  # fmt: skip
    copy = task_create(
        actor=team.manager, campaign=plan["newsletter"], title="Write the issue",
        duration_days=5, effort_hours=12, owner=team.freelancer.pk, role_needed="copywriter",
    )  # fmt: skip
    copy.refresh_from_db()
    assert copy.start_date is not None and copy.due_date is not None
    span = [
        copy.start_date + dt.timedelta(days=k)
        for k in range((copy.due_date - copy.start_date).days + 1)
    ]
    weekdays = [d for d in span if d.weekday() < 5]
    theirs = [d for d in span if d.weekday() in (1, 2, 3)]
    assert len(weekdays) == 5 and len(theirs) == 3
    inp, _ = scenario_input(_create(team, plan))
    task = next(t for t in inp.plan_tasks if t.id == copy.pk)
    assert (task.start, task.duration) == (theirs[0], 3)
    assert task.hours_per_day == pytest.approx(4.0)
    levelled = level_inputs(team.workspace)
    assert list(inp.plan_tasks) == levelled.tasks
    assert set(inp.plan_links) == set(levelled.links)


def test_a_saved_answer_says_when_the_plans_have_changed_since(
    team: Team, plan: dict[str, Any]
) -> None:
    from django.urls import reverse

    from headway.capacity.scenarios import scenario_compute
    from headway.planning.services.tasks import task_update

    scenario = _create(team, plan)
    url = reverse(
        "capacity:scenario", kwargs={"ws": team.workspace.slug, "scenario_id": scenario.pk}
    )
    manager = client_for(team.manager)
    page = manager.get(url).text
    assert "data-outdated" not in page and "nothing in the plans has changed since" in page
    # when other work changes
    design = Task.objects.get(title="Design the issue")
    task_update(actor=team.manager, task=design, version=design.version, effort_hours=35)
    # then the page says the answer is out of date
    page = manager.get(url).text
    assert "data-outdated" in page and "the plans have changed since — " in page
    # and worked out again, it is current
    scenario_compute(scenario=Scenario.objects.get(pk=scenario.pk))
    page = manager.get(url).text
    assert "data-outdated" not in page
    # and an approval escalated past its limit changes no plan
    Event.objects.create(
        workspace=team.workspace,
        verb=Verb.UPDATED,
        object_type="approvals.approvalrequest",
        object_id="1",
        object_repr="Design (round 1)",
        changes={"escalated": [False, True]},
        created_at=timezone.now(),
    )
    assert "data-outdated" not in manager.get(url).text


def test_the_page_says_its_basis_and_what_levelling_cannot_fit(
    team: Team, plan: dict[str, Any]
) -> None:
    """The guide's design needs 8 h a day; the designer has 6.4: it stays over their hours,
    and the page says so next to the load table, with how many tasks."""
    from django.urls import reverse

    spec = {
        "tasks": [
            {"key": "design", "title": "Design the guide", "role": "designer", "duration": 5,
             "effort": 40},
            {"key": "live", "title": "Guide live", "kind": "launch", "after": ["design"]},
        ]
    }  # fmt: skip
    heavy = template_create(actor=team.manager, workspace=team.workspace, name="Heavy", spec=spec)
    scenario = _create(team, plan, template_id=heavy.pk)
    assert scenario.result is not None and scenario.result["over_day_after"] == 1
    url = reverse(
        "capacity:scenario", kwargs={"ws": team.workspace.slug, "scenario_id": scenario.pk}
    )
    page = client_for(team.manager).get(url).text
    assert "Basis: if everyone works within their hours" in page
    note = page.split("data-over-day>")[1].split("</p>")[0]
    assert "stays over their hours: 1 task." in note


def _reads(queries: CaptureQueriesContext, table: str) -> int:
    return sum(1 for q in queries.captured_queries if f'FROM "{table}"' in q["sql"])


def test_working_a_scenario_out_reads_each_setting_once(team: Team, plan: dict[str, Any]) -> None:
    """The hours in a day, the calendar, the people and their days off are read once for a
    scenario's input (the levelled plan's read gives them), and the approvals given once."""
    from headway.capacity.scenarios_fetch import scenario_input

    scenario = _create(team, plan, compute=False)
    scenario = Scenario.objects.select_related("workspace", "template", "draft").get(pk=scenario.pk)
    with CaptureQueriesContext(connection) as queries:
        scenario_input(scenario)
    reads = {
        table: _reads(queries, table)
        for table in (
            "capacity_capacitysettings",
            "planning_holiday",
            "workspaces_membership",
            "planning_timeoff",
            "approvals_approvalrequest",
        )
    }
    # approvals: the ones given (the forecasts) and the history of decisions (waits)
    assert reads == {
        "capacity_capacitysettings": 1,
        "planning_holiday": 1,
        "workspaces_membership": 1,
        "planning_timeoff": 1,
        "approvals_approvalrequest": 2,
    }


def test_creating_a_scenario_reads_the_people_once(team: Team, plan: dict[str, Any]) -> None:
    with CaptureQueriesContext(connection) as queries:
        _create(team, plan, compute=False, remove_people=[team.manager.pk])
    people = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "workspaces_membership"' in q["sql"] and '"capacity_capacity"' in q["sql"]
    ]
    assert len(people) == 1


def _page_with(team: Team, plan: dict[str, Any], **change: Any) -> str:
    """The scenario page for a worked-out answer with its new campaign's figures and its
    running rows set as the demo walk found them."""
    scenario = _create(team, plan)
    answer = dict(scenario.result or {})
    campaign = dict(answer["campaign"]) | change.pop("campaign", {})
    answer |= {"campaign": campaign} | change
    Scenario.objects.filter(pk=scenario.pk).update(result=answer)
    text = client_for(team.manager).get(_url(team, f"{scenario.pk}/")).content.decode()
    return " ".join(text.split())


def test_a_plan_that_fits_with_a_low_chance_is_not_said_to_still_fit(
    team: Team, plan: dict[str, Any]
) -> None:
    # given the levelled plan launches on its date (its work done the working day before),
    # but only 5% of the trials do
    page = _page_with(
        team,
        plan,
        campaign={
            "levelled_launch": GUIDE.isoformat(),
            "p_on_time": 0.05,
            "p50_finish": "2026-03-23",
            "p85_finish": "2026-03-25",
            "tasks": [
                {"id": -1, "title": "Design the guide", "role": "designer", "owner_id": None,
                 "owner": "", "start": "2026-03-12", "due": "2026-03-18", "milestone": False},
                {"id": -2, "title": "Guide live", "role": "", "owner_id": None, "owner": "",
                 "start": "2026-03-19", "due": "2026-03-19", "milestone": True},
            ],
        },
    )  # fmt: skip
    # then the page says what the levelled plan gives and what the forecast gives
    assert "still fits" not in page
    assert (
        "Planned with everyone within their hours: launches Thu 19 Mar, its work done "
        "Wed 18 Mar, with no time in hand." in page
    )
    assert "5% chance of launching by 19 Mar" in page
    assert "half the trials finish the work before the launch by Mon 23 Mar" in page
    assert "The planned date holds only if no task takes longer than planned." in page


def test_the_headline_counts_the_rows_that_show_a_change_for_the_worse(
    team: Team, plan: dict[str, Any]
) -> None:
    # given two running rows with no change in their chance (0% both), one of them with its
    # work likely done later, and one 10 points less likely on time
    def row(n: int, before: float, after: float, slip: int) -> dict[str, Any]:
        return {
            "id": plan["newsletter"].pk, "name": f"Launch {n}", "launch_date": "2026-03-20",
            "before": before, "after": after, "drop": before - after,
            "likely_before": "2026-03-13", "likely_after": "2026-03-17" if slip else "2026-03-13",
            "slip_days": slip, "notable": True, "because": "",
        }  # fmt: skip

    page = _page_with(
        team, plan, running=[row(1, 0.0, 0.0, 0), row(2, 0.0, 0.0, 2), row(3, 0.5, 0.4, 0)]
    )
    # then the headline counts the two rows that show it, and says how
    assert "2 running launches hit: 1 less likely on time, 1 with work likely done later" in (
        page.replace("<strong>", "").replace("</strong>", "")
    )
    assert page.count('class="row-alert"') == 2

"""The reviews and learnings API: list, read, complete, add and search; errors as JSON;
freelancers and clients refused."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from headway.accounts.models import User
from headway.accounts.services import token_create
from headway.activity.models import Event
from headway.conftest import Team
from headway.planning.models import CampaignTemplate
from headway.planning.services.campaigns import campaign_create, campaign_set_status
from headway.results.reviews.models import Learning, Review, ReviewStatus
from headway.results.reviews.services import learning_add

pytestmark = pytest.mark.django_db
ANSWERS = {
    "verdict": "yes",
    "delivered": "45 leads against 40.",
    "learned": "Two-week retargeting works.",
    "differently": "Cut the 30-day pool sooner.",
}


def _auth(user: User) -> dict[str, str]:
    _, raw = token_create(actor=user, name="api")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _api(team: Team, tail: str) -> str:
    return f"/api/v1/workspaces/{team.workspace.slug}/{tail}"


def _review(team: Team, name: str = "Burst", owner: User | None = None) -> Review:
    campaign = campaign_create(
        actor=team.manager,
        workspace=team.workspace,
        name=name,
        metrics=[{"name": "Leads", "target": 40}],
        owner=(owner or team.manager).pk,
    )
    campaign_set_status(actor=team.manager, campaign=campaign, status="launched")
    return Review.objects.get(campaign=campaign)


def test_list_get_and_complete_a_review(client: Client, team: Team) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        review = _review(team, owner=team.member)  # the campaign's owner completes it
    auth = _auth(team.member)
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC), tick=False):
        listed = client.get(_api(team, "reviews?state=overdue"), **auth)
        assert listed.status_code == 200, listed.content
        body = listed.json()
        assert [(r["id"], r["overdue"], r["due_date"]) for r in body] == [
            (review.pk, True, "2026-03-16")
        ]
        assert client.get(_api(team, "reviews?state=due"), **auth).json() == []
    one = client.get(_api(team, f"reviews/{review.pk}"), **_auth(team.manager)).json()
    assert one["targets"][0]["name"] == "Leads" and one["targets"][0]["actual"] == "0"
    assert one["execution"] is not None and "late_days" in one["execution"]
    done = client.post(
        _api(team, f"reviews/{review.pk}/complete"),
        ANSWERS,
        content_type="application/json",
        **auth,
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "completed"
    assert done.json()["completed_by"] == team.member.pk
    completed = client.get(_api(team, "reviews?state=completed"), **auth).json()
    assert [r["id"] for r in completed] == [review.pk]


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"verdict": "maybe"}, 400, "verdict"),
        ({"learned": ""}, 400, "learned"),
        ({"delivered": "x" * 20_001}, 422, "delivered"),
        ({"differently": "a\x00b"}, 422, "differently"),
        ({"verdict": None}, 422, "verdict"),
    ],
)
def test_complete_refuses_bad_answers_as_json(
    client: Client, team: Team, change: dict, status: int, field: str
) -> None:
    review = _review(team)
    answer = client.post(
        _api(team, f"reviews/{review.pk}/complete"),
        ANSWERS | change,
        content_type="application/json",
        **_auth(team.owner),
    )
    assert answer.status_code == status, answer.content
    assert answer.json()["field"] == field and answer.json()["message"]
    review.refresh_from_db()
    assert review.status == ReviewStatus.DUE


def test_bad_state_and_unknown_review(client: Client, team: Team) -> None:
    auth = _auth(team.owner)
    assert client.get(_api(team, "reviews?state=late"), **auth).status_code == 422
    missing = client.get(_api(team, "reviews/987654"), **auth)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    huge = client.get(_api(team, f"reviews/{2**70}"), **auth)
    assert huge.status_code in (404, 422)


def test_add_and_search_learnings(client: Client, team: Team) -> None:
    review = _review(team)
    template = CampaignTemplate.objects.get(workspace=team.workspace, name="Paid social burst")
    auth = _auth(team.member)
    made = client.post(
        _api(team, "learnings"),
        {
            "text": "Ad creative needs six days.",
            "review": review.pk,
            "template": template.pk,
            "work_kind": "designer",
            "audience": "cold",
        },
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201, made.content
    assert made.json()["template_name"] == "Paid social burst"
    learning_add(actor=team.member, workspace=team.workspace, text="Questions in subject lines.")
    found = client.get(_api(team, "learnings?q=creat"), **auth).json()
    assert [row["text"] for row in found] == ["Ad creative needs six days."]
    by_tag = client.get(_api(team, f"learnings?template={template.pk}"), **auth).json()
    assert len(by_tag) == 1
    everything = client.get(_api(team, "learnings"), **auth).json()
    assert len(everything) == 2
    odd = client.get(_api(team, 'learnings?q="NEAR(OR'), **auth)
    assert odd.status_code == 200 and odd.json() == []


def test_learning_with_bad_tags_is_refused_and_not_stored(client: Client, team: Team) -> None:
    auth = _auth(team.owner)
    for body, field in (
        ({"text": "x", "channel": 999999}, "channel"),
        ({"text": "x", "work_kind": "juggling"}, "work_kind"),
        ({"text": ""}, "text"),
        ({"text": "x", "review": 0}, "review"),
    ):
        answer = client.post(_api(team, "learnings"), body, content_type="application/json", **auth)
        assert answer.status_code in (400, 422), (body, answer.content)
        assert answer.json()["field"] == field
    assert not Learning.objects.exists()


@pytest.mark.parametrize("role", ["freelancer", "client"])
def test_freelancers_and_clients_are_refused(client: Client, team: Team, role: str) -> None:
    review = _review(team)
    learning_add(actor=team.member, workspace=team.workspace, text="Secret lesson")
    auth = _auth(getattr(team, role))
    for path in ("reviews", f"reviews/{review.pk}", "learnings", "learnings?q=secret"):
        answer = client.get(_api(team, path), **auth)
        assert answer.status_code in (403, 404), path
        assert b"Secret" not in answer.content and b"Burst" not in answer.content
    complete = client.post(
        _api(team, f"reviews/{review.pk}/complete"),
        ANSWERS,
        content_type="application/json",
        **auth,
    )
    assert complete.status_code in (403, 404)
    review.refresh_from_db()
    assert review.status == ReviewStatus.DUE


def test_another_workspaces_review_is_not_found(
    client: Client, team: Team, other_team: Team
) -> None:
    theirs = _review(other_team)
    answer = client.get(_api(team, f"reviews/{theirs.pk}"), **_auth(team.owner))
    assert answer.status_code == 404


def test_review_settings_over_the_api(client: Client, team: Team) -> None:
    url = _api(team, "review-settings")
    assert client.get(url, **_auth(team.member)).json() == {"review_after_days": 14}
    for bad in (0, 366, "two weeks", 2**70):
        answer = client.put(
            url, {"review_after_days": bad}, content_type="application/json", **_auth(team.owner)
        )
        assert answer.status_code == 422 and answer.json()["field"] == "review_after_days"
    member = client.put(
        url, {"review_after_days": 7}, content_type="application/json", **_auth(team.member)
    )
    assert member.status_code == 403
    ok = client.put(
        url, {"review_after_days": 21}, content_type="application/json", **_auth(team.manager)
    )
    assert ok.status_code == 200 and ok.json() == {"review_after_days": 21}
    assert client.get(url, **_auth(team.client)).status_code == 403


META = (
    "Reporting starts,Reporting ends,Campaign name,Campaign delivery,Ad set budget,"
    "Ad set budget type,Attribution setting,Results,Result indicator,Reach,Impressions,"
    "Link clicks,Cost per results,Amount spent (USD),Ends\n"
    "2026-03-10,2026-03-10,Burst - Prospecting,active,60,Daily,7-day click or 1-day view,"
    "25,actions:offsite_conversion.fb_pixel_lead,2000,3000,60,20.0,1234.00,Ongoing\n"
)


@pytest.mark.parametrize("role", ["member", "freelancer", "client"])
def test_only_planners_get_results_figures_of_a_review(
    client: Client, team: Team, role: str
) -> None:
    from headway.results.services import import_store

    campaign = campaign_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Burst",
        platform_names=["Burst - Prospecting"],
        metrics=[{"name": "Leads", "target": 40}],
    )
    campaign_set_status(actor=team.manager, campaign=campaign, status="launched")
    review = Review.objects.get(campaign=campaign)
    import_store(actor=team.owner, workspace=team.workspace, data=META.encode(), file_name="m.csv")
    path = _api(team, f"reviews/{review.pk}")
    planner = client.get(path, **_auth(team.manager)).json()
    assert planner["results_shown"] is True
    assert [(t["name"], t["actual"]) for t in planner["targets"]] == [("Leads", "25")]
    answer = client.get(path, **_auth(getattr(team, role)))
    if role == "member":
        body = answer.json()
        assert answer.status_code == 200
        assert body["results_shown"] is False and body["targets"] == []
        assert body["execution"] is not None
    else:
        assert answer.status_code in (403, 404)
    assert b"1234" not in answer.content and b'"25"' not in answer.content


def test_only_planners_and_the_campaigns_owner_answer_a_review(client: Client, team: Team) -> None:
    review = _review(team)  # the manager's campaign
    url = _api(team, f"reviews/{review.pk}/complete")
    member = _auth(team.member)
    assert client.get(_api(team, f"reviews/{review.pk}"), **member).json()["can_answer"] is False
    refused = client.post(url, ANSWERS, content_type="application/json", **member)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    review.refresh_from_db()
    assert review.status == ReviewStatus.DUE
    done = client.post(url, ANSWERS, content_type="application/json", **_auth(team.manager))
    assert done.status_code == 200 and done.json()["edited_by"] is None
    overwrite = client.post(
        url, ANSWERS | {"verdict": "no"}, content_type="application/json", **member
    )
    assert overwrite.status_code == 403
    review.refresh_from_db()
    assert review.verdict == "yes" and review.edited_by is None
    # An admin changes it: the review says who and when, and the change is logged.
    edited = client.post(
        url, ANSWERS | {"verdict": "partly"}, content_type="application/json", **_auth(team.admin)
    )
    assert edited.status_code == 200, edited.content
    body = edited.json()
    assert body["verdict"] == "partly" and body["completed_by"] == team.manager.pk
    assert body["edited_by"] == team.admin.pk and body["edited_at"] and body["can_answer"]
    event = Event.objects.filter(object_type="results.review", object_id=str(review.pk)).latest(
        "id"
    )
    assert event.actor_id == team.admin.pk and event.changes["verdict"] == ["yes", "partly"]

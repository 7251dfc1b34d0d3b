"""What the fuzzer and a new user found: each out-of-bounds value answers 422 with its field
named and stores nothing; overflowing dates are refused by the services too."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client, override_settings

from headway.accounts.services import token_create
from headway.activity.models import Event
from headway.approvals.models import ApprovalChain
from headway.conftest import Team
from headway.core.errors import DomainError
from headway.planning.models import Campaign, Channel, Comment, Holiday, SuccessMetric, TimeOff
from headway.planning.services.calendar import holiday_add, timeoff_add
from headway.planning.services.campaigns import campaign_create, campaign_update
from headway.planning.tests.factories import chain
from headway.publishing.models import ContentPiece
from headway.publishing.services import piece_create

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = 2**64


def _auth(user: Any) -> dict[str, str]:
    _, raw = token_create(actor=user, name="api")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _refused(response: Any, field: str, status: int = 422) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["field"] == field, body
    assert body["code"] == ("validation_error" if status == 422 else body["code"])
    assert body["message"]


def _counts(models: tuple[type[Model], ...]) -> list[int]:
    # the tokens each test creates to call the API are logged too; they are not the change
    events = Event.objects.exclude(object_type="accounts.apitoken").count()
    return [m.objects.count() for m in models] + [events]


def _unchanged(*models: type[Model]) -> Callable[[], None]:
    """Counts rows now; the returned check asserts the counts (and the audit log) held."""
    before = _counts(models)

    def check() -> None:
        assert _counts(models) == before

    return check


def _post(client: Client, team: Team, path: str, body: Any, user: Any = None) -> Any:
    return client.post(
        f"/api/v1/workspaces/{team.workspace.slug}/{path}",
        body,
        content_type="application/json",
        **_auth(user or team.manager),
    )


def test_a_budget_beyond_its_column_is_refused(client: Client, team: Team) -> None:
    held = _unchanged(Campaign)
    response = _post(client, team, "campaigns", {"name": "X", "budget": 10**20})
    _refused(response, "budget")
    held()
    assert "digits" in response.json()["message"]


def test_a_metric_target_over_fourteen_digits_is_refused(client: Client, team: Team) -> None:
    held = _unchanged(Campaign, SuccessMetric)
    response = _post(
        client, team, "campaigns", {"name": "X", "metrics": [{"name": "Sales", "target": 1e15}]}
    )
    _refused(response, "metrics.0.target")
    held()


def test_integers_beyond_64_bits_in_bodies_are_refused(client: Client, team: Team) -> None:
    held = _unchanged(Campaign, ApprovalChain)
    _refused(_post(client, team, "campaigns", {"name": "X", "owner": BEYOND_64_BITS}), "owner")
    chain_body = {"name": "C", "kind": "content", "round_cap": BEYOND_64_BITS, "steps": []}
    _refused(_post(client, team, "approval-chains", chain_body), "round_cap")
    held()


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("board?person={n}", "person"),
        ("board?campaign={n}", "campaign"),
        ("activity?offset={n}", "offset"),
        ("activity?actor_id={n}", "actor_id"),
    ],
)
def test_integers_beyond_64_bits_in_query_strings_are_refused(
    client: Client, team: Team, path: str, field: str
) -> None:
    url = f"/api/v1/workspaces/{team.workspace.slug}/{path.format(n=BEYOND_64_BITS)}"
    _refused(client.get(url, **_auth(team.owner)), field)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"round_cap": -1}, "round_cap"),
        ({"round_cap": 0}, "round_cap"),
        ({"remind_before_hours": -4}, "remind_before_hours"),
        (
            {"steps": [{"name": "Legal", "approver_role": "owner", "limit": 100_000_000}]},
            "steps.0.limit",
        ),
    ],
)
def test_chain_limits_are_refused_not_clamped(
    client: Client, team: Team, changes: dict[str, Any], field: str
) -> None:
    held = _unchanged(ApprovalChain)
    body = {"name": "Review", "kind": "content", "steps": [{"name": "Lead", "approvers": []}]}
    started = time.perf_counter()
    _refused(_post(client, team, "approval-chains", body | changes), field)
    assert time.perf_counter() - started < 1
    held()


def test_a_launch_date_that_overflows_the_calendar_is_refused(client: Client, team: Team) -> None:
    held = _unchanged(Campaign)
    response = _post(client, team, "campaigns", {"name": "X", "launch_date": "9999-12-31"})
    _refused(response, "launch_date")
    held()
    assert "2200" in response.json()["message"]


def test_a_launch_date_moved_out_of_range_is_refused_and_the_brief_kept(
    client: Client, team: Team
) -> None:
    campaign, _ = chain(team, launch=dt.date.today() + dt.timedelta(days=60))
    url = f"/api/v1/workspaces/{team.workspace.slug}/campaigns/{campaign.pk}"
    response = client.patch(
        url,
        {"version": campaign.version, "launch_date": "9999-12-31"},
        content_type="application/json",
        **_auth(team.manager),
    )
    _refused(response, "launch_date")
    campaign.refresh_from_db()
    assert campaign.launch_date == dt.date.today() + dt.timedelta(days=60)


def test_services_refuse_unschedulable_dates_that_slip_past_the_schema(team: Team) -> None:
    campaign, _ = chain(team, launch=dt.date.today() + dt.timedelta(days=60))
    far = dt.date(9999, 12, 31)
    cases: list[tuple[str, Callable[[], object]]] = [
        (
            "launch_date",
            lambda: campaign_create(
                actor=team.manager, workspace=team.workspace, name="Far", launch_date=far
            ),
        ),
        (
            "launch_date",
            lambda: campaign_update(
                actor=team.manager, campaign=campaign, version=campaign.version, launch_date=far
            ),
        ),
        (
            "first_day",
            lambda: timeoff_add(
                actor=team.manager,
                workspace=team.workspace,
                user_id=team.member.pk,
                first_day=dt.date(9999, 12, 1),
                last_day=far,
            ),
        ),
        (
            "date",
            lambda: holiday_add(actor=team.manager, workspace=team.workspace, date=far, name="Far"),
        ),
    ]
    held = _unchanged(Campaign, TimeOff, Holiday)
    for field, call in cases:
        with pytest.raises(DomainError) as caught:
            call()
        assert caught.value.field == field
    held()


def test_time_off_in_year_9999_is_refused(client: Client, team: Team) -> None:
    held = _unchanged(TimeOff)
    body = {"user_id": team.member.pk, "first_day": "9999-12-01", "last_day": "9999-12-31"}
    _refused(_post(client, team, "time-off", body), "first_day")
    held()


def test_a_publish_slot_before_year_one_in_utc_is_refused(client: Client, team: Team) -> None:
    channel = Channel.objects.filter(workspace=team.workspace).first()
    assert channel is not None
    held = _unchanged(ContentPiece)
    body = {
        "title": "Early",
        "kind": "blog_post",
        "channel": channel.pk,
        "publish_at": "0001-01-01T00:00:00+05:00",
    }
    _refused(_post(client, team, "content", body), "publish_at")
    with pytest.raises(DomainError) as caught:
        piece_create(
            actor=team.manager,
            workspace=team.workspace,
            title="Early",
            kind="blog_post",
            channel=channel.pk,
            publish_at=dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5))),
        )
    assert caught.value.field == "publish_at"
    held()


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"name": "\\ud800"}', "name"),
        ('{"name": "Blog\\u0000"}', "name"),
        ('{"name": "' + "x" * 61 + '"}', "name"),
    ],
)
def test_text_the_database_cannot_hold_is_refused(
    client: Client, team: Team, raw: str, field: str
) -> None:
    held = _unchanged(Channel)
    _refused(_post(client, team, "channels", raw), field)
    held()


def test_a_lone_surrogate_inside_a_template_spec_is_refused(client: Client, team: Team) -> None:
    raw = '{"name": "T", "spec": {"tasks": [{"id": "a\\udc00", "duration": 1}]}}'
    _refused(_post(client, team, "templates", raw), "spec")


def test_a_long_comment_is_refused_not_cut(client: Client, team: Team) -> None:
    _, tasks = chain(team)
    held = _unchanged(Comment)
    response = _post(client, team, f"tasks/{tasks[0].pk}/comments", {"body": "x" * 1_000_000})
    _refused(response, "body")
    assert response.json()["message"].startswith("At most 5,000 characters are allowed")
    held()


@pytest.mark.parametrize("debug", [True, False])
def test_a_too_large_body_answers_json_413(client: Client, team: Team, debug: bool) -> None:
    held = _unchanged(Campaign)
    with override_settings(DEBUG=debug):
        response = _post(client, team, "campaigns", {"name": "X", "objective": "x" * 3_000_000})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    held()


@pytest.mark.parametrize("debug", [True, False])
def test_an_unexpected_error_answers_json_500(
    client: Client, team: Team, debug: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("headway.workspaces.selectors.members_list", broken)
    with override_settings(DEBUG=debug):
        response = client.get(
            f"/api/v1/workspaces/{team.workspace.slug}/members", **_auth(team.manager)
        )
    assert response.status_code == 500
    assert response.json() == {
        "code": "server_error",
        "message": "Something went wrong on our side; it was logged.",
        "field": None,
    }


def test_every_operation_documents_its_error_responses(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["components"]["schemas"]["ErrorOut"]["required"] == ["code", "message"]
    operations = [op for path in spec["paths"].values() for op in path.values()]
    assert len(operations) > 40
    for op in operations:
        for status in ("400", "401", "403", "404", "409", "413", "422", "500"):
            schema = op["responses"][status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOut"}, op["operationId"]

from __future__ import annotations

import pytest
from django.test import Client

from headway.accounts.services import token_create
from headway.conftest import Team, client_for

pytestmark = pytest.mark.django_db


def _token_client(user) -> tuple[Client, dict[str, str]]:
    _, raw = token_create(actor=user, name="t")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_openapi_description_lists_the_routes(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "Headway API"
    for path in (
        "/api/v1/me",
        "/api/v1/workspaces",
        "/api/v1/workspaces/{ws}/members",
        "/api/v1/workspaces/{ws}/invitations",
        "/api/v1/workspaces/{ws}/activity",
    ):
        assert path in spec["paths"], path


def test_interactive_docs_load_without_inline_script(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"swagger-ui-bundle.js" in response.content


def test_unauthenticated_requests_get_json_401(client: Client) -> None:
    response = client.get("/api/v1/workspaces")
    assert response.status_code == 401
    assert set(response.json()) >= {"code", "message", "field"}


def test_workspaces_and_members_over_a_token(team: Team) -> None:
    client, auth = _token_client(team.manager)
    workspaces = client.get("/api/v1/workspaces", **auth).json()
    assert workspaces == [
        {
            "slug": team.workspace.slug,
            "name": "Alpha Homeware",
            "kind": "organisation",
            "time_zone": "UTC",
            "role": "manager",
        }
    ]
    members = client.get(f"/api/v1/workspaces/{team.workspace.slug}/members", **auth).json()
    assert {m["role"] for m in members} == {
        "owner",
        "admin",
        "manager",
        "member",
        "freelancer",
        "client",
    }


def test_invitation_over_the_api_then_accept_in_the_browser(team: Team) -> None:
    client, auth = _token_client(team.owner)
    created = client.post(
        f"/api/v1/workspaces/{team.workspace.slug}/invitations",
        {"role": "client"},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201
    url = created.json()["url"]
    from headway.conftest import make_user

    newcomer = client_for(make_user("guest@example.com"))
    newcomer.post(url.split("8000", 1)[1])
    ws = newcomer.get("/api/v1/workspaces").json()
    assert ws[0]["role"] == "client"


def test_malformed_json_is_a_clear_400_or_422(team: Team) -> None:
    client, auth = _token_client(team.owner)
    response = client.post(
        f"/api/v1/workspaces/{team.workspace.slug}/invitations",
        "{not json",
        content_type="application/json",
        **auth,
    )
    assert response.status_code in (400, 422)
    body = response.json()
    assert body["code"] and body["message"]


def test_a_wrong_value_names_its_field(team: Team) -> None:
    client, auth = _token_client(team.owner)
    response = client.post(
        f"/api/v1/workspaces/{team.workspace.slug}/invitations",
        {"role": "emperor"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422
    assert response.json()["field"] == "role"
    assert (
        "emperor" in response.json()["message"] or "Input should be" in response.json()["message"]
    )


def test_a_rule_broken_in_a_service_is_400_with_the_field(team: Team) -> None:
    client, auth = _token_client(team.owner)
    response = client.post(
        f"/api/v1/workspaces/{team.workspace.slug}/invitations",
        {"role": "member", "email": "not-an-email"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "field": "email",
        "message": "'not-an-email' is not a valid email address.",
    }


def test_forbidden_actions_answer_403(team: Team) -> None:
    client, auth = _token_client(team.member)
    response = client.post(
        f"/api/v1/workspaces/{team.workspace.slug}/invitations",
        {"role": "member"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_session_writes_need_the_csrf_token(team: Team) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(team.owner)
    response = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf"


def test_role_change_and_removal_over_the_api(team: Team) -> None:
    client, auth = _token_client(team.owner)
    member = team.membership(team.member)
    base = f"/api/v1/workspaces/{team.workspace.slug}/members/{member.pk}"
    patched = client.patch(base, {"role": "manager"}, content_type="application/json", **auth)
    assert patched.json()["role"] == "manager"
    assert client.delete(base, **auth).status_code == 204
    owner = team.membership(team.owner)
    last_owner = client.delete(
        f"/api/v1/workspaces/{team.workspace.slug}/members/{owner.pk}", **auth
    )
    assert last_owner.status_code == 400
    assert "at least one owner" in last_owner.json()["message"]

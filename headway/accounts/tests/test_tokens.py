from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from headway.accounts.models import ApiToken
from headway.accounts.services import token_create, token_revoke
from headway.conftest import Team, client_for

pytestmark = pytest.mark.django_db


def _bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_authenticates_and_records_last_use(team: Team) -> None:
    token, raw = token_create(actor=team.manager, name="report script")
    assert token.last_used_at is None
    response = Client().get("/api/v1/me", **_bearer(raw))
    assert response.status_code == 200
    assert response.json()["email"] == team.manager.email
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_raw_token_is_not_stored(team: Team) -> None:
    token, raw = token_create(actor=team.owner, name="x")
    stored = ApiToken.objects.filter(pk=token.pk).values_list("token_hash", "prefix").get()
    assert raw not in stored
    assert raw.startswith(stored[1])


def test_a_revoked_token_is_refused_with_json(team: Team) -> None:
    token, raw = token_create(actor=team.owner, name="old")
    token_revoke(actor=team.owner, token=token)
    response = Client().get("/api/v1/me", **_bearer(raw))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_malformed_authorization_header_is_refused(team: Team) -> None:
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION="Token abc")
    assert response.status_code == 401


def test_tokens_api_creates_shows_once_and_revokes(team: Team) -> None:
    client = client_for(team.owner)
    created = client.post("/api/v1/tokens", {"name": "zapier"}, content_type="application/json")
    assert created.status_code == 201
    raw = created.json()["token"]
    listed = client.get("/api/v1/tokens").json()
    assert [t["name"] for t in listed] == ["zapier"]
    assert "token" not in listed[0]
    revoked = client.delete(f"/api/v1/tokens/{created.json()['id']}")
    assert revoked.json()["revoked_at"] is not None
    assert Client().get("/api/v1/me", **_bearer(raw)).status_code == 401


def test_tokens_page_shows_a_new_token_once(team: Team) -> None:
    client = client_for(team.owner)
    page = client.post("/accounts/tokens/", {"name": "sheet sync"}).content.decode()
    assert "not shown again" in page
    raw = page.split("data-copy>")[1].split("<")[0]
    assert raw.startswith("hw_")
    assert raw not in client.get("/accounts/tokens/").content.decode()


def test_token_command_prints_a_working_token(team: Team, capsys) -> None:
    call_command("token", "create", "--user", team.member.email, "--name", "cli")
    raw = capsys.readouterr().out.strip()
    assert Client().get("/api/v1/me", **_bearer(raw)).json()["email"] == team.member.email


def test_token_command_names_an_unknown_user(db: None) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match=r"nobody@example\.com"):
        call_command("token", "create", "--user", "nobody@example.com")


def test_a_token_under_a_workspace_answers_as_the_role_the_member_has_now(team: Team) -> None:
    """The token, user and membership are read in one query on every request: a revoked
    token, a deactivated user or a changed role takes effect on the next request."""
    from headway.planning.services.campaigns import campaign_create
    from headway.workspaces.services import membership_change_role, membership_remove

    campaign = campaign_create(actor=team.owner, workspace=team.workspace, name="Spring")
    token, raw = token_create(actor=team.manager, name="planner script")
    path = f"/api/v1/workspaces/{team.workspace.slug}/campaigns/{campaign.pk}/tasks"

    def create() -> tuple[int, str]:
        response = Client().post(
            path, {"title": "Brief"}, content_type="application/json", **_bearer(raw)
        )
        return response.status_code, response.json().get("code", "")

    assert create()[0] == 201
    token.refresh_from_db()
    assert token.last_used_at is not None
    manager = team.membership(team.manager)
    membership_change_role(actor=team.owner, membership=manager, role="member")
    assert create() == (403, "forbidden")
    membership_change_role(actor=team.owner, membership=manager, role="manager")
    assert create()[0] == 201
    team.manager.is_active = False
    team.manager.save(update_fields=["is_active"])
    assert create() == (401, "unauthenticated")
    team.manager.is_active = True
    team.manager.save(update_fields=["is_active"])
    membership_remove(actor=team.owner, membership=team.membership(team.manager))
    assert create() == (404, "not_found")  # a valid token, but no longer a member
    assert Client().post(path, {"title": "x"}, content_type="application/json").status_code == 401
    token_revoke(actor=team.manager, token=token)
    assert create() == (401, "unauthenticated")

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headway.conftest import Team, client_for
from headway.workspaces.services import invitation_create

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"", re.I)


def _pages(team: Team) -> list[str]:
    ws = team.workspace.slug
    return [
        reverse("workspaces:dashboard", kwargs={"ws": ws}),
        reverse("workspaces:members", kwargs={"ws": ws}),
        reverse("activity:audit-trail", kwargs={"ws": ws}),
        reverse("workspaces:background", kwargs={"ws": ws}),
        reverse("accounts:tokens"),
        reverse("workspaces:new"),
    ]


def test_every_page_renders_and_satisfies_the_content_security_policy(team: Team) -> None:
    client = client_for(team.owner)
    for url in _pages(team):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), f"inline script on {url}"
        assert not INLINE_STYLE.search(html), f"inline style on {url}"


def test_public_pages_render_without_login() -> None:
    client = Client()
    for name in ("accounts:login", "accounts:signup", "accounts:password-reset"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert not INLINE_SCRIPT.search(response.content.decode())


def test_home_redirects_to_the_last_workspace(team: Team, other_team: Team) -> None:
    from headway.workspaces.services import membership_add

    membership_add(
        actor=other_team.owner, workspace=other_team.workspace, user=team.owner, role="member"
    )
    client = client_for(team.owner)
    client.get(reverse("workspaces:dashboard", kwargs={"ws": other_team.workspace.slug}))
    response = client.get("/")
    assert response.headers["Location"] == f"/w/{other_team.workspace.slug}/"


def test_home_without_workspace_offers_to_create_one(db: None) -> None:
    from headway.conftest import make_user

    response = client_for(make_user("lonely@example.com")).get("/")
    assert b"Create a workspace" in response.content


def test_switcher_lists_every_workspace_of_the_user(team: Team, other_team: Team) -> None:
    from headway.workspaces.services import membership_add

    membership_add(
        actor=other_team.owner, workspace=other_team.workspace, user=team.manager, role="manager"
    )
    html = client_for(team.manager).get(f"/w/{team.workspace.slug}/").content.decode()
    assert "Alpha Homeware" in html and "Beta Bikes" in html


def test_external_roles_do_not_see_people_or_audit(team: Team) -> None:
    for user in (team.freelancer, team.client):
        client = client_for(user)
        assert client.get(f"/w/{team.workspace.slug}/").status_code == 200
        assert client.get(f"/w/{team.workspace.slug}/members/").status_code == 403
        assert client.get(f"/w/{team.workspace.slug}/activity/").status_code == 403
    assert client_for(team.member).get(f"/w/{team.workspace.slug}/activity/").status_code == 403


@pytest.mark.parametrize("url_name", ["workspaces:members", "activity:audit-trail"])
def test_page_query_count_does_not_grow_with_the_data(team: Team, url_name: str) -> None:
    client = client_for(team.owner)
    url = reverse(url_name, kwargs={"ws": team.workspace.slug})
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    from headway.conftest import make_user
    from headway.workspaces.services import membership_add

    for i in range(15):
        membership_add(
            actor=team.owner,
            workspace=team.workspace,
            user=make_user(f"extra{i}@example.com"),
            role="member",
        )
        invitation_create(actor=team.owner, workspace=team.workspace, role="member")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_healthz_answers_200_when_the_database_is_reachable(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_not(client: Client, monkeypatch) -> None:
    from django.db import OperationalError

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "connection refused" in response.json()["database"]


def test_reading_a_workspace_page_again_leaves_the_session_row_alone(team: Team) -> None:
    client = client_for(team.owner)
    url = reverse("workspaces:members", kwargs={"ws": team.workspace.slug})
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    statements = [q["sql"].lstrip() for q in queries.captured_queries]
    writes = [
        sql
        for sql in statements
        if "django_session" in sql and sql.upper().startswith(("UPDATE", "INSERT"))
    ]
    assert writes == []

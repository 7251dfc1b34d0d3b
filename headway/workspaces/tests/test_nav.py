"""The side navigation offers each role only the pages it can use (visibility.nav_pages)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from headway.conftest import Team, client_for


def _nav(team: Team, user) -> list[str]:  # type: ignore[no-untyped-def]
    page = client_for(user).get(reverse("workspaces:dashboard", kwargs={"ws": team.workspace.slug}))
    assert page.status_code == 200
    nav = page.text.split('class="sidenav"')[1].split("</nav>")[0]
    return re.findall(r">([^<>]+)</a>", nav)


def test_a_client_is_not_offered_the_board_or_time_off(team: Team) -> None:
    # the demo's client approver saw Board (an empty one asking him to drag cards) and Time off
    assert _nav(team, team.client) == ["Dashboard", "My work", "Approvals", "API"]


def test_a_freelancer_works_on_tasks_so_keeps_the_board_and_time_off(team: Team) -> None:
    assert _nav(team, team.freelancer) == [
        "Dashboard",
        "Board",
        "My work",
        "Approvals",
        "Time off",
        "API",
    ]


@pytest.mark.parametrize(
    ("role", "extra", "missing"),
    [
        ("owner", {"Results", "Audit trail", "Background work"}, set()),
        ("manager", {"Results", "Board", "Time off"}, {"Audit trail"}),
        ("member", {"Campaigns", "Board", "Time off", "People"}, {"Results", "Audit trail"}),
    ],
)
def test_team_roles_keep_their_pages(
    team: Team, role: str, extra: set[str], missing: set[str]
) -> None:
    links = set(_nav(team, getattr(team, role)))
    assert extra <= links and not (missing & links)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["planning:board", "planning:time-off"])
def test_a_client_typing_the_board_or_time_off_address_is_refused(team: Team, name: str) -> None:
    url = reverse(name, kwargs={"ws": team.workspace.slug})
    refused = client_for(team.client).get(url)
    assert refused.status_code == 403
    assert b"the board and time off are the team" in refused.content
    assert client_for(team.client).post(url, {"form": "holiday"}).status_code == 403
    assert client_for(team.freelancer).get(url).status_code == 200

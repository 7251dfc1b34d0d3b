"""The workspace home offers each person only what they may do: "Start one" (a campaign)
to those who plan, and every link on anyone's home opens for them."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from headway.conftest import Team, client_for
from headway.insights.selectors.dashboard import Dashboard, Layout
from headway.insights.tests.test_dashboard import work  # noqa: F401 (fixture)
from headway.workspaces.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_only_those_who_plan_are_offered_to_start_a_campaign(team: Team, role: Role) -> None:
    """Members, freelancers and clients cannot create campaigns: the empty campaigns panel
    says who starts them instead of a link that answers 'only managers...'."""
    user = getattr(team, role.value)
    membership = team.membership(user)
    html = render_to_string(
        "insights/dashboard_parts.html#campaigns",
        {
            "workspace": team.workspace,
            "board": Dashboard(layout=Layout.MANAGER),
            "current_membership": membership,
        },
    )
    new = reverse("planning:campaign-new", kwargs={"ws": team.workspace.slug})
    assert "No campaign in flight." in html
    assert (new in html) is role.plans, role
    if not role.plans:
        assert "Owners, admins and managers start campaigns." in html


@pytest.mark.parametrize("role", ["owner", "manager", "member", "freelancer", "client"])
def test_every_link_on_a_home_opens_for_its_person(team: Team, work, role: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    user = getattr(team, role)
    client = client_for(user)
    home = client.get(reverse("workspaces:dashboard", kwargs={"ws": team.workspace.slug}))
    assert home.status_code == 200
    main = home.text.split("<main", 1)[1].split("</main>", 1)[0]
    links = sorted(set(re.findall(r'<a [^>]*href="(/[^"#]*)"', main)))
    assert links or role == "client", role  # (nothing waits on the client here)
    for href in links:
        answer = client.get(href.replace("&amp;", "&"))
        assert answer.status_code == 200, (role, href, answer.status_code)

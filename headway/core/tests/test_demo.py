from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client

from headway.accounts.models import User
from headway.activity.models import Event, Verb
from headway.core.demo import AGENCY_CLIENT, DEMO_PASSWORD, HARBOR_AND_PINE, SECOND_CLIENT
from headway.planning.demo import year_end_holidays
from headway.planning.models import Campaign, Holiday, Task
from headway.workspaces.models import Membership, Role, Workspace, WorkspaceKind

pytestmark = pytest.mark.django_db


def test_demo_loads_both_workspaces_idempotently_and_prints_logins(capsys) -> None:
    call_command("demo", "--no-serve")
    counts = (User.objects.count(), Membership.objects.count(), Workspace.objects.count())
    call_command("demo", "--no-serve")
    assert (User.objects.count(), Membership.objects.count(), Workspace.objects.count()) == counts
    out = capsys.readouterr().out
    assert "maya@harborpine.example" in out and DEMO_PASSWORD in out
    harbor = Workspace.objects.get(name=HARBOR_AND_PINE)
    roles = sorted(Membership.objects.filter(workspace=harbor).values_list("role", flat=True))
    assert roles.count(Role.FREELANCER) == 2 and roles.count(Role.OWNER) == 1
    agency = Workspace.objects.get(name=AGENCY_CLIENT)
    assert Membership.objects.filter(workspace=agency, role=Role.CLIENT).exists()
    # the coming Christmas and New Year are holidays, added through the calendar service
    # (each recorded), and every open plan is dated around them
    wanted = year_end_holidays(harbor.today())
    holidays = Holiday.objects.filter(workspace=harbor, date__in=[d for d, _ in wanted])
    assert sorted(holidays.values_list("date", "name")) == wanted
    assert Event.objects.filter(
        workspace=harbor, object_type=Holiday._meta.label_lower, verb=Verb.CREATED
    ).count() >= len(wanted)
    days = [d for d, _ in wanted]
    assert not Task.objects.filter(
        workspace=harbor, start_date__in=days, kind="task", status="not_started"
    ).exists()


def test_the_year_end_holidays_are_the_coming_ones_on_weekdays() -> None:
    assert year_end_holidays(dt.date(2026, 11, 24)) == [
        (dt.date(2026, 12, 25), "Christmas Day"),
        (dt.date(2027, 1, 1), "New Year's Day"),
    ]
    # after Christmas, next year's: both fall on a Saturday in 2027, kept the Friday before
    assert year_end_holidays(dt.date(2026, 12, 28)) == [
        (dt.date(2027, 12, 24), "Christmas Day (observed)"),
        (dt.date(2027, 12, 31), "New Year's Day (observed)"),
    ]


def test_a_demo_login_works(client: Client) -> None:
    call_command("demo", "--no-serve")
    assert client.login(username="maya@harborpine.example", password=DEMO_PASSWORD)
    page = client.get("/", follow=True)
    harbor = Workspace.objects.get(name=HARBOR_AND_PINE)
    assert page.redirect_chain == [(f"/w/{harbor.slug}/", 302)]
    html = page.content.decode()
    assert "<h1>Harbor &amp; Pine</h1>" in html
    # the founder's home: their queue first, then the campaigns in flight
    assert html.index("Waiting for your decision") < html.index("Open campaigns")


def test_the_account_lead_switches_between_two_client_workspaces(client: Client) -> None:
    call_command("demo", "--no-serve")
    dana = User.objects.get(email="dana@northlight.example")
    clients = Membership.objects.filter(user=dana, workspace__kind=WorkspaceKind.CLIENT)
    assert sorted(clients.values_list("workspace__name", "role")) == [
        (AGENCY_CLIENT, Role.OWNER),
        (SECOND_CLIENT, Role.MANAGER),
    ]
    # the second client has work of its own: Dana's campaigns, the freelancer's paid social
    second = Workspace.objects.get(name=SECOND_CLIENT)
    assert Campaign.objects.filter(workspace=second).count() == 2
    assert Task.objects.filter(workspace=second, owner__email="chris@dube-ads.example").exists()
    assert Membership.objects.get(workspace=second, user__email="chris@dube-ads.example").role == (
        Role.FREELANCER
    )
    # and her workspace switcher lists both clients
    assert client.login(username=dana.email, password=DEMO_PASSWORD)
    html = client.get(f"/w/{second.slug}/").content.decode()
    switcher = html[html.index('class="switcher"') : html.index('aria-label="Account"')]
    assert "Alder Cycles · Northlight Agency" in switcher
    assert "Fernway Coffee · Northlight Agency" in switcher

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from headway.accounts.models import User
from headway.core.demo import DEMO_PASSWORD, HARBOR_AND_PINE
from headway.workspaces.models import Membership, Role, Workspace

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
    agency = Workspace.objects.exclude(pk=harbor.pk).get()
    assert Membership.objects.filter(workspace=agency, role=Role.CLIENT).exists()


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

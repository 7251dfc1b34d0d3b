from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from headway.accounts.services import token_create
from headway.approvals.models import Decision, RequestStatus
from headway.approvals.services import approval_start, link_create
from headway.approvals.tests.factories import founder_chain
from headway.conftest import Team, client_for
from headway.planning.tests.factories import chain as plan_chain

pytestmark = pytest.mark.django_db


def _setup(team: Team):  # type: ignore[no-untyped-def]
    _, tasks = plan_chain(team)
    return tasks, founder_chain(team)


def test_the_queue_lists_what_waits_and_decides_in_place(team: Team) -> None:
    tasks, chain = _setup(team)
    req = approval_start(actor=team.manager, task=tasks[0], chain=chain)
    client = client_for(team.owner)
    url = f"/w/{team.workspace.slug}/approvals/"
    page = client.get(url).content.decode()
    assert "Step 1" in page and "Founder sign-off" in page
    # a request for changes needs a comment, and says so
    page = client.post(
        f"/w/{team.workspace.slug}/approvals/{req.pk}/decide/",
        {"verdict": "changes", "step": 0, "round": 1, "next": url},
        follow=True,
    ).content.decode()
    assert "Say what should change" in page
    client.post(
        f"/w/{team.workspace.slug}/approvals/{req.pk}/decide/",
        {"verdict": "approve", "step": 0, "round": 1, "next": url},
    )
    req.refresh_from_db()
    assert req.status == RequestStatus.APPROVED
    assert "Nothing waits for your decision" in client.get(url).content.decode()


def test_queue_query_count_does_not_grow(team: Team) -> None:
    tasks, chain = _setup(team)
    client = client_for(team.owner)
    url = f"/w/{team.workspace.slug}/approvals/"
    approval_start(actor=team.manager, task=tasks[0], chain=chain)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    approval_start(actor=team.manager, task=tasks[1], chain=chain, force=True)
    approval_start(actor=team.manager, task=tasks[2], chain=chain, force=True)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_signed_link_page(team: Team) -> None:
    tasks, chain = _setup(team)
    req = approval_start(actor=team.manager, task=tasks[0], chain=chain)
    raw = link_create(request=req, user=team.owner)
    anonymous = Client()
    page = anonymous.get(f"/approve/{raw}/")
    assert page.status_code == 200 and "Step 1" in page.content.decode()
    other = client_for(team.member).post(f"/approve/{raw}/", {"verdict": "approve"})
    assert other.status_code == 410 and "This link is for Alpha Owner" in other.content.decode()
    done = anonymous.post(f"/approve/{raw}/", {"verdict": "approve"})
    assert "You approved" in done.content.decode()
    assert Decision.objects.get(request=req).via_link
    again = anonymous.get(f"/approve/{raw}/")
    assert again.status_code == 410 and "already used" in again.content.decode()
    assert anonymous.get("/approve/nonsense/").status_code == 410


def test_approvals_over_the_api(client, team: Team) -> None:
    tasks, chain = _setup(team)
    _, manager = token_create(actor=team.manager, name="m")
    _, owner = token_create(actor=team.owner, name="o")
    ws = team.workspace.slug
    r = client.post(
        f"/api/v1/workspaces/{ws}/tasks/{tasks[0].pk}/approvals",
        {"chain_id": chain.pk},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {manager}",
    )
    assert r.status_code == 201
    req_id = r.json()["id"]
    queue = client.get(
        f"/api/v1/workspaces/{ws}/approvals/queue", HTTP_AUTHORIZATION=f"Bearer {owner}"
    ).json()
    assert [q["request_id"] for q in queue] == [req_id]
    decide = f"/api/v1/workspaces/{ws}/approvals/{req_id}/decisions"
    r = client.post(
        decide,
        {"verdict": "approve", "step": 0, "round": 1},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {owner}",
    )
    assert r.status_code == 201
    r = client.post(
        decide,
        {"verdict": "approve", "step": 0, "round": 1},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {owner}",
    )
    assert r.status_code == 409 and r.json()["code"] == "already_decided"
    r = client.post(
        f"/api/v1/workspaces/{ws}/approval-chains",
        {"name": "Bad", "kind": "legal", "steps": [{"name": "Nobody"}]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {manager}",
    )
    assert r.status_code == 400 and "names an approver" in r.json()["message"]


@pytest.mark.django_db(transaction=True)
def test_approvers_are_emailed_a_link_that_decides(team: Team, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    import re

    from django.core.management import call_command

    tasks, chain = _setup(team)
    req = approval_start(actor=team.manager, task=tasks[0], chain=chain)
    call_command("worker", "--batch")
    [mail] = mailoutbox
    assert mail.to == [team.owner.email] and "Approval needed: Step 1" in mail.subject
    path = re.search(r"https?://[^/]+(/approve/[^/\s]+/)", mail.body).group(1)  # type: ignore[union-attr]
    Client().post(path, {"verdict": "approve"})
    req.refresh_from_db()
    assert req.status == RequestStatus.APPROVED


def test_the_queue_pages_oldest_first(team: Team, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from headway.approvals import views

    monkeypatch.setattr(views, "PAGE", 2)
    tasks, chain = _setup(team)
    for t in tasks[:3]:
        approval_start(actor=team.manager, task=t, chain=chain, force=True)
    client = client_for(team.owner)
    url = f"/w/{team.workspace.slug}/approvals/"
    first = client.get(url).content.decode()
    assert "Page 1 of 2" in first and "Step 1" in first and "Step 3" not in first
    second = client.get(url + "?page=2").content.decode()
    assert "Step 3" in second and "Step 1<" not in second
    assert "Page 2 of 2" in client.get(url + "?page=99").content.decode()


def test_a_chain_is_created_from_its_page(team: Team) -> None:
    from headway.approvals.models import ApprovalChain

    client = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/approvals/chains/new/"
    assert client.get(url).status_code == 200
    data = {
        "name": "Budget change",
        "kind": "budget_change",
        "round_cap": 2,
        "remind_before_hours": 4,
        "escalate": "on",
        "step-TOTAL_FORMS": 3,
        "step-INITIAL_FORMS": 0,
        "step-0-name": "Founder",
        "step-0-approvers": [team.owner.pk],
        "step-0-backup": team.admin.pk,
        "step-0-limit": 1,
        "step-0-limit_unit": "days",
        "step-0-mode": "any",
        "step-1-name": "Finance",
        "step-1-approver_role": "admin",
        "step-1-limit": 8,
        "step-1-limit_unit": "hours",
        "step-1-mode": "all",
        "step-2-name": "",
        "step-2-limit": 2,
        "step-2-limit_unit": "days",
        "step-2-mode": "any",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == f"/w/{team.workspace.slug}/approvals/"
    chain = ApprovalChain.objects.get(name="Budget change")
    assert [s.name for s in chain.steps.all()] == ["Founder", "Finance"]
    assert chain.steps.get(position=1).approver_role == "admin"
    bad = client.post(url, data | {"name": "Nobody", "step-0-approvers": [], "step-1-name": ""})
    assert bad.status_code == 400 and "names an approver" in bad.content.decode()

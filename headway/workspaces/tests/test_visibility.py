"""What freelancers and clients see, generated over every URL pattern and API route.

The demo is loaded and each route under a workspace is called as the freelancer persona
(Alex, Harbor & Pine) and the client persona (Elliot, Alder Cycles): every object parameter is
filled with an object of their own workspace that headway.workspaces.visibility keeps from
them, and every list answers without the names and titles of such objects. A new route, or a
new kind of object, is covered without new test code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from headway.accounts.models import User
from headway.accounts.services import token_create
from headway.approvals.models import ApprovalRequest
from headway.conftest import Team, client_for
from headway.core.demo import AGENCY_CLIENT, HARBOR_AND_PINE, demo_load
from headway.planning.models import Campaign, Task
from headway.publishing.models import ContentPiece
from headway.workspaces import visibility
from headway.workspaces.models import Membership
from headway.workspaces.scoping import WORKSPACE_KWARG, registered_kwargs
from headway.workspaces.tests.routes import (
    CREDENTIAL_KWARGS,
    USER_SCOPED_KWARGS,
    answers,
    fill,
    kwarg_names,
    routes,
)

pytestmark = pytest.mark.django_db

PERSONAS = [
    ("alex@studio-moreau.example", HARBOR_AND_PINE),
    ("elliot@aldercycles.example", AGENCY_CLIENT),
]
# Every route x persona pair is checked; fewer than this means the walk lost its routes.
MIN_OBJECT_PAIRS = 40
MIN_LIST_PAIRS = 15


@dataclass
class Scope:
    membership: Membership
    user: User
    client: Client
    hidden: set[str]  # names and titles the persona must never be shown


def _names(membership: Membership) -> tuple[set[str], set[str]]:
    """(visible, hidden) names of the things lists show: tasks, campaigns, people, approval
    subjects and pieces."""
    ws = membership.workspace
    kinds: list[tuple[Any, Any, str]] = [
        (Task.objects.filter(workspace=ws), visibility.visible_tasks(membership), "title"),
        (Campaign.objects.filter(workspace=ws), visibility.visible_campaigns(membership), "name"),
        (ContentPiece.objects.filter(workspace=ws), visibility.visible_pieces(membership), "title"),
        (
            User.objects.filter(memberships__workspace=ws),
            visibility.visible_members(membership),
            "name",
        ),
    ]
    seen: set[str] = set()
    hidden: set[str] = set()
    for everything, visible, field in kinds:
        shown = set(visible.values_list("pk", flat=True))
        for pk, name in everything.values_list("pk", field):
            (seen if pk in shown else hidden).add(name)
    for req in ApprovalRequest.objects.filter(workspace=ws).select_related("task", "piece"):
        if not visibility.visible_approval_requests(membership).filter(pk=req.pk).exists():
            hidden.add(req.subject_title)
    # A name the persona may see elsewhere (the same title in a visible campaign) is not a leak.
    return seen, {h for h in hidden if not any(h in s for s in seen)}


@pytest.fixture
def scopes() -> list[Scope]:
    demo_load()
    out = []
    for email, ws_name in PERSONAS:
        membership = Membership.objects.select_related("workspace", "user").get(
            user__email=email, workspace__name=ws_name
        )
        assert not visibility.is_internal(membership)
        _, hidden = _names(membership)
        assert hidden, f"the demo gives {email} nothing to be kept from"
        out.append(Scope(membership, membership.user, client_for(membership.user), hidden))
    return out


def _outside(scope: Scope, name: str) -> int | None:
    """An object of the persona's workspace named by URL parameter `name` that they may not
    see; None when they may see every such object (holidays)."""
    model_fn, path = registered_kwargs()[name]
    model = model_fn()
    ws = scope.membership.workspace
    assert model in visibility.VISIBLE, (
        f"{model.__name__} has no rule in headway.workspaces.visibility: say who sees it"
    )
    every = model.objects.filter(**{path: ws})
    visible = visibility.visible_rows(scope.membership, model)
    if every.count() == visible.count():
        return None
    row = every.exclude(pk__in=visible.values("pk")).first()
    assert row is not None
    return int(row.pk)


def test_object_routes_answer_404_outside_the_persona_scope(scopes: list[Scope]) -> None:
    checked = skipped = 0
    for scope in scopes:
        token, _ = token_create(actor=scope.user, name="mine")
        for route in routes():
            names = kwarg_names(route)
            if WORKSPACE_KWARG not in names or set(names) & CREDENTIAL_KWARGS or len(names) < 2:
                continue
            values: dict[str, Any] = {WORKSPACE_KWARG: scope.membership.workspace.slug}
            values["token_id"] = token.pk
            objects = [n for n in names if n not in (WORKSPACE_KWARG, *USER_SCOPED_KWARGS)]
            outside = {n: _outside(scope, n) for n in objects}
            if any(pk is None for pk in outside.values()):
                skipped += 1  # nothing of that kind is hidden from this persona
                continue
            url = fill(route, values | outside)
            statuses = answers(scope.client, url)
            assert statuses, f"{url} answers no method"
            assert all(code in (403, 404) for code in statuses.values()), (
                scope.user.email,
                url,
                statuses,
            )
            checked += 1
    print(f"object routes: {checked} route x persona pairs checked, {skipped} with nothing hidden")
    assert checked >= MIN_OBJECT_PAIRS


def test_lists_and_filter_menus_name_nothing_outside_the_persona_scope(
    scopes: list[Scope],
) -> None:
    checked = 0
    leaks = []
    for scope in scopes:
        slug = scope.membership.workspace.slug
        for route in routes():
            if kwarg_names(route) != [WORKSPACE_KWARG]:
                continue
            url = fill(route, {WORKSPACE_KWARG: slug})
            response = scope.client.get(url)
            assert response.status_code < 500, (url, response.status_code)
            if response.status_code != 200:
                continue
            body = response.content.decode()
            leaked = sorted(
                name for name in scope.hidden if escape(name) in body or _json_text(name) in body
            )
            if leaked:
                leaks.append((scope.user.email, url, leaked))
            checked += 1
    print(f"lists: {checked} route x persona pairs answered and checked")
    assert not leaks, leaks
    assert checked >= MIN_LIST_PAIRS


def _json_text(name: str) -> str:
    import json

    return json.dumps(name)


# -- the leaks found by the new-user trial and the fuzzer --------------------------------


def _internal_request(team: Team) -> ApprovalRequest:
    """A task of the team's, sent back for changes by the owner: no outsider's business."""
    from headway.approvals.services import (
        StepSpec,
        approval_decide,
        approval_start,
        chain_create,
    )
    from headway.planning.services.campaigns import campaign_create
    from headway.planning.services.tasks import task_create

    campaign = campaign_create(actor=team.manager, workspace=team.workspace, name="Autumn")
    task = task_create(actor=team.manager, campaign=campaign, title="Budget memo")
    chain = chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Internal",
        kind="budget_change",
        steps=[StepSpec("Owner", approvers=[team.owner.pk])],
    )
    req = approval_start(actor=team.manager, task=task, chain=chain)
    approval_decide(actor=team.owner, request=req, verdict="changes", comment="Secret margin note")
    return req


@pytest.mark.parametrize("who", ["freelancer", "client"])
def test_an_outsider_cannot_read_an_approval_or_its_comments(team: Team, who: str) -> None:
    req = _internal_request(team)
    url = f"/api/v1/workspaces/{team.workspace.slug}/approvals/{req.pk}"
    # given the team can read it
    assert client_for(team.manager).get(url).status_code == 200
    # when a freelancer or client asks
    response = client_for(getattr(team, who)).get(url)
    # then it does not exist for them, and nothing of it comes back
    assert response.status_code == 404
    assert "Secret margin note" not in response.content.decode()
    page = client_for(getattr(team, who)).get(f"/w/{team.workspace.slug}/approvals/{req.pk}/")
    assert page.status_code == 404


def test_a_client_cannot_resubmit_the_teams_approval(team: Team) -> None:
    req = _internal_request(team)
    client = client_for(team.client)
    response = client.post(
        f"/api/v1/workspaces/{team.workspace.slug}/approvals/{req.pk}/resubmit",
        "{}",
        content_type="application/json",
    )
    assert response.status_code == 404
    client.post(f"/w/{team.workspace.slug}/approvals/{req.pk}/resubmit/")
    req.refresh_from_db()
    assert (req.status, req.round) == ("changes_requested", 1)


def test_a_client_approver_who_sees_a_request_still_cannot_resubmit_it(team: Team) -> None:
    from headway.approvals.services import approval_resubmit
    from headway.core.errors import Forbidden

    req = _internal_request(team)
    # the client decided an earlier round, so the request is theirs to see
    req.decisions.update(approver=team.client)
    membership = team.membership(team.client)
    assert visibility.visible_approval_requests(membership).filter(pk=req.pk).exists()
    response = client_for(team.client).post(
        f"/api/v1/workspaces/{team.workspace.slug}/approvals/{req.pk}/resubmit",
        "{}",
        content_type="application/json",
    )
    assert response.status_code == 403
    with pytest.raises(Forbidden):
        approval_resubmit(actor=team.client, request=req)
    # the team may
    approval_resubmit(actor=team.manager, request=req)
    req.refresh_from_db()
    assert req.round == 2


def test_the_freelancers_board_menus_list_only_what_they_see(team: Team) -> None:
    from headway.planning.services.campaigns import campaign_create
    from headway.planning.services.tasks import task_create

    theirs = campaign_create(actor=team.manager, workspace=team.workspace, name="Their campaign")
    other = campaign_create(actor=team.manager, workspace=team.workspace, name="Hidden campaign")
    task_create(actor=team.manager, campaign=theirs, title="Their task", owner=team.freelancer.pk)
    task_create(actor=team.manager, campaign=other, title="Other task", owner=team.member.pk)
    board = client_for(team.freelancer).get(f"/w/{team.workspace.slug}/board/")
    html = board.content.decode()
    assert board.status_code == 200
    assert "Their campaign" in html and "Their task" in html
    assert "Hidden campaign" not in html and "Other task" not in html
    assert team.freelancer.name in html
    assert team.member.name not in html and team.admin.name not in html
    # the team's board still offers everything
    full = client_for(team.manager).get(f"/w/{team.workspace.slug}/board/").content.decode()
    assert "Hidden campaign" in full and team.member.name in full


def test_a_freelancers_task_page_names_only_the_linked_tasks_they_see(team: Team) -> None:
    from headway.planning.services.campaigns import campaign_create
    from headway.planning.services.links import dependency_add
    from headway.planning.services.tasks import task_create

    campaign = campaign_create(actor=team.manager, workspace=team.workspace, name="Linked")
    brief = task_create(
        actor=team.manager, campaign=campaign, title="Moodboard", owner=team.member.pk
    )
    theirs = task_create(
        actor=team.manager, campaign=campaign, title="Poster", owner=team.freelancer.pk
    )
    later = task_create(actor=team.manager, campaign=campaign, title="Print run")
    dependency_add(actor=team.manager, predecessor=brief, successor=theirs)
    dependency_add(actor=team.manager, predecessor=theirs, successor=later)
    ws = team.workspace.slug
    html = client_for(team.freelancer).get(f"/w/{ws}/tasks/{theirs.pk}/").content.decode()
    # what their task waits on is theirs to know; what the team does after it is not
    assert "Moodboard" in html and "Print run" not in html
    # the predecessor opens read-only, and its own plan stays hidden
    assert client_for(team.freelancer).get(f"/w/{ws}/tasks/{brief.pk}/").status_code == 200
    assert client_for(team.freelancer).get(f"/w/{ws}/tasks/{later.pk}/").status_code == 404
    team_view = client_for(team.manager).get(f"/w/{ws}/tasks/{theirs.pk}/").content.decode()
    assert "Print run" in team_view

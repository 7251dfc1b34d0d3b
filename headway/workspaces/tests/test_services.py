from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from headway.activity.models import Event, Verb
from headway.conftest import Team, client_for, make_user
from headway.core.errors import Conflict, DomainError, Forbidden
from headway.workspaces.models import Membership, Role
from headway.workspaces.services import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_change_role,
    membership_remove,
    workspace_create,
)

pytestmark = pytest.mark.django_db


def test_workspace_slugs_are_unique(team: Team) -> None:
    again = workspace_create(actor=team.owner, name=team.workspace.name)
    assert again.slug == f"{team.workspace.slug}-2"


def test_an_invitation_adds_the_member_with_the_chosen_role_once(team: Team) -> None:
    _, raw = invitation_create(actor=team.admin, workspace=team.workspace, role=Role.FREELANCER)
    newcomer = make_user("new@example.com")
    membership = invitation_accept(user=newcomer, raw_token=raw)
    assert membership.role == Role.FREELANCER
    with pytest.raises(DomainError, match="already been used"):
        invitation_accept(user=make_user("second@example.com"), raw_token=raw)
    assert Event.objects.filter(
        workspace=team.workspace, verb=Verb.JOINED, object_id=str(membership.pk)
    ).exists()


def test_an_expired_invitation_is_refused(team: Team) -> None:
    with time_machine.travel(timezone.now() - dt.timedelta(days=8)):
        _, raw = invitation_create(actor=team.owner, workspace=team.workspace, role=Role.MEMBER)
    with pytest.raises(DomainError, match="expired"):
        invitation_accept(user=make_user("late@example.com"), raw_token=raw)


def test_a_revoked_invitation_is_refused(team: Team) -> None:
    invitation, raw = invitation_create(
        actor=team.owner, workspace=team.workspace, role=Role.MEMBER
    )
    invitation_revoke(actor=team.owner, invitation=invitation)
    with pytest.raises(DomainError, match="withdrawn"):
        invitation_accept(user=make_user("x@example.com"), raw_token=raw)


def test_an_invitation_for_an_email_is_only_for_that_person(team: Team) -> None:
    _, raw = invitation_create(
        actor=team.owner, workspace=team.workspace, role=Role.MEMBER, email="right@example.com"
    )
    with pytest.raises(Forbidden, match=r"right@example\.com"):
        invitation_accept(user=make_user("wrong@example.com"), raw_token=raw)
    assert invitation_accept(user=make_user("right@example.com"), raw_token=raw).role == Role.MEMBER


def test_a_member_cannot_join_twice(team: Team) -> None:
    _, raw = invitation_create(actor=team.owner, workspace=team.workspace, role=Role.MEMBER)
    with pytest.raises(Conflict):
        invitation_accept(user=team.member, raw_token=raw)


@pytest.mark.parametrize("role", ["manager", "member", "freelancer", "client"])
def test_only_owners_and_admins_invite(team: Team, role: str) -> None:
    with pytest.raises(Forbidden):
        invitation_create(actor=getattr(team, role), workspace=team.workspace, role=Role.MEMBER)


def test_admins_cannot_create_owners(team: Team) -> None:
    with pytest.raises(Forbidden):
        invitation_create(actor=team.admin, workspace=team.workspace, role=Role.OWNER)
    with pytest.raises(Forbidden):
        membership_change_role(
            actor=team.admin, membership=team.membership(team.member), role=Role.OWNER
        )


def test_the_last_owner_cannot_leave_or_be_demoted(team: Team) -> None:
    owner = team.membership(team.owner)
    with pytest.raises(DomainError, match="at least one owner"):
        membership_change_role(actor=team.owner, membership=owner, role=Role.ADMIN)
    with pytest.raises(DomainError, match="at least one owner"):
        membership_remove(actor=team.owner, membership=owner)
    membership_change_role(
        actor=team.owner, membership=team.membership(team.admin), role=Role.OWNER
    )
    membership_change_role(actor=team.owner, membership=owner, role=Role.ADMIN)
    assert Membership.objects.get(pk=owner.pk).role == Role.ADMIN


def test_role_changes_are_logged_with_before_and_after(team: Team) -> None:
    membership = team.membership(team.member)
    membership_change_role(actor=team.admin, membership=membership, role=Role.MANAGER)
    event = Event.objects.get(verb=Verb.ROLE_CHANGED, object_id=str(membership.pk))
    assert event.changes == {"role": ["member", "manager"]}
    assert event.actor_id == team.admin.pk


def test_invite_page_shows_the_link_once_and_emails_it(team: Team) -> None:
    client = client_for(team.owner)
    page = client.post(
        f"/w/{team.workspace.slug}/members/", {"role": "member", "email": "guest@example.com"}
    ).content.decode()
    assert "It is not shown again" in page
    assert len(mail.outbox) == 1 and "/invite/" in mail.outbox[0].body
    link = page.split('id="invite-link">')[1].split("<")[0]
    assert link in mail.outbox[0].body


def test_the_invitation_link_for_a_visitor_offers_sign_up(team: Team) -> None:
    _, raw = invitation_create(actor=team.owner, workspace=team.workspace, role=Role.CLIENT)
    page = Client().get(f"/invite/{raw}/").content.decode()
    assert "Join Alpha Homeware" in page and "Create an account" in page


@pytest.mark.parametrize("state", ["used", "revoked", "unknown"])
def test_an_unusable_invitation_link_says_why(team: Team, state: str) -> None:
    invitation, raw = invitation_create(
        actor=team.owner, workspace=team.workspace, role=Role.MEMBER
    )
    if state == "used":
        invitation_accept(user=make_user("u@example.com"), raw_token=raw)
    elif state == "revoked":
        invitation_revoke(actor=team.owner, invitation=invitation)
    else:
        raw = "not-a-real-token"
    response = client_for(make_user("visitor@example.com")).post(f"/invite/{raw}/")
    assert response.status_code == 410
    assert {"used": "already been used", "revoked": "withdrawn", "unknown": "not valid"}[
        state
    ] in response.content.decode()


def test_member_role_change_in_place_with_htmx(team: Team) -> None:
    client = client_for(team.owner)
    membership = team.membership(team.member)
    response = client.post(
        f"/w/{team.workspace.slug}/members/{membership.pk}/role/",
        {"role": "manager"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<tr id="member-{membership.pk}">')
    assert "Saved" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).role == "manager"


def test_removing_a_member_asks_for_confirmation_first(team: Team) -> None:
    client = client_for(team.owner)
    membership = team.membership(team.member)
    url = f"/w/{team.workspace.slug}/members/{membership.pk}/remove/"
    assert "Remove Alpha Member" in client.get(url).content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    client.post(url)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_request_that_changes_the_actors_own_role_acts_on_the_new_role(team: Team) -> None:
    """The membership a request read is reused by the services it calls, but not after a
    membership was saved or deleted: an admin who demotes themselves may no longer plan."""
    from headway.planning.services.access import require_planner
    from headway.workspaces.access import membership_remember

    admin = team.membership(team.admin)
    membership_remember(team.admin, admin)  # as resolve_workspace does for the request
    assert require_planner(team.admin, team.workspace) is admin
    membership_change_role(actor=team.admin, membership=team.membership(team.admin), role="member")
    with pytest.raises(Forbidden, match="Only owners, admins and managers"):
        require_planner(team.admin, team.workspace)
    assert admin.role == Role.ADMIN  # the copy the request read is stale; it was not used
    membership_remember(team.member, team.membership(team.member))
    membership_remove(actor=team.owner, membership=team.membership(team.member))
    with pytest.raises(Forbidden, match="not a member"):
        require_planner(team.member, team.workspace)

from __future__ import annotations

import pytest

from headway.activity.models import Event, Verb
from headway.activity.selectors import EventFilter, events_for_workspace
from headway.conftest import Team, client_for
from headway.workspaces.models import Role
from headway.workspaces.services import invitation_create, membership_change_role

pytestmark = pytest.mark.django_db


def test_events_are_append_only(team: Team) -> None:
    event = Event.objects.filter(workspace=team.workspace).first()
    assert event is not None
    event.verb = Verb.DELETED
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        Event.objects.filter(pk=event.pk).update(verb=Verb.DELETED)


def test_every_service_write_in_the_fixture_left_an_event(team: Team) -> None:
    # One workspace creation, its owner joining, and five members added.
    verbs = sorted(events_for_workspace(team.workspace).values_list("verb", flat=True))
    assert verbs.count("joined") == 6
    assert verbs.count("created") == 1


def test_filters_narrow_the_trail(team: Team) -> None:
    invitation_create(actor=team.owner, workspace=team.workspace, role=Role.MEMBER)
    membership_change_role(
        actor=team.owner, membership=team.membership(team.member), role=Role.MANAGER
    )
    invited = events_for_workspace(team.workspace, EventFilter(verb=Verb.INVITED))
    assert [e.verb for e in invited] == ["invited"]
    by_admin = events_for_workspace(team.workspace, EventFilter(actor_id=team.admin.pk))
    assert not by_admin.exists()
    of_type = events_for_workspace(team.workspace, EventFilter(object_type="workspaces.invitation"))
    assert of_type.count() == 1


def test_audit_trail_page_filters_and_rejects_reversed_dates(team: Team) -> None:
    client = client_for(team.owner)
    url = f"/w/{team.workspace.slug}/activity/"
    page = client.get(url, {"verb": "joined"}).content.decode()
    assert page.count("<tr>") == 6 + 1  # six rows and the header
    bad = client.get(url, {"since": "2026-03-10", "until": "2026-03-01"}).content.decode()
    assert "end date is before the start date" in bad


def test_audit_trail_api_is_paginated_and_for_admins_only(team: Team) -> None:
    response = client_for(team.admin).get(
        f"/api/v1/workspaces/{team.workspace.slug}/activity", {"limit": 2, "verb": "joined"}
    )
    body = response.json()
    assert body["count"] == 6 and len(body["items"]) == 2
    assert body["items"][0]["verb"] == "joined"
    forbidden = client_for(team.member).get(f"/api/v1/workspaces/{team.workspace.slug}/activity")
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"


def test_audit_trail_api_rejects_an_unknown_verb_with_the_field(team: Team) -> None:
    response = client_for(team.admin).get(
        f"/api/v1/workspaces/{team.workspace.slug}/activity", {"verb": "exploded"}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "verb"


def test_activity_lines_name_what_an_event_is_about_in_words(team: Team) -> None:
    from headway.publishing.tests.factories import draft

    # given a piece created in the workspace (its event is on a publishing model)
    draft(team, "Care guide")
    page = client_for(team.owner).get(f"/w/{team.workspace.slug}/").content.decode()
    # then the dashboard's recent activity says "content piece", not the model's label
    assert "content piece</span> Care guide" in page
    assert "publishing.contentpiece" not in page
    assert Event(object_type="no.such_model").object_label == "such_model"

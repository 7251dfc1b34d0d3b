"""The one stale-edit guard, seen from the API, the pages and two writers at once, for every
versioned row: campaigns, tasks and content pieces."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from headway.accounts.services import token_create
from headway.conftest import Team, client_for, make_team
from headway.core.errors import Conflict
from headway.core.tests.html_forms import form_with
from headway.core.versioning import StaleEdit, VersionedModel, guarded_update
from headway.planning.models import Campaign, Task
from headway.planning.services.campaigns import campaign_create, campaign_update
from headway.planning.services.tasks import task_update
from headway.planning.tests.factories import chain
from headway.publishing.models import ContentPiece
from headway.publishing.services import piece_update
from headway.publishing.tests.factories import draft


@dataclass(frozen=True)
class Versioned:
    """One kind of versioned row: how to make one, edit it through its service, and reach
    it over the API and on its page. `field` is its name or title."""

    model: type[VersionedModel]
    field: str
    make: Callable[[Team], Any]
    edit: Callable[[Team, Any, int, str], Any]
    api: str
    page: str


def _campaign(team: Team) -> Campaign:
    return campaign_create(actor=team.manager, workspace=team.workspace, name="Spring launch")


def _task(team: Team) -> Task:
    return chain(team)[1][0]


KINDS = {
    "campaign": Versioned(
        Campaign,
        "name",
        _campaign,
        lambda team, obj, v, text: campaign_update(
            actor=team.admin, campaign=obj, version=v, name=text
        ),
        "/api/v1/workspaces/{ws}/campaigns/{pk}",
        "/w/{ws}/campaigns/{pk}/edit/",
    ),
    "task": Versioned(
        Task,
        "title",
        _task,
        lambda team, obj, v, text: task_update(actor=team.admin, task=obj, version=v, title=text),
        "/api/v1/workspaces/{ws}/tasks/{pk}",
        "/w/{ws}/tasks/{pk}/",
    ),
    "piece": Versioned(
        ContentPiece,
        "title",
        draft,
        lambda team, obj, v, text: piece_update(actor=team.admin, piece=obj, version=v, title=text),
        "/api/v1/workspaces/{ws}/content/{pk}",
        "/w/{ws}/content/{pk}/",
    ),
}


def _auth(team: Team) -> dict[str, str]:
    _, raw = token_create(actor=team.manager, name="api")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _fresh(kind: Versioned, obj: Any) -> Any:
    return kind.model._default_manager.get(pk=obj.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["api", "page"])
@pytest.mark.parametrize("name", list(KINDS))
def test_an_edit_from_a_stale_version_is_refused_with_409(
    team: Team, name: str, where: str
) -> None:
    kind = KINDS[name]
    obj = kind.make(team)
    ws = team.workspace.slug
    client = client_for(team.manager)
    # given the manager opened it, and someone else saved a change since
    opened = obj.version
    page_url = kind.page.format(ws=ws, pk=obj.pk)
    form = form_with(client.get(page_url).content.decode(), kind.field)
    assert form.values["version"] == [str(opened)]
    kind.edit(team, _fresh(kind, obj), opened, "Theirs")
    # when the manager saves from the version they opened
    if where == "api":
        response = Client().patch(
            kind.api.format(ws=ws, pk=obj.pk),
            {"version": opened, kind.field: "Mine"},
            content_type="application/json",
            **_auth(team),
        )
        body = response.json()
        assert (body["code"], body["field"]) == ("stale", "version")
        message = body["message"]
    else:
        response = client.post(page_url, form.post_data() | {kind.field: ["Mine"]})
        message = response.content.decode()
        assert 'class="form-errors"' in message  # shown above the form, not on a hidden input
    # then it is refused, says why, and their change stands
    assert response.status_code == 409
    assert "Someone else changed “Theirs” while you were editing it" in message
    after = _fresh(kind, obj)
    assert getattr(after, kind.field) == "Theirs"
    assert after.version == opened + 1


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(KINDS))
def test_the_second_writer_from_the_same_version_is_refused(team: Team, name: str) -> None:
    kind = KINDS[name]
    obj = kind.make(team)
    opened = obj.version
    first, second = _fresh(kind, obj), _fresh(kind, obj)
    kind.edit(team, first, opened, "First")
    with pytest.raises(StaleEdit) as refused:
        kind.edit(team, second, opened, "Second")
    assert refused.value.status == 409 and refused.value.field == "version"
    after = _fresh(kind, obj)
    assert (getattr(after, kind.field), after.version) == ("First", opened + 1)
    assert first.version == opened + 1  # the winner's copy is reloaded with its new version


@pytest.mark.django_db
def test_a_write_from_no_copy_bumps_the_version_without_comparing(team: Team) -> None:
    task = _task(team)
    stale = Task.objects.get(pk=task.pk)
    Task.objects.filter(pk=task.pk).update(version=7)
    guarded_update(stale, {"title": "Moved by a rule"}, expected=None)
    assert (stale.version, stale.title) == (8, "Moved by a rule")
    with pytest.raises(StaleEdit):
        guarded_update(stale, {"title": "From an old copy"}, expected=7)
    assert Task.objects.get(pk=task.pk).title == "Moved by a rule"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a server database for two connections"
)
@pytest.mark.parametrize("name", list(KINDS))
def test_two_writers_at_once_from_the_same_version_exactly_one_wins(name: str) -> None:
    kind = KINDS[name]
    team = make_team("race", "Race Co")
    obj = kind.make(team)
    opened = obj.version
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def write(text: str) -> None:
        try:
            start.wait()
            with transaction.atomic():
                kind.edit(team, _fresh(kind, obj), opened, text)
                # Hold the row until the other writer has surely sent its own UPDATE: a
                # check made before writing (read, compare, write) would let both win.
                time.sleep(0.3)
            outcomes[text] = "won"
        except Conflict:
            outcomes[text] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(t,)) for t in ("One", "Two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes.values()) == ["refused", "won"]
    [winner] = [text for text, outcome in outcomes.items() if outcome == "won"]
    after = _fresh(kind, obj)
    assert (getattr(after, kind.field), after.version) == (winner, opened + 1)

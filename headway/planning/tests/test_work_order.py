"""Work order: moving a task on before the tasks it follows are done asks first."""

from __future__ import annotations

import pytest

from headway.accounts.services import token_create
from headway.conftest import Team, client_for
from headway.planning.models import Dependency, Task, TaskStatus
from headway.planning.services.links import dependency_add
from headway.planning.services.tasks import task_set_status
from headway.planning.services.work_order import PredecessorsNotDone, predecessors_not_done
from headway.planning.tests.factories import chain

pytestmark = pytest.mark.django_db


def _owned(team: Team) -> list[Task]:
    """Step 1 -> Step 2 -> Step 3 -> Launch (finish-to-start), every task owned."""
    _, tasks = chain(team)
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(owner=team.member)
    return [Task.objects.get(pk=t.pk) for t in tasks]


def test_starting_before_a_finish_to_start_predecessor_is_done_is_refused(team: Team) -> None:
    tasks = _owned(team)
    # when the second step starts while the first has not even started
    with pytest.raises(PredecessorsNotDone) as refused:
        task_set_status(actor=team.member, task=tasks[1], status=TaskStatus.IN_PROGRESS)
    # then it says which task it waits on, and nothing moved
    assert refused.value.code == "predecessors_not_done"
    assert refused.value.field == "status"
    assert "waits on: “Step 1”" in refused.value.message
    assert [t.pk for t in refused.value.waiting] == [tasks[0].pk]
    assert Task.objects.get(pk=tasks[1].pk).status == TaskStatus.NOT_STARTED
    # review and done are refused the same way
    for status in (TaskStatus.IN_REVIEW, TaskStatus.DONE):
        with pytest.raises(PredecessorsNotDone):
            task_set_status(actor=team.member, task=tasks[1], status=status)


def test_a_confirmed_move_goes_ahead_and_a_done_predecessor_asks_nothing(team: Team) -> None:
    tasks = _owned(team)
    task = task_set_status(
        actor=team.member, task=tasks[1], status=TaskStatus.IN_PROGRESS, force=True
    )
    assert task.status == TaskStatus.IN_PROGRESS
    task_set_status(actor=team.member, task=tasks[0], status=TaskStatus.DONE)
    task_set_status(
        actor=team.member, task=Task.objects.get(pk=tasks[1].pk), status=TaskStatus.DONE
    )
    assert Task.objects.get(pk=tasks[1].pk).status == TaskStatus.DONE
    # going back, or into blocked, never asks
    step3 = Task.objects.get(pk=tasks[2].pk)
    assert predecessors_not_done(step3, TaskStatus.NOT_STARTED) == []
    assert predecessors_not_done(step3, TaskStatus.BLOCKED) == []


def test_only_links_that_forbid_the_move_are_named(team: Team) -> None:
    tasks = _owned(team)
    step2, step3 = tasks[1], tasks[2]
    # a lead (negative lag) plans the overlap; start-to-start needs the predecessor started
    Dependency.objects.filter(predecessor=step2, successor=step3).update(lag=-1)
    assert predecessors_not_done(step3, TaskStatus.IN_PROGRESS) == []
    Dependency.objects.filter(predecessor=step2, successor=step3).update(type="SS", lag=0)
    assert predecessors_not_done(step3, TaskStatus.IN_PROGRESS) == [step2]
    Task.objects.filter(pk=step2.pk).update(status=TaskStatus.IN_PROGRESS)
    assert predecessors_not_done(step3, TaskStatus.IN_PROGRESS) == []
    # finish-to-finish allows the start but not the finish
    Dependency.objects.filter(predecessor=step2, successor=step3).update(type="FF")
    assert predecessors_not_done(step3, TaskStatus.IN_PROGRESS) == []
    assert predecessors_not_done(step3, TaskStatus.DONE) == [step2]


def test_every_unfinished_predecessor_is_named(team: Team) -> None:
    tasks = _owned(team)
    dependency_add(actor=team.manager, predecessor=tasks[0], successor=tasks[2])
    Task.objects.filter(pk=tasks[0].pk).update(status=TaskStatus.IN_PROGRESS)
    with pytest.raises(PredecessorsNotDone) as refused:
        task_set_status(actor=team.member, task=tasks[2], status=TaskStatus.IN_PROGRESS)
    assert "It waits on: “Step 1”, “Step 2”." in refused.value.message


def test_api_answers_409_naming_the_predecessors_unless_forced(client, team: Team) -> None:
    tasks = _owned(team)
    _, raw = token_create(actor=team.member, name="api")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    url = f"/api/v1/workspaces/{team.workspace.slug}/tasks/{tasks[1].pk}/status"
    r = client.post(url, {"status": "in_progress"}, content_type="application/json", **auth)
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "predecessors_not_done" and body["field"] == "status"
    assert body["message"].endswith("waits on: “Step 1”.")
    assert Task.objects.get(pk=tasks[1].pk).status == TaskStatus.NOT_STARTED
    r = client.post(
        url, {"status": "in_progress", "force": True}, content_type="application/json", **auth
    )
    assert r.status_code == 200 and r.json()["status"] == "in_progress"


def test_task_page_asks_for_confirmation_with_links_to_the_predecessors(team: Team) -> None:
    tasks = _owned(team)
    client = client_for(team.member)
    ws = team.workspace.slug
    url = f"/w/{ws}/tasks/{tasks[1].pk}/status/"
    # when the status form asks to start the second step
    response = client.post(url, {"status": "in_progress", "version": tasks[1].version})
    # then a confirmation names the first step with a link, focuses its button, and moves nothing
    page = response.content.decode()
    assert response.status_code == 200
    assert "Start “Step 2” before what it waits on is done?" in page
    assert f'href="/w/{ws}/tasks/{tasks[0].pk}/">Step 1</a>' in page
    assert 'type="submit" autofocus>Start anyway</button>' in page
    assert f'href="/w/{ws}/tasks/{tasks[1].pk}/" data-cancel>Cancel</a>' in page
    assert '<input type="hidden" name="confirm" value="on">' in page
    assert Task.objects.get(pk=tasks[1].pk).status == TaskStatus.NOT_STARTED
    # when it is confirmed, the task starts
    response = client.post(
        url, {"status": "in_progress", "version": tasks[1].version, "confirm": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/w/{ws}/tasks/{tasks[1].pk}/"
    assert Task.objects.get(pk=tasks[1].pk).status == TaskStatus.IN_PROGRESS


def test_board_move_shows_the_confirmation_inside_the_board(team: Team) -> None:
    tasks = _owned(team)
    client = client_for(team.member)
    ws = team.workspace.slug
    response = client.post(
        f"/w/{ws}/tasks/{tasks[2].pk}/status/",
        {"status": "done", "from": "board", "version": 1, "next": f"/w/{ws}/board/"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="board"' in page
    assert "Mark “Step 3” done before what it waits on is done?" in page
    assert f'href="/w/{ws}/board/" data-cancel>Cancel</a>' in page
    assert Task.objects.get(pk=tasks[2].pk).status == TaskStatus.NOT_STARTED


def test_a_blocked_task_waits_on_its_blocker_and_its_unfinished_predecessors(
    team: Team,
) -> None:
    tasks = _owned(team)
    # given the first step blocked on a person, and the second blocked with Step 1 unfinished
    for task in tasks[:2]:
        task_set_status(
            actor=team.member,
            task=task,
            status=TaskStatus.BLOCKED,
            blocked_reason="The label has not cleared the track",
            blocked_on=team.manager.pk,
        )
    client = client_for(team.member)
    ws = team.workspace.slug
    # then my work names the blocker, and never says it can go ahead
    mine = client.get(f"/w/{ws}/my-work/").content.decode()
    assert "nothing, it can go ahead" not in mine
    blocker = "Alpha Manager to unblock it (The label has not cleared the track)"
    assert mine.count(blocker) == 2
    assert f"{blocker}; Step 1 (Alpha Member, blocked)" in mine
    # and the task page lists the blocker first among what it waits on
    page = client.get(f"/w/{ws}/tasks/{tasks[0].pk}/").content.decode()
    waits = page[page.index("<h3>Waits on</h3>") : page.index("<h3>Waited on by</h3>")]
    assert "<strong>Alpha Manager</strong>, to unblock it: The label has not cleared" in waits
    assert "it can start at the plan start" not in waits


def test_an_unblocked_task_without_predecessors_can_go_ahead(team: Team) -> None:
    _owned(team)
    mine = client_for(team.member).get(f"/w/{team.workspace.slug}/my-work/").content.decode()
    assert mine.count("nothing, it can go ahead") == 1  # Step 1 only
    assert "Step 1 (Alpha Member, not started)" in mine

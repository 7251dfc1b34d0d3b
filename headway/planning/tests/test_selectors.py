"""Planning reads: each selector answers what its name says, and only from its workspace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.conftest import Team
from headway.core.bounds import INT64_MAX
from headway.planning import selectors
from headway.planning.models import Campaign, CampaignStatus, Task
from headway.planning.services.attachments import attachment_add_link
from headway.planning.services.calendar import holiday_add, timeoff_add
from headway.planning.services.campaigns import metric_add
from headway.planning.services.links import condition_create
from headway.planning.services.tasks import checklist_add, task_create
from headway.planning.tests.factories import chain

pytestmark = pytest.mark.django_db

TODAY = dt.date(2031, 3, 10)


def _set_status(campaign: Campaign, status: CampaignStatus) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(status=status)


# -- one object by id ------------------------------------------------------------------------


def _objects(team: Team) -> dict[str, tuple[Callable[..., Any], Any]]:
    """For each by-id selector: the selector and an object of `team`'s workspace it finds."""
    campaign, tasks = chain(team, "Scope test")
    ws, manager = team.workspace, team.manager
    return {
        "campaign": (selectors.campaign_get, campaign),
        "task": (selectors.task_get, tasks[0]),
        "dependency": (selectors.dependency_get, tasks[1].predecessor_links.get()),
        "condition": (
            selectors.condition_get,
            condition_create(actor=manager, campaign=campaign, title="Legal ok", owner=manager.pk),
        ),
        "metric": (
            selectors.metric_get,
            metric_add(actor=manager, campaign=campaign, name="Signups", target=100),
        ),
        "attachment": (
            selectors.attachment_get,
            attachment_add_link(actor=manager, task=tasks[0], url="https://example.com/brief"),
        ),
        "template": (selectors.template_get, selectors.workspace_templates(ws)[0]),
        "timeoff": (
            selectors.timeoff_get,
            timeoff_add(
                actor=manager,
                workspace=ws,
                user_id=team.member.pk,
                first_day=TODAY,
                last_day=TODAY,
            ),
        ),
        "holiday": (
            selectors.holiday_get,
            holiday_add(actor=manager, workspace=ws, date=TODAY, name="Spring day"),
        ),
    }


def test_each_by_id_selector_finds_its_object_in_the_workspace_only(
    team: Team, other_team: Team
) -> None:
    # given: one object of each kind in each workspace
    ours, theirs = _objects(team), _objects(other_team)
    for name, (get, obj) in ours.items():
        # when / then: found by its id in its workspace...
        assert get(team.workspace, obj.pk) == obj, name
        # ...and not by the other workspace's id, nor through the other workspace
        with pytest.raises(ObjectDoesNotExist):
            get(team.workspace, theirs[name][1].pk)
        with pytest.raises(ObjectDoesNotExist):
            get(other_team.workspace, obj.pk)


def test_a_task_comes_with_what_its_pages_read(team: Team) -> None:
    _, tasks = chain(team)
    task = selectors.task_get(team.workspace, tasks[0].pk)
    with CaptureQueriesContext(connection) as queries:
        names = (task.campaign.workspace.slug, task.workspace.slug, task.owner)
    assert names[0] == team.workspace.slug
    assert len(queries) == 0


def test_task_find_answers_none_outside_the_workspace_or_past_any_id(
    team: Team, other_team: Team
) -> None:
    _, ours = chain(team)
    _, theirs = chain(other_team)
    assert selectors.task_find(team.workspace, ours[0].pk) == ours[0]
    assert selectors.task_find(team.workspace, theirs[0].pk) is None
    assert selectors.task_find(team.workspace, INT64_MAX + 1) is None
    assert selectors.task_find(team.workspace, 0) is None


def test_a_checklist_item_is_found_on_its_own_task_only(team: Team) -> None:
    _, tasks = chain(team)
    item = checklist_add(actor=team.manager, task=tasks[0], text="Proofread")
    assert selectors.checklist_item_get(tasks[0], item.pk) == item
    with pytest.raises(ObjectDoesNotExist):
        selectors.checklist_item_get(tasks[1], item.pk)
    with pytest.raises(ObjectDoesNotExist):
        selectors.checklist_item_get(tasks[0], INT64_MAX + 1)


def test_template_find_answers_none_for_another_workspaces_template(
    team: Team, other_team: Team
) -> None:
    ours = selectors.workspace_templates(team.workspace)[0]
    theirs = selectors.workspace_templates(other_team.workspace)[0]
    assert selectors.template_find(team.workspace, ours.pk) == ours
    assert selectors.template_find(team.workspace, theirs.pk) is None


# -- lists -----------------------------------------------------------------------------------


def test_link_targets_are_the_campaigns_other_tasks_then_running_campaigns_tasks(
    team: Team, other_team: Team
) -> None:
    # given: the task's own campaign, a planned one, a draft one, and another workspace's
    _, own = chain(team, "Own")
    planned, planned_tasks = chain(team, "Planned")
    _set_status(planned, CampaignStatus.PLANNED)
    draft, draft_tasks = chain(team, "Draft")
    _set_status(draft, CampaignStatus.DRAFT)
    elsewhere, elsewhere_tasks = chain(other_team, "Theirs")
    _set_status(elsewhere, CampaignStatus.PLANNED)
    # when
    targets = selectors.campaign_link_targets(own[0])
    # then: own campaign first (not the task itself), then the planned campaign's tasks
    assert targets[: len(own) - 1] == own[1:]
    assert set(targets[len(own) - 1 :]) == set(planned_tasks)
    assert not set(targets) & (set(draft_tasks) | set(elsewhere_tasks))


def test_link_targets_from_other_campaigns_are_capped(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, own = chain(team, "Own")
    planned, planned_tasks = chain(team, "Planned", 1, 1, 1, 1)
    _set_status(planned, CampaignStatus.IN_PROGRESS)
    monkeypatch.setattr(selectors, "OTHER_CAMPAIGN_TARGETS", 2)
    targets = selectors.campaign_link_targets(own[0])
    assert len(targets) == len(own) - 1 + 2
    assert set(targets[len(own) - 1 :]) <= set(planned_tasks)


def test_milestones_are_the_campaigns_milestones_but_the_task_itself(team: Team) -> None:
    campaign, tasks = chain(team)
    gate = task_create(actor=team.manager, campaign=campaign, title="Gate", kind="milestone")
    chain(team, "Another")
    launch = tasks[-1]
    assert {t.pk for t in selectors.campaign_milestones(tasks[0])} == {gate.pk, launch.pk}
    assert [t.pk for t in selectors.campaign_milestones(gate)] == [launch.pk]


def test_campaign_tasks_are_that_campaigns_only(team: Team) -> None:
    campaign, tasks = chain(team)
    chain(team, "Another")
    assert {t.pk for t in selectors.campaign_tasks(campaign)} == {t.pk for t in tasks}


def test_time_off_ahead_is_everyones_for_a_planner_and_ones_own_otherwise(
    team: Team, other_team: Team
) -> None:
    # given: the member's and the freelancer's time off ahead, one that has ended, and
    # another workspace's
    def off(t: Team, user_id: int, first: int, last: int) -> int:
        return timeoff_add(
            actor=t.manager,
            workspace=t.workspace,
            user_id=user_id,
            first_day=TODAY + dt.timedelta(days=first),
            last_day=TODAY + dt.timedelta(days=last),
        ).pk

    members = off(team, team.member.pk, 3, 4)
    freelancers = off(team, team.freelancer.pk, 0, 1)
    off(team, team.member.pk, -5, -1)
    off(other_team, other_team.member.pk, 3, 4)
    # when / then
    planner_sees = selectors.time_off_ahead(team.membership(team.manager), TODAY)
    assert {o.pk for o in planner_sees} == {members, freelancers}
    member_sees = selectors.time_off_ahead(team.membership(team.member), TODAY)
    assert [o.pk for o in member_sees] == [members]
    assert [o.pk for o in selectors.time_off_ahead(team.membership(team.client), TODAY)] == []


def test_holidays_are_the_workspaces_in_date_order_from_a_day(team: Team, other_team: Team) -> None:
    later = holiday_add(actor=team.manager, workspace=team.workspace, date=TODAY, name="B")
    past = holiday_add(
        actor=team.manager, workspace=team.workspace, date=TODAY - dt.timedelta(7), name="A"
    )
    holiday_add(actor=other_team.manager, workspace=other_team.workspace, date=TODAY, name="C")
    assert selectors.workspace_holidays(team.workspace) == [past, later]
    assert selectors.workspace_holidays(team.workspace, since=TODAY) == [later]


def test_board_and_campaign_reads_stay_in_their_workspace(team: Team, other_team: Team) -> None:
    chain(team, "Ours")
    chain(other_team, "Theirs")
    names = [c.name for c in selectors.campaigns_list(team.workspace, TODAY)]
    assert names == ["Ours"]
    board = selectors.board_columns(team.workspace, TODAY, selectors.BoardFilter())
    workspaces = {r.task.workspace_id for c in board for r in c.rows}
    assert workspaces == {team.workspace.pk}
    assert Task.objects.filter(workspace=other_team.workspace).exists()


def test_the_brief_and_a_tasks_links_are_read_through_selectors(team: Team) -> None:
    campaign, tasks = chain(team)
    metric_add(actor=team.manager, campaign=campaign, name="Signups", target=100)
    assert [m.name for m in selectors.campaign_metrics(campaign)] == ["Signups"]
    assert selectors.campaign_channel_list(campaign) == list(campaign.channels.all())
    # a task in the middle of the chain waits on the one before and is waited on by the next
    detail = selectors.task_detail(tasks[1].pk, team.workspace)
    with CaptureQueriesContext(connection) as queries:
        before, after = selectors.task_links(detail)
    assert [d.predecessor_id for d in before] == [tasks[0].pk]
    assert [d.successor_id for d in after] == [tasks[2].pk]
    assert len(queries) == 0  # task_detail fetched them already

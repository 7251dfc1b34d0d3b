"""Launching a campaign marks its launch tasks done through the task service."""

from __future__ import annotations

import datetime as dt

import pytest

from headway.activity.models import Event
from headway.conftest import Team
from headway.core.errors import DomainError
from headway.core.versioning import StaleEdit
from headway.planning.models import Campaign, GoLiveCondition, Task, TaskStatus
from headway.planning.services.campaigns import campaign_set_start, campaign_set_status
from headway.planning.services.links import condition_create, condition_set_met
from headway.planning.services.tasks import task_create, task_set_status
from headway.planning.tests.factories import chain

pytestmark = pytest.mark.django_db


def _events_on(obj: object, since: int) -> list[Event]:
    return list(
        Event.objects.filter(
            pk__gt=since,
            object_type=obj._meta.label_lower,  # type: ignore[attr-defined]
            object_id=str(obj.pk),  # type: ignore[attr-defined]
        ).order_by("id")
    )


def _site_live(team: Team, launch: Task) -> GoLiveCondition:
    """A readiness condition that follows `launch`: met when it is done."""
    return condition_create(
        actor=team.manager,
        campaign=launch.campaign,
        title="Site live",
        owner=team.member.pk,
        task=launch.pk,
    )


def test_launching_marks_each_launch_task_done_as_the_task_service_does(team: Team) -> None:
    # given a campaign with two launch tasks, the site going live following the first
    campaign, tasks = chain(team)
    launch = tasks[-1]
    press = task_create(actor=team.manager, campaign=campaign, title="Press embargo", kind="launch")
    site = _site_live(team, launch)
    legal = condition_create(
        actor=team.manager, campaign=campaign, title="Legal sign-off", owner=team.member.pk
    )
    condition_set_met(actor=team.member, condition=legal, met=True)
    versions = {t.pk: Task.objects.get(pk=t.pk).version for t in (launch, press)}
    campaign_version = Campaign.objects.get(pk=campaign.pk).version
    mark = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # when the campaign is launched
    campaign_set_status(actor=team.manager, campaign=campaign, status="launched")
    # then each launch task is done with a new version and one event of its own
    for task in (launch, press):
        after = Task.objects.get(pk=task.pk)
        assert after.status == TaskStatus.DONE and after.done_at is not None
        assert after.version == versions[task.pk] + 1
        [event] = _events_on(after, mark)
        assert event.changes == {"status": ["not_started", "done"]}
        assert event.actor_id == team.manager.pk
    # and the condition that follows the first is met because it is done
    site.refresh_from_db()
    assert site.met_at is not None and site.met_by_id == team.manager.pk
    [met] = _events_on(site, mark)
    assert met.changes["because"] == [None, "Launch is done"]
    # the other tasks are untouched, and the campaign's own move is recorded once
    assert Task.objects.get(pk=tasks[0].pk).status == TaskStatus.NOT_STARTED
    launched = Campaign.objects.get(pk=campaign.pk)
    assert launched.version == campaign_version + 1
    [moved] = _events_on(launched, mark)
    assert moved.changes == {"status": ["draft", "launched"]}


def test_a_launch_refused_for_an_unmet_condition_marks_nothing_done(team: Team) -> None:
    campaign, tasks = chain(team)
    launch = tasks[-1]
    _site_live(team, launch)
    condition_create(
        actor=team.manager, campaign=campaign, title="Music licence", owner=team.member.pk
    )
    mark = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with pytest.raises(DomainError, match=r"unmet: Music licence\.$"):
        campaign_set_status(actor=team.manager, campaign=campaign, status="launched")
    assert Task.objects.get(pk=launch.pk).status == TaskStatus.NOT_STARTED
    assert not GoLiveCondition.objects.filter(campaign=campaign, met_at__isnull=False).exists()
    assert not Event.objects.filter(pk__gt=mark).exists()
    assert Campaign.objects.get(pk=campaign.pk).status == "draft"


def test_a_launch_task_is_not_held_back_by_a_condition_its_own_done_meets(team: Team) -> None:
    campaign, tasks = chain(team)
    launch = tasks[-1]
    Task.objects.filter(campaign=campaign).update(owner=team.member)
    for task in tasks[:-1]:
        task_set_status(actor=team.member, task=Task.objects.get(pk=task.pk), status="done")
    site = _site_live(team, launch)
    task_set_status(actor=team.member, task=Task.objects.get(pk=launch.pk), status="done")
    site.refresh_from_db()
    assert site.met_at is not None
    assert Task.objects.get(pk=launch.pk).status == TaskStatus.DONE


def test_pinning_the_start_goes_through_the_version_guard(team: Team) -> None:
    # given a campaign read at some version
    campaign, _ = chain(team)
    read_at = campaign.version
    # when the first day is pinned from that copy, the plan is dated from it and the version moves
    pinned = campaign_set_start(
        actor=team.manager, campaign=campaign, start=dt.date(2027, 3, 1), version=read_at
    )
    assert pinned.plan_start == dt.date(2027, 3, 1) and pinned.version == read_at + 1
    # then a second pin from the same stale copy is refused, and so is a date out of bounds
    with pytest.raises(StaleEdit):
        campaign_set_start(
            actor=team.manager, campaign=campaign, start=dt.date(2027, 3, 8), version=read_at
        )
    with pytest.raises(DomainError) as caught:
        campaign_set_start(actor=team.manager, campaign=campaign, start=dt.date(9999, 1, 4))
    assert caught.value.field == "plan_start"
    assert Campaign.objects.get(pk=campaign.pk).plan_start == dt.date(2027, 3, 1)

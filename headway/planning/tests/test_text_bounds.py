"""Services refuse text their columns cannot hold, naming the field, instead of cutting it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from headway.conftest import Team
from headway.core.errors import DomainError
from headway.planning.models import ChecklistItem, Holiday, Task, TaskStatus
from headway.planning.services.calendar import holiday_add, timeoff_add
from headway.planning.services.campaigns import channel_create, metric_add
from headway.planning.services.links import condition_create
from headway.planning.services.tasks import checklist_add, task_create, task_set_status
from headway.planning.template_spec import template_plan
from headway.planning.tests.factories import chain
from headway.publishing.services import piece_create

pytestmark = pytest.mark.django_db


def _refused(call: Callable[[], Any], field: str, limit: int) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.field == field
    assert f"At most {limit:,} characters" in caught.value.message
    return caught.value


def test_task_texts_are_refused_not_cut(team: Team) -> None:
    campaign, _ = chain(team)
    step = task_create(actor=team.manager, campaign=campaign, title="Brief", owner=team.member.pk)
    _refused(
        lambda: task_create(actor=team.manager, campaign=campaign, title="t" * 201), "title", 200
    )
    _refused(lambda: checklist_add(actor=team.manager, task=step, text="c" * 201), "text", 200)
    _refused(
        lambda: task_set_status(
            actor=team.manager,
            task=step,
            status=TaskStatus.BLOCKED,
            blocked_reason="r" * 241,
            blocked_on=team.member.pk,
        ),
        "blocked_reason",
        240,
    )
    assert not Task.objects.filter(title__startswith="ttt").exists()
    assert not ChecklistItem.objects.exists()
    step.refresh_from_db()
    assert step.status != TaskStatus.BLOCKED


def test_a_title_of_exactly_the_column_length_is_kept_whole(team: Team) -> None:
    campaign, _ = chain(team)
    task = task_create(actor=team.manager, campaign=campaign, title="t" * 200)
    assert Task.objects.get(pk=task.pk).title == "t" * 200


def test_campaign_and_calendar_texts_are_refused_not_cut(team: Team) -> None:
    campaign, _ = chain(team)
    ws = team.workspace
    _refused(
        lambda: metric_add(actor=team.manager, campaign=campaign, name="m" * 101, target=5),
        "metric_name",
        100,
    )
    _refused(
        lambda: metric_add(
            actor=team.manager, campaign=campaign, name="Leads", target=5, unit="u" * 31
        ),
        "unit",
        30,
    )
    _refused(lambda: channel_create(actor=team.manager, workspace=ws, name="n" * 61), "name", 60)
    _refused(
        lambda: holiday_add(
            actor=team.owner, workspace=ws, date=dt.date(2027, 1, 4), name="h" * 81
        ),
        "name",
        80,
    )
    _refused(
        lambda: timeoff_add(
            actor=team.manager,
            workspace=ws,
            user_id=team.member.pk,
            first_day=dt.date(2027, 1, 4),
            last_day=dt.date(2027, 1, 5),
            note="x" * 121,
        ),
        "note",
        120,
    )
    _refused(
        lambda: condition_create(actor=team.manager, campaign=campaign, title="g" * 201),
        "title",
        200,
    )
    _refused(
        lambda: piece_create(actor=team.manager, workspace=ws, title="p" * 201, kind="social_post"),
        "title",
        200,
    )
    assert not campaign.metrics.exists()
    assert not Holiday.objects.filter(workspace=ws).exists()


def test_a_template_with_an_overlong_title_is_refused_with_where() -> None:
    spec = {
        "tasks": [{"key": "a", "title": "a" * 201}, {"key": "l", "title": "L", "kind": "launch"}]
    }
    with pytest.raises(DomainError) as caught:
        template_plan(spec)
    assert "task a" in caught.value.message
    assert "at most 200" in caught.value.message

"""The periodic health sweep and the `headway health` command."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from headway.conftest import Team
from headway.insights.models import CampaignHealth
from headway.insights.tests.test_health_services import MONDAY, _plan

pytestmark = pytest.mark.django_db


@time_machine.travel(MONDAY, tick=False)
def test_the_command_refreshes_every_open_campaign(team: Team) -> None:
    _plan(team, "A")
    _plan(team, "B")
    out = io.StringIO()
    call_command("health", "--all", stdout=out)
    assert CampaignHealth.objects.count() == 2
    assert f"{team.workspace.slug}: 2 campaigns in" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("health")
    with pytest.raises(CommandError):
        call_command("health", "--workspace", "nope")


@time_machine.travel(MONDAY, tick=False)
def test_the_sweep_refreshes_and_requeues_itself(team: Team) -> None:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from headway.insights.health_jobs import health_sweep_job

    _plan(team, "A")
    assert health_sweep_job.call(again=True) == "1 campaigns refreshed, 0 escalations sent on"
    waiting = DBTaskResult.objects.filter(
        task_path=health_sweep_job.module_path, status=TaskResultStatus.READY
    )
    assert waiting.count() == 1 and CampaignHealth.objects.count() == 1

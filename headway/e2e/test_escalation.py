"""Escalation in the browser: a campaign turns at risk after a change, its owner is emailed,
sees the escalation on the home page and the escalations page, and acknowledges it with what
will be done and by when; a member raises a risk by hand on a task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from headway.conftest import Team
from headway.e2e.conftest import log_in
from headway.insights.models import CampaignHealth, Escalation, EscalationState
from headway.planning.models import Task
from headway.planning.services.campaigns import campaign_set_status, campaign_update
from headway.planning.services.tasks import task_set_status, task_update
from headway.planning.tests.factories import chain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _campaign_turns_at_risk(team: Team) -> tuple[int, int]:
    """Spring launch, owned by the manager, under way (its first task started) with every
    task owned: on track. Then the second task, due to start in two days, loses its owner:
    unowned work within days puts the campaign at risk. The health job runs as the worker
    would. Returns the campaign's and that task's ids."""
    campaign, tasks = chain(team, "Spring launch", 2, 3, 1)
    campaign = campaign_update(actor=team.manager, campaign=campaign, version=campaign.version,
                               owner=team.manager.pk, objective="Spring range")  # fmt: skip
    campaign_set_status(actor=team.manager, campaign=campaign, status="in_progress")
    for t in tasks[:3]:
        task_update(actor=team.manager, task=t, version=t.version, owner=team.member.pk)
    task_set_status(actor=team.member, task=Task.objects.get(pk=tasks[0].pk), status="in_progress")
    call_command("worker", "--batch")
    health = CampaignHealth.objects.get(campaign=campaign)
    assert health.state == "on_track", health.reasons
    mail.outbox.clear()
    second = Task.objects.get(pk=tasks[1].pk)
    task_update(actor=team.admin, task=second, version=second.version, owner=None)
    call_command("worker", "--batch")
    return campaign.pk, second.pk


@override_settings(HEALTH_RECOMPUTE_ON_CHANGE=True)
def test_the_owner_acknowledges_and_a_member_raises_a_risk(page, team: Team) -> None:  # type: ignore[no-untyped-def]
    # given a campaign that has just turned at risk
    campaign_id, task_id = _campaign_turns_at_risk(team)
    escalation = Escalation.objects.get(campaign_id=campaign_id)
    assert escalation.state == EscalationState.OPEN and escalation.owner == team.manager
    # its owner was emailed
    assert [m.to for m in mail.outbox] == [[team.manager.email]]
    assert "Spring launch" in f"{mail.outbox[0].subject} {mail.outbox[0].body}"

    # when the owner signs in, the home page shows the escalation waiting
    log_in(page, team.manager.email)
    waiting = page.locator("#section-escalations")
    assert "Spring launch" in waiting.inner_text()
    assert "“Step 2” starts" in waiting.inner_text() and "nobody owns it" in waiting.inner_text()
    # and on the escalations page acknowledges it with a note and a date
    page.get_by_role("link", name="Escalations").first.click()
    page.wait_for_url("**/escalations/")
    row = page.locator("li.escalation", has_text="Spring launch")
    row.get_by_text("Acknowledge", exact=True).first.click()
    by = timezone.localdate() + dt.timedelta(days=2)
    row.get_by_label("What will be done").fill("Maya takes the brief; Priya covers the copy")
    row.get_by_label("By when").fill(by.isoformat())
    row.get_by_role("button", name="Acknowledge").click()
    page.wait_for_url("**/escalations/")

    # then it is acknowledged, with the note shown under Acknowledged
    escalation.refresh_from_db()
    assert escalation.state == EscalationState.ACKNOWLEDGED
    assert escalation.acknowledged_by == team.manager and escalation.ack_by_date == by
    acknowledged = page.locator("section", has=page.locator("#ack-h"))
    assert "Maya takes the brief; Priya covers the copy" in acknowledged.inner_text()
    assert (
        "Nothing waits for acknowledgement"
        in page.locator("section", has=page.locator("#open-h")).inner_text()
    )

    # when a member raises a risk by hand on a task
    page.context.clear_cookies()
    log_in(page, team.member.email)
    page.goto(f"/w/{team.workspace.slug}/tasks/{task_id}/")
    page.get_by_text("Raise a risk on this task").click()
    page.get_by_label("The risk, in a sentence").fill("The photographer has not confirmed")
    page.get_by_role("button", name="Raise it with the campaign owner").click()
    page.wait_for_url(f"**/tasks/{task_id}/")

    # then it is an open escalation to the campaign owner, listed as raised by the member
    raised = Escalation.objects.get(source="raised")
    assert raised.task_id == task_id and raised.raised_by == team.member
    assert raised.owner == team.manager and raised.state == EscalationState.OPEN
    page.goto(f"/w/{team.workspace.slug}/escalations/")
    row = page.locator("li.escalation", has_text="The photographer has not confirmed")
    assert f"raised by {team.member.name}" in row.inner_text()
    assert page.csp_problems == []

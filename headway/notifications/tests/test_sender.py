from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from headway.approvals.services import approval_start, approvals_sweep
from headway.approvals.tests.factories import founder_chain
from headway.conftest import Team, make_user
from headway.notifications.sender import notification_render, notify, recipients_unique
from headway.planning.tests.factories import chain as plan_chain

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_a_person_named_twice_is_one_recipient(team: Team) -> None:
    people, addresses = recipients_unique(
        [
            team.owner,
            team.member,
            team.owner,
            team.owner.email.upper(),
            "guest@example.com",
            "Guest@Example.com ",
        ]
    )
    assert people == [team.owner, team.member]
    assert addresses == ["guest@example.com"]


def test_one_recipient_named_twice_gets_one_email(team: Team) -> None:
    sent = notify(
        recipients=[team.member, team.member, team.member.email],
        workspace=team.workspace,
        subject="Hello",
        template="notifications/invitation.txt",
        context={"inviter": "Sam", "workspace": team.workspace, "link": "https://x/invite/1/"},
        background=False,
    )
    assert sent == 1
    [message] = mail.outbox
    assert message.to == [team.member.email]


def test_nobody_to_tell_sends_nothing(team: Team) -> None:
    assert (
        notify(
            recipients=[],
            workspace=team.workspace,
            subject="Hello",
            template="notifications/invitation.txt",
            context={},
            background=False,
        )
        == 0
    )
    assert mail.outbox == []


def test_times_print_in_the_workspace_time_zone_and_text_is_not_escaped(team: Team) -> None:
    team.workspace.time_zone = "America/New_York"
    at = dt.datetime(2026, 3, 2, 15, 30, tzinfo=dt.UTC)
    body = notification_render(
        "notifications/approval_reminder.txt",
        {
            "request": {
                "subject_title": "Tom & Jerry's <brief>",
                "waiting_since": at,
                "due_at": at + dt.timedelta(days=1),
            },
            "url": "https://x/",
        },
        team.workspace,
    )
    assert body.startswith(
        "Tom & Jerry's <brief> has waited since 2 March 10:30 America/New_York; "
        "its limit is 3 March 10:30 America/New_York."
    )


@time_machine.travel(dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC), tick=False)
@pytest.mark.django_db(transaction=True)
def test_an_overdue_approval_in_new_york_is_dated_there_and_told_once(team: Team) -> None:
    # given a New York workspace whose campaign owner is also the step's backup approver
    team.workspace.time_zone = "America/New_York"
    team.workspace.save()
    campaign, tasks = plan_chain(team)
    assert campaign.owner == team.manager
    request = approval_start(
        actor=team.manager, task=tasks[0], chain=founder_chain(team, backup=team.manager)
    )
    call_command("worker", "--batch")
    [step_mail] = mail.outbox
    due_in_ny = request.due_at.astimezone(NEW_YORK)
    assert f"{due_in_ny:%-d %B %H:%M} America/New_York" in step_mail.body
    assert due_in_ny.hour != request.due_at.astimezone(dt.UTC).hour  # so UTC would not pass
    mail.outbox.clear()
    # when the sweep runs past the limit
    assert approvals_sweep(request.due_at + dt.timedelta(minutes=1)) == (1, 1)
    call_command("worker", "--batch")
    # then the reminder and the escalation are dated in New York and link to the request
    reminder = next(m for m in mail.outbox if m.subject.startswith("Reminder"))
    overdue = next(m for m in mail.outbox if m.subject.startswith("Overdue"))
    assert reminder.to == [team.owner.email]
    assert overdue.to == [team.manager.email]
    waited = request.waiting_since.astimezone(NEW_YORK)
    assert f"waited since {waited:%-d %B %H:%M} America/New_York" in reminder.body
    assert f"({due_in_ny:%-d %B %H:%M} America/New_York)" in overdue.body
    assert "UTC" not in str(reminder.body) and "UTC" not in str(overdue.body)
    for message in (reminder, overdue):
        link = re.search(r"https?://\S+", message.body).group(0)  # type: ignore[union-attr]
        assert link.endswith(f"/w/{team.workspace.slug}/approvals/{request.pk}/")


@pytest.mark.django_db(transaction=True)
def test_a_mention_email_carries_the_whole_comment_and_the_task_link(team: Team) -> None:
    from headway.planning.services.tasks import comment_add
    from headway.workspaces.services import membership_add

    dana = make_user("dana@example.com", "Dana Cole")
    membership_add(actor=team.owner, workspace=team.workspace, user=dana, role="member")
    _, tasks = plan_chain(team)
    body = "@Dana <b>look</b> & " + "x" * 3000
    comment_add(actor=team.manager, task=tasks[0], body=body)
    call_command("worker", "--batch")
    [message] = mail.outbox
    assert message.to == ["dana@example.com"]
    assert body in message.body
    assert message.body.rstrip().endswith(f"/w/{team.workspace.slug}/tasks/{tasks[0].pk}/")

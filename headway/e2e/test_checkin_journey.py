"""J4: the manager opens the Monday agenda, sees the slipped launch and the approval past its
limit, marks an item discussed, records a decision with an owner, closes the check-in, and
the summary email goes out. J8: an invited member opens the newcomer page from the
invitation and sees the campaigns with their why and owners."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from headway.approvals.services import approval_start
from headway.approvals.tests.factories import founder_chain
from headway.conftest import PASSWORD, Team
from headway.e2e.conftest import log_in
from headway.insights.models import CheckIn
from headway.insights.services.checkins import checkin_close, checkin_open
from headway.planning.models import Task
from headway.planning.services.campaigns import campaign_set_status, campaign_update
from headway.planning.services.tasks import task_update
from headway.planning.tests.factories import chain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _week_with_a_slip(team: Team) -> None:
    """A campaign under way; last week's check-in closed on its dates; since then a task took
    three days longer, and a founder approval has waited past its limit."""
    campaign, tasks = chain(team, "Autumn launch", 2, 3, 1)
    campaign_update(actor=team.manager, campaign=campaign, version=campaign.version,
                    owner=team.manager.pk, objective="Win back lapsed buyers")  # fmt: skip
    campaign_set_status(actor=team.manager, campaign=campaign, status="in_progress")
    owned = [task_update(actor=team.manager, task=t, version=t.version, owner=team.member.pk)
             for t in tasks[:3]]  # fmt: skip
    a_week_ago = timezone.now() - dt.timedelta(days=7)
    last = checkin_open(workspace=team.workspace, now=a_week_ago)
    checkin_close(actor=team.manager, checkin=last, now=a_week_ago)
    step = Task.objects.get(pk=owned[1].pk)
    task_update(actor=team.manager, task=step, version=step.version,
                duration_days=step.duration_days + Decimal(3))  # fmt: skip
    approval_start(actor=team.manager, chain=founder_chain(team), task=owned[0],
                   at=timezone.now() - dt.timedelta(days=5), force=True)  # fmt: skip
    call_command("worker", "--batch")
    mail.outbox.clear()


def test_j4_the_monday_checkin(page, team: Team) -> None:  # type: ignore[no-untyped-def]
    # given a week in which a launch slipped and an approval waited past its limit
    _week_with_a_slip(team)

    # when Jordan, the manager, opens this week's check-in from the dashboard
    log_in(page, team.manager.email)
    page.get_by_role("link", name="This week's check-in").click()
    page.wait_for_url("**/checkin/")

    # then the agenda shows the slipped launch, with the change that moved it
    slipped = page.locator("#section-slipped")
    assert slipped.get_by_text(
        re.compile(r"Autumn launch: projected launch moved .* \(\+\d+ days?\)")
    ).is_visible()
    assert slipped.get_by_text("updated task “Step 2” (duration days 3.0 → 6.0)").first.is_visible()
    # and the approval waiting past its limit, on the founder
    approvals = page.locator("#section-approvals")
    assert approvals.get_by_role("link", name=f"Step 1 waits on {team.owner.name}").is_visible()

    # when he marks the approval discussed (htmx, in place)
    approvals.get_by_role("button", name="Discussed").first.click()
    approvals.locator("button[aria-pressed=true]").first.wait_for()

    # and records a decision with one owner and a due date
    page.get_by_label("Decision", exact=True).fill("Maya decides on the concepts by Wednesday")
    page.get_by_label("Owner", exact=True).select_option(label=team.owner.name)
    page.get_by_label("Due", exact=True).fill(
        (timezone.now() + dt.timedelta(days=2)).date().isoformat()
    )
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url("**#decisions")
    decisions = page.locator("#decisions")
    assert decisions.get_by_role(
        "cell", name="Maya decides on the concepts by Wednesday"
    ).is_visible()
    assert decisions.get_by_role("cell", name=team.owner.name).is_visible()

    # and closes the check-in
    page.get_by_role("button", name="Close the check-in").click()
    page.get_by_text("Check-in closed.").wait_for()
    assert CheckIn.objects.filter(closed_at__isnull=False).count() == 2

    # then the summary email goes to the team, with the decision and its owner
    call_command("worker", "--batch")
    summary = [m for m in mail.outbox if m.subject.startswith("Check-in of")]
    assert len(summary) == 1
    assert "Maya decides on the concepts by Wednesday" in summary[0].body
    assert team.owner.name in summary[0].body
    assert page.csp_problems == [], page.csp_problems


def test_j8_the_newcomer_page_from_the_invitation(page, team: Team) -> None:  # type: ignore[no-untyped-def]
    # given a workspace with a campaign under way
    campaign, _ = chain(team, "Autumn launch", 2, 3, 1)
    campaign_update(actor=team.manager, campaign=campaign, version=campaign.version,
                    owner=team.manager.pk, objective="Win back lapsed buyers")  # fmt: skip

    # when the owner invites Noor by email
    log_in(page, team.owner.email)
    page.get_by_role("link", name="People").click()
    page.get_by_label("Email (optional)").fill("noor@example.com")
    page.get_by_label("Role", exact=True).select_option("member")
    page.get_by_role("button", name="Create invitation link").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")
    body = mail.outbox[-1].body
    accept = re.search(r"Accept the invitation: \S*(/invite/\S+)", body).group(1)  # type: ignore[union-attr]
    start = re.search(r"two minutes\): \S*(/w/\S+)", body).group(1)  # type: ignore[union-attr]

    # and Noor accepts it with a new account
    page.goto(accept)
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Your name").fill("Noor Haddad")
    page.get_by_label("Email").fill("noor@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("button", name=re.compile("Accept and join")).click()
    page.wait_for_url("**/w/**")

    # then the invitation's second link opens the newcomer page
    page.goto(start)
    assert page.get_by_role("heading", name=re.compile("Start here")).is_visible()
    flight = page.locator("section", has=page.get_by_role("heading", name="In flight"))
    assert flight.get_by_role("link", name="Autumn launch").is_visible()
    assert flight.get_by_text("Win back lapsed buyers").is_visible()
    assert flight.get_by_text(f"Owner {team.manager.name}").is_visible()
    owners = page.locator("section", has=page.get_by_role("heading", name="Who owns what"))
    assert owners.get_by_role("rowheader", name=re.compile("Noor Haddad")).is_visible()
    assert page.csp_problems == [], page.csp_problems

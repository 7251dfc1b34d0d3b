"""Journey J2: a designer submits an asset; the founder is notified, requests changes (round
2), then approves from the emailed link; the budget step goes to finance; the task completes."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command

from headway.approvals.models import ApprovalRequest
from headway.approvals.services import StepSpec, chain_create
from headway.conftest import PASSWORD, make_team
from headway.planning.models import Task
from headway.planning.tests.factories import chain as plan_chain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _person(browser, live_server, email: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/w/**")
    return page


def _link_for(email: str) -> str:
    call_command("worker", "--batch")
    messages = [m for m in mail.outbox if email in m.to]
    return re.search(r"(/approve/[^/\s]+/)", messages[-1].body).group(1)  # type: ignore[union-attr]


def test_j2_asset_approval_in_two_rounds(browser, live_server, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    team = make_team("j2", "Juniper Goods")
    _, tasks = plan_chain(team)
    task = tasks[0]
    Task.objects.filter(pk=task.pk).update(owner=team.member, title="Hero banner")
    chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Design with budget",
        kind="design_asset",
        steps=[
            StepSpec("Founder", approvers=[team.owner.pk]),
            StepSpec("Finance", approvers=[team.admin.pk], limit=8, limit_unit="hours"),
        ],
    )
    ws = team.workspace.slug
    from headway.planning.models import GoLiveCondition
    from headway.planning.services.links import condition_create

    readiness = condition_create(
        actor=team.manager,
        campaign=task.campaign,
        title="Hero banner signed off",
        kind="readiness",
        owner=team.manager.pk,
        task=task.pk,
    )

    # given the designer uploads the banner and sends it for approval
    designer = _person(browser, live_server, team.member.email)
    designer.goto(f"/w/{ws}/tasks/{task.pk}/")
    designer.get_by_label("File").set_input_files(
        files=[{"name": "banner.png", "mimeType": "image/png", "buffer": PNG}]
    )
    designer.get_by_role("button", name="Upload").click()
    assert designer.get_by_text("v1").first.is_visible()
    designer.get_by_role("button", name="Send for approval").click()
    assert designer.get_by_text("Waiting for a decision").is_visible()

    # when the founder, notified by email, requests changes from the queue
    assert _link_for(team.owner.email)
    founder = _person(browser, live_server, team.owner.email)
    founder.get_by_role("link", name="Approvals").click()
    founder.get_by_label("Comment").fill("Make the logo bigger")
    founder.get_by_role("button", name="Request changes").click()
    assert founder.get_by_text("Nothing waits for your decision").is_visible()

    # and the designer uploads version 2 and resubmits (round 2)
    designer.reload()
    assert designer.get_by_text("Make the logo bigger").is_visible()
    designer.get_by_label("File").set_input_files(
        files=[{"name": "banner-2.png", "mimeType": "image/png", "buffer": PNG}]
    )
    designer.get_by_role("button", name="Upload").click()
    assert not designer.get_by_text("Waiting for a decision").is_visible()
    designer.get_by_role("button", name="Resubmit for round 2").click()
    # the round-2 email is queued when that request commits: wait for its page before reading it
    designer.get_by_text("Waiting for a decision").wait_for()

    # then the founder approves from the emailed link, and finance approves the budget step
    founder.goto(_link_for(team.owner.email))
    founder.get_by_role("button", name="Approve").click()
    assert founder.get_by_text("You approved “Hero banner”").is_visible()
    finance = _person(browser, live_server, team.admin.email)
    finance.get_by_role("link", name="Approvals").click()
    finance.get_by_role("button", name="Approve").click()

    request = ApprovalRequest.objects.get(task=task)
    assert (request.status, request.round) == ("approved", 2)
    assert Task.objects.get(pk=task.pk).status == "done"
    designer.reload()
    assert designer.get_by_text("approved round 2, step 1 on v2").is_visible()
    # and the campaign's launch readiness shows the condition that followed the task as met
    assert GoLiveCondition.objects.get(pk=readiness.pk).is_met
    designer.goto(f"/w/{ws}/campaigns/{task.campaign_id}/")
    row = (
        designer.locator("#readiness").get_by_role("row").filter(has_text="Hero banner signed off")
    )
    assert row.locator(".badge-ok").is_visible()
    for p in (designer, founder, finance):
        p.context.close()

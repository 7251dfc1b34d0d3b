"""Issue 13: a manager opens "Where work waits", sees the founder first and follows the link
to the approvals that went past their limit."""

from __future__ import annotations

import pytest

from headway.conftest import make_team
from headway.e2e.conftest import log_in
from headway.insights.tests.test_flow import history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_finds_the_founder_first_and_the_approvals_past_limit(page) -> None:  # type: ignore[no-untyped-def]
    # given: two launches whose copy waited three working days on the founder (limit two)
    team = make_team("ww", "Wren & Willow")
    history(team, n=2)
    log_in(page, team.manager.email)
    # when: Insights, then Where work waits, over the spring
    page.get_by_role("link", name="Insights").click()
    page.get_by_role("link", name="Where work waits").click()
    page.get_by_label("From:", exact=True).fill("2026-02-01")
    page.get_by_label("To:", exact=True).fill("2026-03-31")
    page.get_by_role("button", name="Show").click()
    # then: the founder is the first approver, with both steps past the limit
    first = page.locator("#approvers .rank li").first
    assert team.owner.name in first.inner_text()
    assert "2 steps past their limit, in 2 requests" in first.inner_text()
    page.get_by_role("link", name="See the 2 requests with a step past its limit").click()
    page.wait_for_url("**/waits/approvals-past-limit/**")
    assert page.get_by_role("heading", level=1).inner_text().startswith(team.owner.name)
    page.get_by_role("link", name="Write 1").click()
    page.wait_for_url("**/approvals/**")
    assert "Write 1" in page.content()
    assert page.csp_problems == []


def test_where_work_waits_filtered_by_person_keeps_the_filter_in_its_links(page) -> None:  # type: ignore[no-untyped-def]
    # given: the member's copy waited on the founder; the freelancer's builds on nobody's
    # approval
    team = make_team("wf", "Wren & Fern")
    history(team, n=2)
    log_in(page, team.manager.email)
    page.goto(f"/w/{team.workspace.slug}/waits/?from=2026-02-01&to=2026-03-31")
    # when: filtered to the freelancer's work
    page.get_by_label("Person:").select_option(label=team.freelancer.name)
    page.get_by_role("button", name="Show").click()
    # then: the page says so, and no approval waited on that work
    assert f"Filtered to work owned by {team.freelancer.name}." in page.inner_text("main")
    assert page.locator("#approvers .empty-row").is_visible()
    # when: filtered to the member's work, the founder is first and the link keeps the filter
    page.get_by_label("Person:").select_option(label=team.member.name)
    page.get_by_role("button", name="Show").click()
    assert team.owner.name in page.locator("#approvers .rank li").first.inner_text()
    flow = page.get_by_role("link", name="Flow", exact=True)
    assert f"person={team.member.pk}" in (flow.get_attribute("href") or "")
    page.get_by_role("link", name="See the 2 requests with a step past its limit").click()
    page.wait_for_url(f"**/waits/approvals-past-limit/**person={team.member.pk}**")
    assert f"work owned by {team.member.name}" in page.inner_text("main")
    # and back to where work waits, still filtered
    page.get_by_role("link", name="Back to where work waits").click()
    assert page.get_by_label("Person:").input_value() == str(team.member.pk)
    assert page.csp_problems == []

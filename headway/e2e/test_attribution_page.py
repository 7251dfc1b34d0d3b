"""Attribution in the browser: from the results report to each model's credit, and a shorter
time-decay half-life moving credit towards the latest touches while every total stays put."""

from __future__ import annotations

import pytest

from headway.conftest import make_team
from headway.e2e.conftest import log_in
from headway.results.tests.test_attribution import CONTACTS, DEALS, campaigns, store

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_attribution_from_the_report_and_a_shorter_half_life(page) -> None:  # type: ignore[no-untyped-def]
    # given March's HubSpot contacts and deals, matched to three campaigns
    team = make_team("attr", "Attribution Homeware")
    campaigns(team)
    store(team, CONTACTS)
    store(team, DEALS)
    log_in(page, team.manager.email)

    # when the manager opens the attribution from the March results report
    page.goto(f"/w/{team.workspace.slug}/results/?month=2026-03")
    page.get_by_role("link", name="Attribution by model").click()
    page.wait_for_url("**/results/attribution/**")

    # then every model credits the same revenue, and the rules are explained
    callout = page.locator("#reconciliation")
    assert "4 won deals brought 6,145.00 USD" in callout.inner_text()
    assert "half-life of 7 days" in callout.inner_text()
    newsletter = page.locator("#revenue-h ~ table").first.get_by_role("row", name="Newsletter")
    assert "988.15" in newsletter.inner_text()  # time decay, 7 days

    # when the half-life is shortened to 3 days
    page.get_by_label("Time-decay half-life (days)").fill("3")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**half_life=3**")

    # then the newsletter (an earlier touch) gets less, and the totals do not move
    assert "half-life of 3 days" in page.locator("#reconciliation").inner_text()
    newsletter = page.locator("#revenue-h ~ table").first.get_by_role("row", name="Newsletter")
    assert "543.73" in newsletter.inner_text()
    assert "brought 6,145.00 USD" in page.locator("#reconciliation").inner_text()
    assert page.csp_problems == []

"""Results by campaign and channel: CRM leads over platform leads, ratios, targets."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from headway.conftest import Team, client_for
from headway.planning.services.campaigns import campaign_create
from headway.results.report import Sums, Target, build, measured_by
from headway.results.services import import_store

D = Decimal
FIXTURES = Path("/work/shared/fixtures")


def test_crm_leads_replace_platform_leads_and_ratios_follow() -> None:
    sums = [
        Sums(1, "paid_social", "meta_ads", "USD", {"spend": D(300), "leads": D(30)}),
        Sums(1, "paid_social", "hubspot_contacts", "", {"leads": D(20), "qualified_leads": D(5)}),
        Sums(None, "direct", "hubspot_contacts", "", {"leads": D(4)}),
    ]
    by_campaign, by_channel, crm = build(
        sums, {1: "Spring"}, {1: [Target("Qualified leads", D(10), True, "")]}
    )
    assert crm
    spring = by_campaign[0]
    assert spring.figures["leads"] == 20 and spring.figures["spend"] == 300
    assert spring.cpl == D("15.00") and spring.cost_per_qualified == D("60.00")
    check = spring.targets[0]
    assert check.actual == 5 and check.met is False and check.gap_percent == -50
    assert by_campaign[-1].label == "No campaign"
    assert {line.label for line in by_channel} == {"Paid social", "Direct"}
    assert by_channel[-1].cpl is None  # no spend: no cost per lead, not 0


def test_without_crm_rows_platform_leads_count() -> None:
    sums = [Sums(1, "paid_social", "linkedin", "USD", {"spend": D(100), "leads": D(4)})]
    by_campaign, _, crm = build(sums, {1: "Webinar"}, {})
    assert not crm and by_campaign[0].figures["leads"] == 4 and by_campaign[0].cpl == D(25)


def test_metric_names_map_to_figures() -> None:
    assert measured_by("Qualified leads") == "qualified_leads"
    assert measured_by("Cost per lead") == "cpl"
    assert measured_by("Revenue") == "revenue"
    assert measured_by("Brand sentiment") is None


@pytest.mark.django_db
def test_results_page_shows_the_month_by_campaign_with_targets(team: Team) -> None:
    campaign_create(
        actor=team.owner,
        workspace=team.workspace,
        name="Spring Launch",
        utm_campaign="spring-launch-2026",
        metrics=[{"name": "Qualified leads", "target": 20, "unit": ""}],
    )
    contacts = FIXTURES / "hubspot/hubspot-crm-exports-all-contacts-2026-04-01.csv"
    import_store(actor=team.owner, workspace=team.workspace, data=contacts.read_bytes())
    url = reverse("results:results", kwargs={"ws": team.workspace.slug})
    page = client_for(team.manager).get(url).content.decode()
    assert "Results · March 2026" in page and "Spring Launch" in page
    assert "Qualified leads at least 20" in page and "short by" in page
    empty = client_for(team.manager).get(url + "?month=2025-01").content.decode()
    assert "No results for January 2025" in empty
    bad = client_for(team.manager).get(url + "?month=March")
    assert bad.status_code == 200 and "YYYY-MM" in bad.content.decode()
    assert client_for(team.member).get(url).status_code == 403

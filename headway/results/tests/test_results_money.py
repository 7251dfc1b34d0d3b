"""The results page's money always carries its currency (the report currency when a line has
none of its own: organic channels, analytics rows without a campaign), in the tables and the
CSV; the by-month chart draws every month of its span."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from headway.conftest import Team, client_for
from headway.results import selectors, views
from headway.results.currency import report_currency
from headway.results.tests.test_underperformers import march  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


def _page(team: Team, query: str) -> object:
    return client_for(team.manager).get(f"/w/{team.workspace.slug}/results/{query}")


def test_every_money_cell_names_the_report_currency(march: Team) -> None:  # noqa: F811
    currency = report_currency(march.workspace)
    report = selectors.results_report(march.workspace, MARCH)
    assert report.currency == currency
    # channels without spend of their own (direct, organic) and analytics content without a
    # campaign: their money still names the currency
    assert any(not line.currency for line in report.by_channel)
    assert any(not c.currency for c in report.by_content)
    for line in [*report.by_channel, *report.by_campaign, *report.by_month]:
        shown = views._shown(line, report.currency)
        for key in ("spend", "revenue", "cpl", "cpq"):
            assert shown[key] == "—" or shown[key].endswith(f" {currency}"), (line.label, key)
    for c in report.by_content:
        shown = views._content_shown(c, report.currency)
        for key in ("spend", "conversion_value"):
            assert shown[key].endswith(f" {currency}"), (c.name, key)
    html = _page(march, "?month=2026-03").content.decode()  # type: ignore[attr-defined]
    organic = [line for line in report.by_channel if not line.currency]
    for line in organic:  # the channel table's spend cell, as the page shows it
        found = re.search(rf"<tr><td>{re.escape(line.label)}</td><td>([^<]*)</td>", html)
        assert found and found.group(1).strip() == f"0.00 {currency}", line.label


def test_csv_tables_name_the_currency_of_every_row(march: Team) -> None:  # noqa: F811
    currency = report_currency(march.workspace)
    for name in ("campaigns", "channels", "content", "months"):
        body = _page(march, f"?month=2026-03&csv={name}").content.decode()  # type: ignore[attr-defined]
        rows = list(csv.DictReader(io.StringIO(body)))
        assert rows, name
        assert all(r["currency"] in (currency, "mixed") for r in rows), name


def test_month_chart_draws_every_month_of_its_span(march: Team) -> None:  # noqa: F811
    report = selectors.results_report(march.workspace, dt.date(2026, 10, 1))
    charts, _ = views.results_charts(report)
    chart = next(c for c in charts if c.table.name == "month_leads")
    months = [row[0] for row in chart.table.rows]
    # named as people say them, on the axis and in the tables ("Nov 2025", not "2025-11")
    assert months == ["Nov 2025", "Dec 2025"] + [
        f"{dt.date(2026, m, 1):%b} 2026" for m in range(1, 11)
    ]
    by_month = {row[0]: row for row in chart.table.rows}
    assert by_month["Mar 2026"][1] > 0 and by_month["Mar 2026"][2] != "0.00"
    assert by_month["May 2026"][1:] == (0, "0.00")
    svg = str(chart.svg)
    assert ">Nov 2025<" in svg and "2025-11" not in svg
    _, tables = views.results_charts(report)
    by_month_table = next(t for t in tables if t.name == "months")
    assert [row[0] for row in by_month_table.rows][:1] == ["Mar 2026"]
    drawn = chart.spec["data"]["values"] if "data" in chart.spec else chart.spec["datasets"]
    assert len(drawn if isinstance(drawn, list) else next(iter(drawn.values()))) == 12


def test_content_counts_platform_leads_as_conversions_and_the_page_says_whose_figures() -> None:
    from decimal import Decimal

    from headway.results.report import CONTENT_SUMMED, ContentLine

    figures = dict.fromkeys(CONTENT_SUMMED, Decimal(0))
    lead_ads = ContentLine("meta_ads", "Meta Ads", "Burst", "", None, "", figures | {"leads": 7})
    assert lead_ads.conversions == 7
    both = figures | {"leads": Decimal(7), "conversions": Decimal(3)}
    assert ContentLine("linkedin", "LinkedIn", "B", "", None, "", both).conversions == 3


def test_content_table_says_its_figures_are_the_platforms(march: Team) -> None:  # noqa: F811
    html = _page(march, "?month=2026-03").content.decode()  # type: ignore[attr-defined]
    assert "need not match the campaign table, whose leads and revenue come from the CRM" in html


def test_the_month_chart_opens_on_its_latest_months_on_a_phone(march: Team) -> None:  # noqa: F811
    """The by-month chart is a chart over time: it carries the class that scrolls a chart wider
    than a phone to its latest end (as the diagnosis pages' time charts do); the others don't."""
    body = _page(march, "?month=2026-03").content.decode()  # type: ignore[attr-defined]
    figures = re.findall(r'<figure class="([^"]*)">\s*<div role="img" aria-label="([^"]*)"', body)
    assert figures
    timed = [label for classes, label in figures if "chart-time" in classes.split()]
    assert len(timed) == 1 and timed[0].startswith("Qualified leads per month")


# The API names the currency of every money figure, as the page and CSV do ------------------


def _api_get(team: Team, tail: str) -> dict:  # type: ignore[type-arg]
    from headway.accounts.services import token_create

    _, raw = token_create(actor=team.manager, name="api")
    response = client_for(team.manager).get(
        f"/api/v1/workspaces/{team.workspace.slug}/{tail}", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200, response.content
    return response.json()  # type: ignore[no-any-return]


def test_api_results_name_the_currency_of_every_line(march: Team) -> None:  # noqa: F811
    currency = report_currency(march.workspace)
    body = _api_get(march, "results?month=2026-03")
    assert body["currency"] == currency
    lines = [*body["campaigns"], *body["channels"], *body["months"], *body["content"]]
    # organic channels and analytics content have no currency of their own: the report's
    assert all(line["currency"] == currency for line in lines), [
        (line.get("label") or line.get("name"), line["currency"]) for line in lines
    ]
    ga4 = [c for c in body["content"] if c["source"] == "ga4"]
    assert ga4 and all(c["currency"] == currency for c in ga4)
    google = next(c for c in body["content"] if c["source"] == "google_ads" and c["spend"])
    assert {"impressions", "conversion_value", "leads"} <= google.keys()
    audit = body["utm_audit"]["spend_without_sessions"]
    assert audit and all(s["currency"] == currency for s in audit)
    alone = _api_get(march, "results/utm-audit?month=2026-03")
    assert alone["spend_without_sessions"] == audit


def test_api_attribution_and_review_name_their_currency(march: Team) -> None:  # noqa: F811
    from headway.planning.models import Campaign
    from headway.results.reviews.models import Review
    from headway.results.reviews.services import review_open

    currency = report_currency(march.workspace)
    # the demo files' contacts but no deals: no revenue of a currency of its own
    assert _api_get(march, "results/attribution")["currency"] == currency
    spring = Campaign.objects.get(workspace=march.workspace, name="Spring Launch")
    review = Review.objects.filter(campaign=spring).first() or review_open(
        actor=march.owner, campaign=spring, launched_on=dt.date(2026, 3, 2)
    )
    detail = _api_get(march, f"reviews/{review.pk}")
    assert detail["results_shown"] is True and detail["currency"] == currency


@pytest.mark.parametrize(
    ("schema", "field"),
    [
        ("ResultsReportOut", "currency"),
        ("ResultsLineOut", "currency"),
        ("ResultsContentOut", "currency"),
        ("SpendWithoutSessionsOut", "currency"),
        ("AttributionOut", "currency"),
    ],
)
def test_openapi_schema_requires_the_currency_beside_money(schema: str, field: str) -> None:
    from headway.api.root import api

    found = api.get_openapi_schema()["components"]["schemas"][schema]
    assert field in found["properties"] and field in found.get("required", []), schema


def test_attribution_without_deals_or_campaigns_names_the_report_currency(team: Team) -> None:
    from headway.results.services import import_store
    from headway.results.tests.test_attribution import CONTACTS

    # given contacts but no deals and no campaign to take a currency from
    import_store(actor=team.owner, workspace=team.workspace, data=CONTACTS)
    currency = report_currency(team.workspace)
    assert currency
    # then the page's revenue heading and the API name the report currency
    page = client_for(team.manager).get(f"/w/{team.workspace.slug}/results/attribution/")
    assert f"Revenue ({currency})" in page.content.decode()
    assert "Revenue ()" not in page.content.decode()
    assert _api_get(team, "results/attribution")["currency"] == currency


def test_a_money_target_names_the_currency_of_its_actual(march: Team) -> None:  # noqa: F811
    from headway.planning.models import Campaign, Comparison
    from headway.planning.services.campaigns import metric_add

    currency = report_currency(march.workspace)
    spring = Campaign.objects.get(workspace=march.workspace, name="Spring Launch")
    metric_add(
        actor=march.owner,
        campaign=spring,
        name="Cost per lead",
        target=500,
        unit=currency,
        comparison=Comparison.AT_MOST,
    )
    html = _page(march, "?month=2026-03").content.decode()  # type: ignore[attr-defined]
    found = re.search(r"Cost per lead at most 500 \w+ ·\s+actual ([\d,.]+)( \w+)?", html)
    assert found and found.group(2) == f" {currency}", found and found.group(0)
    # a count is no money: no currency beside it
    assert re.search(r"Qualified leads at least 20 \w* ·\s+actual 7 <span", html), html[
        html.index("Targets from") :
    ][:600]
    line = selectors.campaign_results(march.workspace, spring.pk, spring.name)
    assert line is not None
    assert [(t.name, t.is_money) for t in line.targets] == [
        ("Qualified leads", False),
        ("Cost per lead", True),
    ]


def test_a_campaign_without_money_yet_is_in_the_report_currency(team: Team) -> None:
    from headway.planning.services.campaigns import campaign_create

    campaign = campaign_create(
        actor=team.owner,
        workspace=team.workspace,
        name="Burst",
        metrics=[{"name": "Revenue", "target": 900}],
    )
    line = selectors.campaign_results(team.workspace, campaign.pk, campaign.name)
    assert line is not None and line.currency == report_currency(team.workspace)
    assert line.targets[0].is_money and line.targets[0].actual == 0

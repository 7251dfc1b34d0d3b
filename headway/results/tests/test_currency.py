"""Currency rates per month: entered on a page and over the API, and used by the report,
each converted figure stating its rate; a month without a rate is flagged, never summed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from headway.accounts.services import token_create
from headway.conftest import Team, client_for
from headway.core.errors import DomainError
from headway.planning.models import Campaign
from headway.planning.services.campaigns import campaign_create
from headway.results import currency, selectors
from headway.results.currency import convert, convert_sums, rate_set, report_currency
from headway.results.mapping import mapping_save
from headway.results.models import CurrencyRate
from headway.results.report import Sums, build
from headway.results.services import import_store

D = Decimal
MARCH = dt.date(2026, 3, 1)


def test_convert_states_the_rate_or_says_why_not() -> None:
    rates = {(MARCH, "EUR"): D("1.08")}
    done = convert(D("100"), "EUR", dt.date(2026, 3, 17), rates=rates, target="USD")
    assert done.value == D("108.00") and done.currency == "USD" and done.converted
    assert done.note == "converted from EUR at 1.08, March 2026"
    missing = convert(D("100"), "EUR", dt.date(2026, 4, 2), rates=rates, target="USD")
    assert missing.value == D("100") and missing.currency == "EUR" and missing.flagged
    assert "no EUR rate for April 2026" in missing.note
    same = convert(D("5"), "USD", MARCH, rates=rates, target="USD")
    assert same.value == D("5") and not same.note


def test_report_lines_convert_or_keep_apart() -> None:
    sums = [
        Sums(1, "paid_social", "meta_ads", "USD", {"spend": D(100), "leads": D(2)}),
        Sums(1, "paid_social", "x:tiktok-ads", "EUR", {"spend": D(50), "leads": D(1)}),
        Sums(1, "paid_search", "google_ads", "GBP", {"spend": D(10), "clicks": D(3)}),
    ]
    converted = convert_sums(sums, MARCH, rates={(MARCH, "EUR"): D("1.1")}, target="USD")
    by_campaign, by_channel, _ = build(converted, {1: "Spring"}, {})
    line = by_campaign[0]
    # EUR converted and summed, GBP (no rate) kept apart, counts summed
    assert line.figures["spend"] == D("155.00") and line.currency == "USD"
    assert line.notes == ["converted from EUR at 1.1, March 2026"]
    assert line.apart == {"GBP": {"spend": D(10)}}
    assert line.figures["leads"] == 3 and line.figures["clicks"] == 3
    assert {c.key: c.figures["spend"] for c in by_channel} == {
        "paid_social": D("155.00"),
        "paid_search": D(0),
    }


@pytest.mark.django_db
def test_rates_are_validated(team: Team) -> None:
    ws = team.workspace
    rate_set(actor=team.owner, workspace=ws, month="2026-03", currency="eur", rate="1,08")
    again = rate_set(actor=team.owner, workspace=ws, month="2026-03-15", currency="EUR", rate="1.1")
    assert CurrencyRate.objects.count() == 1 and again.rate == D("1.1")
    for args, field in [
        (("2026-13", "EUR", "1"), "month"),
        (("2026-03", "EURO", "1"), "currency"),
        (("2026-03", "GBP", "-1"), "rate"),
        (("2026-03", "GBP", "abc"), "rate"),
        (("2026-03", "USD", "1"), "currency"),  # the report currency itself
    ]:
        with pytest.raises(DomainError) as caught:
            rate_set(actor=team.owner, workspace=ws, month=args[0], currency=args[1], rate=args[2])
        assert caught.value.field == field
    assert CurrencyRate.objects.count() == 1


def _eur_rows(team: Team) -> None:
    campaign_create(
        actor=team.owner, workspace=team.workspace, name="Spring", platform_names=["Spring"]
    )
    mapping_save(
        actor=team.owner,
        workspace=team.workspace,
        name="TikTok Ads",
        columns=[["Campaign", "campaign"], ["Date", "day"], ["Cost", "spend"], ["Cur", "currency"]],
        channel="paid_social",
    )
    data = b"Campaign,Date,Cost,Cur\nSpring,2026-03-02,100.00,EUR\nSpring,2026-03-03,50.00,EUR\n"
    import_store(actor=team.owner, workspace=team.workspace, data=data)


@pytest.mark.django_db
def test_results_page_states_the_rate_or_flags_the_month(team: Team) -> None:
    _eur_rows(team)
    assert report_currency(team.workspace) == "USD"  # from the campaigns' currency
    client = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/results/?month=2026-03"
    flagged = client.get(url).content.decode()
    assert "+ spend 150.00 EUR, not converted: no rate for the month" in flagged
    before = selectors.results_report(team.workspace, MARCH)
    assert before.by_campaign[0].figures["spend"] == 0
    assert before.by_campaign[0].apart == {"EUR": {"spend": D(150)}}
    assert next(m for m in before.by_month if m.key == "2026-03-01").figures["spend"] == 0
    rate_set(
        actor=team.owner, workspace=team.workspace, month="2026-03", currency="EUR", rate="1.08"
    )
    page = client.get(url).content.decode()
    assert "converted from EUR at 1.08, March 2026" in page and "162.00 USD" in page
    assert "not converted" not in page
    report = selectors.results_report(team.workspace, MARCH)
    assert report.by_campaign[0].figures["spend"] == D("162.00")
    exported = client.get(url + "&csv=campaigns").content.decode()
    assert "converted from EUR at 1.08, March 2026" in exported.splitlines()[1]
    march = next(line for line in report.by_month if line.key == "2026-03-01")
    assert march.figures["spend"] == D("162.00") and march.notes


@pytest.mark.django_db
def test_rates_page_and_api(client: Client, team: Team) -> None:
    # the page
    web = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/results/rates/"
    assert web.get(url).status_code == 200
    posted = web.post(
        url, {"action": "rate", "month": "2026-03", "currency": "EUR", "rate": "1.08"}
    )
    assert posted.status_code == 302 and CurrencyRate.objects.get().rate == D("1.08")
    bad = web.post(url, {"action": "rate", "month": "2026-03", "currency": "EUR", "rate": "x"})
    assert bad.status_code == 400 and "not a number" in bad.content.decode()
    web.post(url, {"action": "currency", "report_currency": "eur"})
    assert currency.report_currency(team.workspace) == "EUR"
    # the API
    _, raw = token_create(actor=team.manager, name="api")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    api = f"/api/v1/workspaces/{team.workspace.slug}/currency-rates"
    created = client.post(
        api,
        {"month": "2026-04", "currency": "USD", "rate": "0.92"},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    assert created.json()["to"] == "EUR" and created.json()["month"] == "2026-04"
    listed = client.get(api, **auth).json()
    assert listed["report_currency"] == "EUR" and len(listed["rates"]) == 2
    refused = client.post(
        api,
        {"month": "2026-04", "currency": "GBP", "rate": "0"},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 400 and refused.json()["field"] == "rate"
    assert client.delete(f"{api}/{created.json()['id']}", **auth).status_code == 204
    assert CurrencyRate.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "freelancer", "client"])
def test_only_planners_see_rates(client: Client, team: Team, role: str) -> None:
    user = getattr(team, role)
    page = client_for(user).get(f"/w/{team.workspace.slug}/results/rates/")
    assert page.status_code in (403, 404)
    _, raw = token_create(actor=user, name="api")
    api = client.get(
        f"/api/v1/workspaces/{team.workspace.slug}/currency-rates",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert api.status_code in (403, 404)


@pytest.mark.django_db
def test_rate_of_another_workspace_cannot_be_deleted(
    client: Client, team: Team, other_team: Team
) -> None:
    theirs = rate_set(
        actor=other_team.owner,
        workspace=other_team.workspace,
        month="2026-03",
        currency="EUR",
        rate="1.1",
    )
    _, raw = token_create(actor=team.owner, name="api")
    response = client.delete(
        f"/api/v1/workspaces/{team.workspace.slug}/currency-rates/{theirs.pk}",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 404 and CurrencyRate.objects.count() == 1


# One conversion path: the budget (ROI), the content table and a review ---------------------

#: Meta in euros: a March day of a campaign named on the brief
META_EUR = (
    "Reporting starts,Reporting ends,Campaign name,Campaign delivery,Ad set budget,"
    "Ad set budget type,Attribution setting,Results,Result indicator,Reach,Impressions,"
    "Link clicks,Cost per results,Amount spent (EUR),Ends\n"
    "2026-03-12,2026-03-12,Euro Burst,active,60,Daily,7-day click or 1-day view,"
    "10,actions:offsite_conversion.fb_pixel_lead,2000,3000,60,20.0,200.00,Ongoing\n"
)


def _revenue_rows(team: Team, budget: str, budget_currency: str) -> int:
    """A campaign with a brief budget, and March revenue and spend in USD (mapped export)."""
    from headway.results.currency import report_currency_set

    report_currency_set(actor=team.owner, workspace=team.workspace, currency="USD")
    campaign = campaign_create(
        actor=team.owner,
        workspace=team.workspace,
        name="Budgeted",
        platform_names=["Budgeted"],
        budget=D(budget),
        currency=budget_currency,
    )
    mapping_save(
        actor=team.owner,
        workspace=team.workspace,
        name="Shop Ads",
        columns=[
            ["Campaign", "campaign"],
            ["Date", "day"],
            ["Cost", "spend"],
            ["Revenue", "revenue"],
            ["Cur", "currency"],
        ],
        channel="paid_social",
    )
    data = b"Campaign,Date,Cost,Revenue,Cur\nBudgeted,2026-03-02,300.00,2200.00,USD\n"
    import_store(actor=team.owner, workspace=team.workspace, data=data)
    return campaign.pk


def _line_of(team: Team, pk: int) -> object:
    return next(
        line
        for line in selectors.results_report(team.workspace, MARCH).by_campaign
        if line.campaign_id == pk
    )


@pytest.mark.django_db
def test_a_budget_in_another_currency_is_converted_for_the_roi(team: Team) -> None:
    pk = _revenue_rows(team, "1000", "EUR")
    line: Any = _line_of(team, pk)
    assert line.roi is None and line.budget == D(1000) and line.budget_currency == "EUR"
    assert line.budget_note == "budget in EUR: no EUR rate for March 2026, not converted"
    rate_set(
        actor=team.owner, workspace=team.workspace, month="2026-03", currency="EUR", rate="1.1"
    )
    line = _line_of(team, pk)
    assert (line.budget, line.budget_currency) == (D("1100.00"), "USD")
    assert line.roi == D("1.00")  # (2200 - 1100) / 1100
    assert line.budget_used == D("0.27")
    assert line.budget_note == "budget converted from EUR at 1.1, March 2026"
    url = f"/w/{team.workspace.slug}/results/?month=2026-03"
    client = client_for(team.manager)
    assert "budget converted from EUR at 1.1, March 2026" in client.get(url).content.decode()
    exported = client.get(url + "&csv=campaigns").content.decode()
    assert "budget converted from EUR at 1.1, March 2026" in exported


@pytest.mark.django_db
def test_the_content_table_is_in_the_report_currency(team: Team) -> None:
    from headway.results.currency import report_currency_set

    report_currency_set(actor=team.owner, workspace=team.workspace, currency="USD")
    campaign_create(
        actor=team.owner, workspace=team.workspace, name="Euro", platform_names=["Euro Burst"]
    )
    import_store(actor=team.owner, workspace=team.workspace, data=META_EUR.encode())
    (content,) = selectors.results_report(team.workspace, MARCH).by_content
    assert (content.figures["spend"], content.currency) == (D("200.00"), "EUR")
    assert content.note == "in EUR: no EUR rate for March 2026, not converted"
    rate_set(
        actor=team.owner, workspace=team.workspace, month="2026-03", currency="EUR", rate="1.08"
    )
    (content,) = selectors.results_report(team.workspace, MARCH).by_content
    assert (content.figures["spend"], content.currency) == (D("216.00"), "USD")
    assert content.note == "converted from EUR at 1.08, March 2026"
    url = f"/w/{team.workspace.slug}/results/?month=2026-03"
    client = client_for(team.manager)
    page = client.get(url).content.decode()
    table = page[page.index('id="content-h"') :]
    assert "216.00 USD" in table and "converted from EUR at 1.08, March 2026" in table
    _, raw = token_create(actor=team.manager, name="api")
    answer = Client().get(
        f"/api/v1/workspaces/{team.workspace.slug}/results?month=2026-03",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    (line,) = answer.json()["content"]
    assert (line["spend"], line["currency"]) == (216.0, "USD")
    assert line["currency_note"] == "converted from EUR at 1.08, March 2026"
    exported = client.get(url + "&csv=content").content.decode().splitlines()
    assert exported[0].endswith("currency,currency conversion")
    assert exported[1].endswith(
        ',216.00,0,0.00,0,10,0,0,USD,"converted from EUR at 1.08, March 2026"'
    )


@pytest.mark.django_db
def test_a_review_converts_money_as_the_report_does(team: Team) -> None:
    from headway.results.reviews.models import Review
    from headway.results.reviews.selectors import review_results

    _eur_rows(team)  # Spring: 150.00 EUR of spend in March (mapped export)
    spring = Campaign.objects.get(workspace=team.workspace, name="Spring")
    data = b"Campaign,Date,Cost,Cur\nSpring,2026-03-04,100.00,USD\n"
    import_store(actor=team.owner, workspace=team.workspace, data=data)
    review = Review(workspace=team.workspace, campaign=spring, launched_on=MARCH, due_date=MARCH)
    line = review_results(review)
    assert line is not None
    # the euros are kept apart, never added to the dollars
    assert line.figures["spend"] == D("100.00") and line.currency == "USD"
    assert line.apart == {"EUR": {"spend": D("150.00")}}
    rate_set(
        actor=team.owner, workspace=team.workspace, month="2026-03", currency="EUR", rate="1.08"
    )
    line = review_results(review)
    assert line is not None
    assert line.figures["spend"] == D("262.00") and line.currency == "USD" and not line.apart
    assert line.notes == ["converted from EUR at 1.08, March 2026"]

"""The attribution page and GET /api/v1/workspaces/{ws}/results/attribution."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headway.accounts.models import User
from headway.accounts.services import token_create
from headway.conftest import Team, client_for
from headway.results.rollup_models import StoredAnswer
from headway.results.tests.test_attribution import CONTACTS, DEALS, campaigns, store

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path: Path, settings: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def page_url(team: Team) -> str:
    return reverse("results:attribution", kwargs={"ws": team.workspace.slug})


def api_url(team: Team) -> str:
    return f"/api/v1/workspaces/{team.workspace.slug}/results/attribution"


def _auth(user: User) -> dict[str, str]:
    _, raw = token_create(actor=user, name="api")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def march(team: Team) -> Team:
    campaigns(team)
    store(team, CONTACTS)
    store(team, DEALS)
    return team


def test_page_shows_each_model_side_by_side_with_rules_and_reconciliation(march: Team) -> None:
    page = client_for(march.manager).get(page_url(march)).content.decode()
    assert "Attribution · 1 Mar \u2013 31 Mar 2026" in page
    for label in ("First touch", "Last touch", "Linear", "Time decay", "Position-based (40/20/40)"):
        assert f'<th scope="col">{label}</th>' in page
    assert "The first and last touches get 40% each" in page
    assert "Every model credits the same totals" in page
    # Plainly: what the won deals brought, then the leads and deals opened.
    assert "4 won deals brought 6,145.00 USD.\n  60 leads, 15 deals opened." in page
    assert "first touch 6,145.00 · last touch 6,145.00 · linear 6,145.00" in page
    assert "half-life of 7 days" in page
    assert "Revenue by campaign" in page and "Revenue by channel" in page
    assert "Leads by campaign" in page and "Deals by channel" in page
    assert "20 of those contacts came back" in page


def test_page_half_life_and_period_come_from_the_query(march: Team) -> None:
    client = client_for(march.manager)
    page = client.get(
        page_url(march), {"half_life": "2", "start": "2026-03-01", "end": "2026-03-10"}
    )
    text = page.content.decode()
    assert "half-life of 2 days" in text and "1 Mar \u2013 10 Mar 2026" in text
    # won deals closed by 10 March: 1605 + 655
    assert "2 won deals brought 2,260.00 USD." in text
    bad = client.get(
        page_url(march), {"half_life": "0", "end": "2026-02-01", "start": "2026-03-01"}
    )
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "Ensure this value is greater than or equal to 0.5" in body
    assert "The end comes before the start" in body


def test_page_without_crm_data_says_what_to_do(team: Team) -> None:
    page = client_for(team.manager).get(page_url(team)).content.decode()
    assert "No CRM data for this period" in page


def test_an_empty_period_points_to_the_latest_month_with_crm_data(march: Team) -> None:
    page = client_for(march.manager).get(page_url(march), {"start": "2026-10-01"})
    text = page.content.decode()
    assert "No CRM data for this period" in text
    assert '<a href="?start=2026-03-01&amp;end=2026-03-31">March 2026</a>' in text


def test_results_report_links_to_attribution(march: Team) -> None:
    page = client_for(march.manager).get(
        reverse("results:results", kwargs={"ws": march.workspace.slug})
    )
    assert page_url(march) in page.content.decode()


def test_results_of_a_month_without_crm_data_link_the_latest_month_with_some(march: Team) -> None:
    results = reverse("results:results", kwargs={"ws": march.workspace.slug})
    client = client_for(march.manager)
    october = client.get(results, {"month": "2026-10"}).content.decode()
    assert (
        f'<a href="{page_url(march)}?start=2026-03-01&amp;end=2026-03-31">Attribution by model '
        "(March 2026, the latest month with CRM data)</a>"
    ) in october
    # the month with CRM data links to itself, saying nothing more
    own = client.get(results, {"month": "2026-03"}).content.decode()
    assert (
        f'<a href="{page_url(march)}?start=2026-03-01&amp;end=2026-03-31">Attribution by model</a>'
        in own
    )


def test_an_empty_period_offers_to_open_the_latest_month(march: Team) -> None:
    text = client_for(march.manager).get(page_url(march), {"start": "2026-10-01"}).content.decode()
    assert (
        '<a class="button" href="?start=2026-03-01&amp;end=2026-03-31">Open March 2026</a>' in text
    )


@pytest.mark.parametrize("role", ["member", "freelancer", "client"])
def test_only_planners_see_attribution(march: Team, role: str, client: Client) -> None:
    user = getattr(march, role)
    assert client_for(user).get(page_url(march)).status_code == 403
    response = client.get(api_url(march), **_auth(user))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_page_query_count_does_not_grow_with_contacts(march: Team) -> None:
    client = client_for(march.manager)
    client.get(page_url(march))
    StoredAnswer.objects.all().delete()  # the report worked out again, not read
    with CaptureQueriesContext(connection) as before:
        client.get(page_url(march))
    # sixty more contacts (other record ids) with their touches
    store(march, CONTACTS.replace(b'"51', b'"61'))
    cache.clear()
    with CaptureQueriesContext(connection) as after:
        page = client.get(page_url(march)).content.decode()
    assert "From 120 contacts" in page
    assert len(after.captured_queries) == len(before.captured_queries) <= 21
    with CaptureQueriesContext(connection) as cached:
        assert "From 120 contacts" in client.get(page_url(march)).content.decode()
    assert len(cached.captured_queries) < len(after.captured_queries)


def test_api_answers_every_model_with_totals_that_agree(march: Team, client: Client) -> None:
    response = client.get(
        api_url(march), {"from": "2026-03-01", "to": "2026-03-31"}, **_auth(march.manager)
    )
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"start": "2026-03-01", "end": "2026-03-31"}
    assert body["totals"] == {"leads": 60.0, "deals": 15.0, "revenue": 6145.0}
    assert body["half_life_days"] == 7.0 and body["currency"] == "USD"
    assert [m["model"] for m in body["models"]] == [
        "first_touch",
        "last_touch",
        "linear",
        "time_decay",
        "position_based",
    ]
    for model in body["models"]:
        assert model["total"] == body["totals"]
        credited = sum(c["credit"]["revenue"] for c in model["by_campaign"])
        assert round(credited + body["untouched"]["revenue"], 2) == 6145.0
    first = {c["name"]: c["credit"]["revenue"] for c in body["models"][0]["by_campaign"]}
    assert first["Newsletter"] == 2810.0 and first["Spring launch"] == 2680.0


def test_api_one_model_and_half_life(march: Team, client: Client) -> None:
    response = client.get(
        api_url(march), {"model": "time_decay", "half_life": 1}, **_auth(march.manager)
    )
    assert response.status_code == 200
    body = response.json()
    assert [m["model"] for m in body["models"]] == ["time_decay"]
    assert body["half_life_days"] == 1.0
    assert body["period"] == {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.mark.parametrize(
    "query",
    [
        {"model": "u_shaped"},
        {"half_life": "0"},
        {"half_life": "abc"},
        {"from": "2026-02-30"},
    ],
)
def test_api_bad_parameters_are_422(march: Team, client: Client, query: dict) -> None:
    response = client.get(api_url(march), query, **_auth(march.manager))
    assert response.status_code == 422, response.content


def test_api_one_end_of_the_period_means_its_month(march: Team, client: Client) -> None:
    body = client.get(api_url(march), {"from": "2026-03-10"}, **_auth(march.manager)).json()
    assert body["period"] == {"start": "2026-03-10", "end": "2026-03-31"}
    body = client.get(api_url(march), {"to": "2026-02-10"}, **_auth(march.manager)).json()
    assert body["period"] == {"start": "2026-02-01", "end": "2026-02-10"}
    assert body["totals"] == {"leads": 0.0, "deals": 0.0, "revenue": 0.0}


def test_api_period_backwards_is_400(march: Team, client: Client) -> None:
    response = client.get(
        api_url(march), {"from": "2026-03-31", "to": "2026-03-01"}, **_auth(march.manager)
    )
    assert response.status_code == 400 and response.json()["field"] == "to"


def test_a_period_given_in_full_reads_no_default_month(march: Team) -> None:
    """Both dates given: the page does not look for the latest CRM month it would default to
    (three aggregates over the CRM tables)."""
    client = client_for(march.manager)
    url = reverse("results:attribution", kwargs={"ws": march.workspace.slug})
    with CaptureQueriesContext(connection) as given:
        page = client.get(url + "?start=2026-03-01&end=2026-03-31").content.decode()
    assert "From 60 contacts" in page
    assert not any(
        'MAX("results_crmcontact"."created")' in q["sql"] for q in given.captured_queries
    )
    with CaptureQueriesContext(connection) as default:
        assert "From 60 contacts" in client.get(url).content.decode()  # March, the latest
    assert any('MAX("results_crmcontact"."created")' in q["sql"] for q in default.captured_queries)


OCTOBER_META = (
    "Reporting starts,Reporting ends,Campaign name,Campaign delivery,Ad set budget,"
    "Ad set budget type,Attribution setting,Results,Result indicator,Reach,Impressions,"
    "Link clicks,Cost per results,Amount spent (USD),Ends\n"
    "2026-10-05,2026-10-05,Spring Launch 2026,active,60,Daily,7-day click or 1-day view,"
    "10,actions:offsite_conversion.fb_pixel_lead,2000,3000,60,20.0,200.00,Ongoing\n"
)


def test_a_month_without_crm_data_says_qualified_leads_are_unknown(march: Team) -> None:
    """October has ad-platform rows but no HubSpot export: the page does not claim that no
    campaign brought a qualified lead, and offers March, the latest month with CRM data."""
    from headway.results.services import import_store

    import_store(
        actor=march.owner, workspace=march.workspace, data=OCTOBER_META.encode(), file_name="m.csv"
    )
    results = reverse("results:results", kwargs={"ws": march.workspace.slug})
    client = client_for(march.manager)
    october = client.get(results, {"month": "2026-10"}).content.decode()
    assert "Spring launch" in october  # the month has a campaign row
    assert "no campaign brought a qualified lead" not in october
    assert (
        "Qualified leads unknown for October 2026: no CRM (HubSpot) export imported for it."
        in october
    )
    assert '<a href="?month=2026-03">See March 2026, the latest month with CRM data</a>' in october
    # the default month is still the latest with rows (October), saying the same
    assert "Qualified leads unknown for October 2026" in client.get(results).content.decode()
    march_page = client.get(results, {"month": "2026-03"}).content.decode()
    assert "Qualified leads unknown" not in march_page

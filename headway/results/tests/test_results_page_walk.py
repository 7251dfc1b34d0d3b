"""What a demo walk found on the results page: the months with results as links with their
headline, no "best return" when every return is zero, no all-zero chart, tables showing all
their rows, the month in CSV file names."""

from __future__ import annotations

import re

import pytest

from headway.conftest import Team, client_for
from headway.planning.services.campaigns import campaign_create
from headway.results.services import import_store
from headway.results.tests.test_underperformers import _url, march  # noqa: F401

pytestmark = pytest.mark.django_db

#: October: a paid social burst that spent and brought platform leads, no revenue, no CRM
OCTOBER = (
    "Reporting starts,Reporting ends,Campaign name,Campaign delivery,Ad set budget,"
    "Ad set budget type,Attribution setting,Results,Result indicator,Reach,Impressions,"
    "Link clicks,Cost per results,Amount spent (USD),Ends\n"
    "2026-10-12,2026-10-12,Rain Shell - Prospecting,active,60,Daily,7-day click or 1-day view,"
    "10,actions:offsite_conversion.fb_pixel_lead,2000,3000,60,20.0,200.00,Ongoing\n"
)


@pytest.fixture
def october(march: Team) -> Team:  # noqa: F811
    campaign_create(
        actor=march.manager,
        workspace=march.workspace,
        name="Rain shell burst",
        platform_names=["Rain Shell - Prospecting"],
    )
    import_store(
        actor=march.owner, workspace=march.workspace, data=OCTOBER.encode(), file_name="m.csv"
    )
    return march


def test_months_with_results_are_links_with_their_headline(october: Team) -> None:
    page = client_for(october.manager).get(_url(october)).content.decode()
    assert "Results · October 2026" in page  # the latest month, as before
    nav = page[page.index("Months with results") :][:1500]
    assert 'href="?month=2026-03"' in nav and "March 2026" in nav
    march_headline = nav[nav.index("March 2026") :][:200]
    assert "1 underperformer" in march_headline
    assert "October 2026" in nav and 'aria-current="page"' in nav


def test_no_best_return_when_every_return_is_zero(october: Team) -> None:
    page = client_for(october.manager).get(_url(october, "?month=2026-10")).content.decode()
    best = page[page.index("Best return:") :][:300]
    assert "no return to compare" in best and "0.00 per" not in best


def test_best_return_names_only_channels_that_returned_something() -> None:
    from types import SimpleNamespace

    from headway.results import views

    lines = [
        SimpleNamespace(label="Paid search", roas=0.74, currency="USD"),
        SimpleNamespace(label="Paid social", roas=0.0, currency="USD"),
    ]
    assert [c.label for c in views.best_returns(lines)] == ["Paid search"]


def test_an_all_zero_chart_is_not_drawn(october: Team) -> None:
    page = client_for(october.manager).get(_url(october, "?month=2026-10")).content.decode()
    assert "every value is zero this month, so no chart is drawn" in page
    by_campaign = page[page.index('id="campaigns-h"') : page.index('id="targets-h"')]
    assert "<svg" not in by_campaign
    march_page = client_for(october.manager).get(_url(october, "?month=2026-03")).content.decode()
    by_campaign = march_page[
        march_page.index('id="campaigns-h"') : march_page.index('id="targets-h"')
    ]
    assert "<svg" in by_campaign


def test_results_tables_show_all_their_rows(october: Team) -> None:
    page = client_for(october.manager).get(_url(october, "?month=2026-03")).content.decode()
    wrappers = re.findall(r'class="(table-scroll[^"]*)"', page)
    assert wrappers and all(w == "table-scroll full" for w in wrappers), wrappers


def test_csv_file_names_carry_the_month(october: Team) -> None:
    client = client_for(october.manager)
    for month in ("2026-03", "2026-10"):
        got = client.get(_url(october, f"?month={month}&csv=campaigns"))
        assert got.status_code == 200
        assert got["Content-Disposition"].endswith(f'-campaigns-{month}.csv"'), got[
            "Content-Disposition"
        ]


# The month links cost one grouped query, not a report per month -----------------------------


def test_month_headlines_agree_with_each_months_report(october: Team) -> None:
    from headway.results import selectors

    headlines = selectors.months_with_results(october.workspace)
    assert [h.month.isoformat() for h in headlines] == ["2026-10-01", "2026-03-01"]
    for h in headlines:
        report = selectors.results_report(october.workspace, h.month)
        named = [line for line in report.by_campaign if line.campaign_id is not None]
        assert (h.campaigns, h.underperformers) == (len(named), len(report.underperformers))
    assert headlines[1].underperformers == 1


def test_month_headlines_follow_a_changed_target(october: Team) -> None:
    from headway.planning.models import SuccessMetric
    from headway.results import selectors

    assert selectors.months_with_results(october.workspace)[1].underperformers == 1
    SuccessMetric.objects.filter(campaign__workspace=october.workspace).update(target=1)
    # the cached headlines' key covers the targets: the met target flags nobody now
    assert selectors.months_with_results(october.workspace)[1].underperformers == 0


def test_results_page_reads_the_fingerprint_once_and_no_query_per_month(
    october: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from headway.results import selectors

    calls: list[int] = []
    real = selectors.rollups_ready

    def counted(pk: int) -> str:
        calls.append(pk)
        return real(pk)

    monkeypatch.setattr(selectors, "rollups_ready", counted)
    client = client_for(october.manager)
    client.get(_url(october, "?month=2026-10"))
    assert calls == [october.workspace.pk]
    cache.clear()
    with CaptureQueriesContext(connection) as two_months:
        client.get(_url(october, "?month=2026-10"))
    import_store(  # a third month of results
        actor=october.owner,
        workspace=october.workspace,
        data=OCTOBER.replace("2026-10-12", "2026-08-03").encode(),
        file_name="august.csv",
    )
    client.get(_url(october, "?month=2026-10"))  # rebuilds the rollups (no commit in tests)
    cache.clear()
    with CaptureQueriesContext(connection) as three_months:
        page = client.get(_url(october, "?month=2026-10")).content.decode()
    assert 'href="?month=2026-08"' in page
    assert len(three_months.captured_queries) == len(two_months.captured_queries)


def test_campaign_rows_escape_what_they_show(october: Team) -> None:
    """The by-campaign rows are built in Python (views._campaign_row): names are escaped as
    the template escaped them."""
    from headway.planning.models import Campaign

    Campaign.objects.filter(workspace=october.workspace, name="Rain shell burst").update(
        name='<b>Rain & "shell"</b>'
    )
    page = client_for(october.manager).get(_url(october, "?month=2026-10")).content.decode()
    table = page[page.index('id="campaigns-h"') : page.index('id="targets-h"')]
    assert "&lt;b&gt;Rain &amp; &quot;shell&quot;&lt;/b&gt;</a>" in table
    assert "<b>Rain" not in page
    assert '<span class="muted">· Paid social</span>' in table

"""Variants through the importer (preview and store), not only the readers: each stores its
rows with the totals and period the file holds, and a damaged variant is refused with its line
and column, storing nothing."""

from __future__ import annotations

import codecs
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum

from headway.conftest import Team
from headway.core.errors import DomainError
from headway.results.models import Import, ResultRow
from headway.results.services import import_preview, import_store
from headway.results.tests import test_sources_variants_ga4 as ga4
from headway.results.tests import test_sources_variants_google_ads as ads
from headway.results.tests import test_sources_variants_hubspot as hubspot
from headway.results.tests import test_sources_variants_linkedin as linkedin
from headway.results.tests import test_sources_variants_meta as meta
from headway.results.tests import test_sources_variants_xlsx as xlsx

pytestmark = pytest.mark.django_db
D = Decimal
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def google_german_whole_period() -> bytes:
    lang = ads.LANGS["de"]
    rows = [[lang.title], [lang.period], [lang.labels[c] for c in ads.CHOSEN]]
    rows += ads.whole_period_rows(lang, ads.CHOSEN)
    return ads.write(rows, excel=True, crlf=True)


def meta_semicolons() -> bytes:
    rows = meta.whole_range_rows("EUR")
    spend = rows[0].index("Amount spent (EUR)")
    for row in rows[1:]:
        row[spend] = meta.comma(D(row[spend]), group=".")
    return meta.write(rows, ";")


def linkedin_french() -> bytes:
    ui = next(u for u in linkedin.UIS if u.code == "fr")
    rows: list[list[str]] = [[line] for line in ui.preamble] + [[], ui.columns]
    for r in linkedin.BODY:
        out = list(r)
        i = linkedin.HEADER.index("Total Spent")
        out[i] = r[i].replace(".", ",")
        i = linkedin.HEADER.index("Start Date (in UTC)")
        month, day, year = r[i].split("/")
        out[i] = f"{int(day):02d}/{int(month):02d}/{year}"
        rows.append(out)
    return linkedin.utf16_tab(rows)


def ga4_german_grand_total_first() -> bytes:
    rows = [ga4.HEADER, ga4.grand_total(ga4.HEADER, ga4.BODY), *ga4.BODY]
    return ("\n".join(ga4.GERMAN) + "\n" + ga4.csv_text(rows)).encode()


CASES = {
    "google_ads": (
        google_german_whole_period,
        ads.expected_totals(ads.BODY),
        MARCH,
        len(ads.per_campaign(ads.BODY)),
    ),
    "meta_ads": (meta_semicolons, meta.sums(meta.BODY), MARCH, 3),
    "linkedin": (linkedin_french, linkedin.sums(linkedin.BODY), MARCH, len(linkedin.BODY)),
    "ga4": (
        ga4_german_grand_total_first,
        ga4.expected(ga4.BODY),
        MARCH,
        len(ga4.BODY),
    ),
}


STORED = {
    "ga4": {
        **ga4.expected(ga4.BODY),
        "conversion_value": sum(
            (D(ga4.get(r, "Total revenue")).quantize(D("0.01")) for r in ga4.BODY), D(0)
        ),
    }
}


@pytest.mark.parametrize("source", sorted(CASES))
def test_variant_previews_and_stores_its_totals_and_period(team: Team, source: str) -> None:
    build, totals, period, rows = CASES[source]
    data = build()
    preview = import_preview(workspace=team.workspace, data=data, file_name="variant")
    out = preview.as_json()
    assert out["source"] == source and out["rows"] == rows
    assert out["period"] == {"start": period[0].isoformat(), "end": period[1].isoformat()}
    assert Import.objects.count() == 0
    stored = import_store(actor=team.owner, workspace=team.workspace, data=data)
    imp = stored.import_
    assert (imp.period_start, imp.period_end) == period and imp.rows_count == rows
    assert {k: D(v) for k, v in imp.totals.items()} == totals
    sums = ResultRow.objects.filter(source_import=imp).aggregate(**{m: Sum(m) for m in totals})
    # each row is stored to the cent (GA4's revenue has six decimals)
    assert {m: D(v) for m, v in sums.items()} == STORED.get(source, totals)


def test_rows_without_a_day_store_the_files_period(team: Team) -> None:
    imp = import_store(
        actor=team.owner, workspace=team.workspace, data=google_german_whole_period()
    ).import_
    rows = ResultRow.objects.filter(source_import=imp)
    assert rows.count() == 4 and not rows.filter(day__isnull=False).exists()
    assert set(rows.values_list("period_start", "period_end")) == {MARCH}
    assert set(rows.values_list("currency", flat=True)) == {""}  # the workspace's applies


def test_hubspot_xlsx_stores_contacts(team: Team) -> None:
    data = xlsx.xlsx_bytes(xlsx.hubspot_rows(xlsx.CONTACTS))
    imp = import_store(actor=team.owner, workspace=team.workspace, data=data).import_
    assert imp.source == "hubspot_contacts" and imp.rows_count == len(xlsx.CONTACTS) - 1


def test_hubspot_custom_pipeline_stores_won_revenue(team: Team) -> None:
    columns = [*hubspot.D_COLUMNS, "Is Closed Won"]
    rows = [
        {
            **r,
            "Deal Stage": hubspot.CUSTOM[r["Deal Stage"]],
            "Is Closed Won": "true" if r["Deal Stage"] == "Closed Won" else "false",
        }
        for r in hubspot.D_ROWS
    ]
    data = hubspot.write(columns, hubspot.deal_rows(rows, columns))
    imp = import_store(actor=team.owner, workspace=team.workspace, data=data).import_
    assert D(imp.totals["revenue"]) == hubspot.REVENUE


def test_a_damaged_variant_is_refused_with_line_and_column_and_stores_nothing(
    team: Team,
) -> None:
    text = google_german_whole_period().decode("utf-16")
    lines = text.split("\r\n")
    cells = lines[5].split("\t")
    cells[ads.CHOSEN.index("Impr.")] = "viele"
    lines[5] = "\t".join(cells)
    data = codecs.BOM_UTF16_LE + "\r\n".join(lines).encode("utf-16-le")
    with pytest.raises(DomainError) as caught:
        import_store(actor=team.owner, workspace=team.workspace, data=data)
    message = str(caught.value.message)
    assert f"Line 6, column {ads.CHOSEN.index('Impr.') + 1}" in message and "viele" in message
    assert Import.objects.count() == 0 and ResultRow.objects.count() == 0

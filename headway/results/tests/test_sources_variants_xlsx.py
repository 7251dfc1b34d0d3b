"""XLSX downloads of Google Ads, Meta and HubSpot reports, built from the CSV samples the way a
spreadsheet stores them: numbers as numbers, days and moments as date-formatted cells, text as
text. The totals must be the CSV samples' (summed here)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from headway.results.sources import ImportFormatError, read
from headway.results.tests.xlsx import Value, xlsx_bytes

D = Decimal
FIXTURES = Path("/work/shared/fixtures")


def sample(path: str) -> list[list[str]]:
    text = (FIXTURES / path).read_bytes().decode("utf-8-sig")
    return [r for r in csv.reader(io.StringIO(text)) if r]


def number(text: str) -> Value:
    """A CSV cell as a spreadsheet holds it: a number when it is one, else the text."""
    plain = text.strip().replace(",", "")
    try:
        value = float(plain)
    except ValueError:
        return text
    return int(value) if value.is_integer() and "." not in plain else value


# -- Google Ads -------------------------------------------------------------------------------

ADS = sample("google-ads/Campaign report.csv")
ADS_HEADER = ADS[2]
ADS_BODY = [r for r in ADS[3:] if not r[0].startswith("Total:")]
ADS_LABELS = {
    "impressions": "Impr.",
    "clicks": "Clicks",
    "spend": "Cost",
    "conversions": "Conversions",
    "conversion_value": "Conv. value",
}
GERMAN = {
    "Day": "Tag",
    "Campaign": "Kampagne",
    "Campaign status": "Kampagnenstatus",
    "Clicks": "Klicks",
    "Currency code": "Währungscode",
    "Cost": "Kosten",
    "Conv. value": "Conv.-Wert",
}


def ads_expected() -> dict[str, Decimal]:
    def cell(row: list[str], label: str) -> Decimal:
        text = row[ADS_HEADER.index(label)].strip()
        return D(0) if text == "--" else D(text.replace(",", ""))

    return {m: sum((cell(r, label) for r in ADS_BODY), D(0)) for m, label in ADS_LABELS.items()}


def ads_rows(labels: dict[str, str]) -> list[list[Value]]:
    rows: list[list[Value]] = [
        ["Kampagnenbericht" if labels else ADS[0][0]],
        ["1. März 2026 - 31. März 2026" if labels else ADS[1][0]],
        [labels.get(c, c) for c in ADS_HEADER],
    ]
    for r in ADS[3:]:
        out: list[Value] = []
        for label, text in zip(ADS_HEADER, r, strict=True):
            if label == "Day" and not r[0].startswith("Total:"):
                out.append(date.fromisoformat(text))
            elif text.endswith("%"):
                out.append(float(text.rstrip("%")) / 100)  # a percentage cell
            elif text.strip() == "--":
                out.append(" --")
            else:
                out.append(number(text))
        if r[0].startswith("Total:") and labels:
            out[0] = "Gesamt: Konto"
        rows.append(out)
    return rows


@pytest.mark.parametrize("labels", [{}, GERMAN], ids=["en", "de"])
def test_google_ads_xlsx(labels: dict[str, str]) -> None:
    parsed = read(xlsx_bytes(ads_rows(labels)))
    assert parsed.source == "google_ads"
    assert parsed.rows_count == len(ADS_BODY)
    # German labels, yet the workbook's numbers are numbers: `1204.5` is not `12045`
    assert parsed.totals == ads_expected()
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert parsed.info.currency == "USD" and len(parsed.totals_rows) == 1
    assert min(r.day for r in parsed.sample_rows if r.day is not None) == date(2026, 3, 1)


def test_google_ads_xlsx_with_text_in_a_number_cell_names_line_and_column() -> None:
    rows = ads_rows({})
    rows[6][ADS_HEADER.index("Cost")] = "sixty"
    with pytest.raises(ImportFormatError) as caught:
        read(xlsx_bytes(rows))
    assert (caught.value.line, caught.value.column) == (7, ADS_HEADER.index("Cost") + 1)


# -- Meta -------------------------------------------------------------------------------------

META = sample("meta-ads/Harbor-and-Pine-Campaigns-1-Mar-2026-31-Mar-2026.csv")
META_HEADER, META_BODY = META[0], META[1:]


def meta_rows(currency: str) -> list[list[Value]]:
    rows: list[list[Value]] = [[c.replace("(USD)", f"({currency})") for c in META_HEADER]]
    for r in META_BODY:
        out: list[Value] = []
        for label, text in zip(META_HEADER, r, strict=True):
            if label.startswith("Reporting"):
                out.append(date.fromisoformat(text))
            elif label in ("Campaign name", "Result indicator", "Ends"):
                out.append(text)
            else:
                out.append(number(text) if text else "")
        rows.append(out)
    return rows


def test_meta_xlsx_with_date_cells_and_another_currency() -> None:
    parsed = read(xlsx_bytes(meta_rows("EUR")))
    col = META_HEADER.index
    assert parsed.source == "meta_ads" and parsed.info.currency == "EUR"
    assert parsed.rows_count == len(META_BODY)
    assert parsed.totals["spend"] == sum(D(r[col("Amount spent (USD)")]) for r in META_BODY)
    assert parsed.totals["impressions"] == sum(D(r[col("Impressions")]) for r in META_BODY)
    assert parsed.totals["clicks"] == sum(D(r[col("Link clicks")]) for r in META_BODY)
    leads = sum(D(r[col("Results")]) for r in META_BODY if "lead" in r[col("Result indicator")])
    assert parsed.totals["leads"] == leads
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert all(r.day is not None for r in parsed.sample_rows)


# -- HubSpot ----------------------------------------------------------------------------------

CONTACTS = sample("hubspot/hubspot-crm-exports-all-contacts-2026-04-01.csv")
DEALS = sample("hubspot/hubspot-crm-exports-all-deals-2026-04-01.csv")


def hubspot_rows(rows: list[list[str]]) -> list[list[Value]]:
    header = rows[0]
    out: list[list[Value]] = [list(header)]
    for r in rows[1:]:
        cells: list[Value] = []
        for label, text in zip(header, r, strict=True):
            if label in ("Record ID", "Amount"):
                cells.append(number(text))
            elif text and (label.endswith("Date") or label.startswith("Date entered")):
                cells.append(datetime.strptime(text, "%Y-%m-%d %H:%M"))
            else:
                cells.append(text)
        out.append(cells)
    return out


def test_hubspot_contacts_xlsx() -> None:
    header = CONTACTS[0]
    later = {"Marketing Qualified Lead", "Sales Qualified Lead", "Opportunity", "Customer"}
    stage = header.index("Lifecycle Stage")
    parsed = read(xlsx_bytes(hubspot_rows(CONTACTS)))
    assert parsed.source == "hubspot_contacts"
    assert parsed.totals == {
        "leads": D(len(CONTACTS) - 1),
        "qualified_leads": D(sum(1 for r in CONTACTS[1:] if r[stage] in later)),
    }
    created = sorted(r[header.index("Create Date")][:10] for r in CONTACTS[1:])
    assert (parsed.period_start, parsed.period_end) == (
        date.fromisoformat(created[0]),
        date.fromisoformat(created[-1]),
    )


def test_hubspot_deals_xlsx() -> None:
    header = DEALS[0]
    stage, amount = header.index("Deal Stage"), header.index("Amount")
    parsed = read(xlsx_bytes(hubspot_rows(DEALS)))
    assert parsed.source == "hubspot_deals"
    assert parsed.totals == {
        "deals": D(len(DEALS) - 1),
        "revenue": sum(D(r[amount]) for r in DEALS[1:] if r[stage] == "Closed Won"),
    }

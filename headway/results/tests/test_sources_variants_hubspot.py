"""HubSpot exports as users bring them, built from the samples: older column names and
internal values, other date formats (`2026-03-04 10:22`, `03/04/2026`, epoch milliseconds),
other column orders and property selections, internal property names, custom pipelines and
stage names, several contacts (or names) in one cell, `Amount in company currency` beside a
deal's own amount and currency. Expected figures are counted here from the samples."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from headway.results.sources import ImportFormatError, read
from headway.results.sources.base import CampaignSummary

D = Decimal
FOLDER = Path("/work/shared/fixtures/hubspot")
CONTACTS = (FOLDER / "hubspot-crm-exports-all-contacts-2026-04-01.csv").read_bytes()
DEALS = (FOLDER / "hubspot-crm-exports-all-deals-2026-04-01.csv").read_bytes()
C_ROWS = list(csv.DictReader(io.StringIO(CONTACTS.decode("utf-8-sig"))))
D_ROWS = list(csv.DictReader(io.StringIO(DEALS.decode("utf-8-sig"))))
LATER = {"Marketing Qualified Lead", "Sales Qualified Lead", "Opportunity", "Customer"}
STAGES = ("Lead", "Marketing Qualified Lead", "Sales Qualified Lead", "Opportunity", "Customer")


def entered(stage: str) -> str:
    return f'Date entered "{stage} (Lifecycle Stage Pipeline)"'


def qualified(row: dict[str, str]) -> bool:
    return row["Lifecycle Stage"] in LATER or any(row[entered(s)] for s in STAGES[1:])


def moment(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


def write(header: list[str], rows: list[list[str]], crlf: bool = False) -> bytes:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n" if crlf else "\n").writerows(
        [header, *rows]
    )
    return out.getvalue().encode()


def by_campaign(
    parsed_campaigns: dict[tuple[str, str, str], CampaignSummary],
) -> dict[tuple[str, str], dict[str, Decimal]]:
    return {(k[0], k[1]): s.totals for k, s in parsed_campaigns.items()}


SAMPLE_CONTACTS = read(CONTACTS)
CREATED = sorted(moment(r["Create Date"]).date() for r in C_ROWS)


def test_the_samples_figures_the_variants_must_match() -> None:
    assert SAMPLE_CONTACTS.totals == {
        "leads": D(len(C_ROWS)),
        "qualified_leads": D(sum(1 for r in C_ROWS if qualified(r))),
    }
    assert (SAMPLE_CONTACTS.period_start, SAMPLE_CONTACTS.period_end) == (CREATED[0], CREATED[-1])


# -- contacts ---------------------------------------------------------------------------------

INTERNAL_STAGE = {s: s.lower().replace(" ", "") for s in (*STAGES, "Subscriber", "Evangelist")}
INTERNAL_SOURCE = {
    "Paid Search": "PAID_SEARCH",
    "Paid Social": "PAID_SOCIAL",
    "Organic Search": "ORGANIC_SEARCH",
    "Organic Social": "SOCIAL_MEDIA",
    "Social Media": "SOCIAL_MEDIA",
    "Email Marketing": "EMAIL_MARKETING",
    "Direct Traffic": "DIRECT_TRAFFIC",
    "Referrals": "REFERRALS",
    "Other Campaigns": "OTHER_CAMPAIGNS",
    "Offline Sources": "OFFLINE",
}
OLD_NAMES = {
    "Record ID": "Contact ID",
    "Original Traffic Source": "Original Source",
    "Original Traffic Source Drill-Down 1": "Original Source Drill-Down 1",
    "Original Traffic Source Drill-Down 2": "Original Source Drill-Down 2",
    "Latest Traffic Source": "Latest Source",
    "Latest Traffic Source Drill-Down 1": "Latest Source Drill-Down 1",
    "Latest Traffic Source Drill-Down 2": "Latest Source Drill-Down 2",
    entered("Lead"): "Became a Lead Date",
    entered("Marketing Qualified Lead"): "Became a Marketing Qualified Lead Date",
    entered("Sales Qualified Lead"): "Became a Sales Qualified Lead Date",
    entered("Opportunity"): "Became an Opportunity Date",
    entered("Customer"): "Became a Customer Date",
}


def epoch_ms(text: str) -> str:
    return str(int(moment(text).replace(tzinfo=UTC).timestamp() * 1000))


def us_date(text: str) -> str:
    return moment(text).strftime("%m/%d/%Y")


@pytest.mark.parametrize("dates", ["epoch-ms", "us", "iso-minutes", "iso-t-z"])
def test_older_contacts_export_with_internal_values_and_other_date_formats(dates: str) -> None:
    convert = {
        "epoch-ms": epoch_ms,
        "us": us_date,
        "iso-minutes": lambda t: t,
        "iso-t-z": lambda t: moment(t).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }[dates]
    columns = list(C_ROWS[0])
    header = [OLD_NAMES.get(c, c) for c in columns]
    body = []
    for r in C_ROWS:
        out = []
        for c in columns:
            value = r[c]
            if c == "Lifecycle Stage":
                value = INTERNAL_STAGE[value]
            elif c == "Lead Status":
                value = value.upper().replace(" ", "_")
            elif c in ("Original Traffic Source", "Latest Traffic Source"):
                value = INTERNAL_SOURCE.get(value, value)
            elif (c == "Create Date" or c.startswith("Date entered")) and value:
                value = convert(value)
            out.append(value)
        body.append(out)
    parsed = read(write(header, body, crlf=True))
    assert parsed.source == "hubspot_contacts"
    assert parsed.totals == SAMPLE_CONTACTS.totals
    assert (parsed.period_start, parsed.period_end) == (CREATED[0], CREATED[-1])
    # the same campaigns and channels as the current export's labels give
    assert by_campaign(parsed.campaigns) == by_campaign(SAMPLE_CONTACTS.campaigns)


def test_contacts_with_another_property_selection_and_order() -> None:
    columns = [
        "Email",
        "Original Traffic Source Drill-Down 2",
        "Lifecycle Stage",
        "Original Traffic Source",
        "Create Date",
        "Record ID",
    ]
    body = [[r[c] for c in columns] for r in C_ROWS]
    parsed = read(write(columns, body))
    assert parsed.source == "hubspot_contacts"
    assert parsed.totals["leads"] == len(C_ROWS)
    assert parsed.totals["qualified_leads"] == sum(
        1 for r in C_ROWS if r["Lifecycle Stage"] in LATER
    )
    spring = sum(
        1 for r in C_ROWS if r["Original Traffic Source Drill-Down 2"] == "spring-launch-2026"
    )
    assert (
        sum(s.totals["leads"] for k, s in parsed.campaigns.items() if k[0] == "spring-launch-2026")
        == spring
    )


def test_contacts_selection_without_lifecycle_stage_reads_the_stage_dates() -> None:
    columns = ["Record ID", "Email", "Create Date", *(entered(s) for s in STAGES)]
    body = [[r[c] for c in columns] for r in C_ROWS]
    parsed = read(write(columns, body))
    assert parsed.source == "hubspot_contacts"
    mql_or_later = sum(1 for r in C_ROWS if any(r[entered(s)] for s in STAGES[1:]))
    assert parsed.totals == {"leads": D(len(C_ROWS)), "qualified_leads": D(mql_or_later)}


def test_contacts_with_internal_property_names() -> None:
    names = {
        "Record ID": "hs_object_id",
        "Email": "email",
        "Create Date": "createdate",
        "Lifecycle Stage": "lifecyclestage",
        "Original Traffic Source": "hs_analytics_source",
        "Original Traffic Source Drill-Down 2": "hs_analytics_source_data_2",
    }
    body = []
    for r in C_ROWS:
        body.append(
            [
                r["Record ID"],
                r["Email"],
                moment(r["Create Date"]).strftime("%Y-%m-%dT%H:%M:%SZ"),
                INTERNAL_STAGE[r["Lifecycle Stage"]],
                INTERNAL_SOURCE.get(r["Original Traffic Source"], r["Original Traffic Source"]),
                r["Original Traffic Source Drill-Down 2"],
            ]
        )
    parsed = read(write(list(names.values()), body))
    assert parsed.source == "hubspot_contacts"
    assert parsed.totals["leads"] == len(C_ROWS)
    assert parsed.totals["qualified_leads"] == sum(
        1 for r in C_ROWS if r["Lifecycle Stage"] in LATER
    )
    channels = {k[1] for k in parsed.campaigns}
    assert {"paid_search", "paid_social", "email"} <= channels


def test_a_contact_date_that_is_not_a_date_names_line_and_column() -> None:
    columns = list(C_ROWS[0])
    body = [[r[c] for c in columns] for r in C_ROWS]
    body[4][columns.index("Create Date")] = "last Tuesday"
    with pytest.raises(ImportFormatError) as caught:
        read(write(columns, body))
    assert (caught.value.line, caught.value.column) == (6, columns.index("Create Date") + 1)


# -- deals ------------------------------------------------------------------------------------

WON = [r for r in D_ROWS if r["Deal Stage"] == "Closed Won"]
REVENUE = sum((D(r["Amount"]) for r in WON), D(0))
D_COLUMNS = list(D_ROWS[0])


def deal_rows(rows: list[dict[str, str]], columns: list[str]) -> list[list[str]]:
    return [[r.get(c, "") for c in columns] for r in rows]


def test_deals_sample_figures() -> None:
    parsed = read(DEALS)
    assert parsed.totals == {"deals": D(len(D_ROWS)), "revenue": REVENUE}
    assert len(WON) > 0 and len(WON) < len(D_ROWS)


CUSTOM = {
    "Appointment Scheduled": "Samples sent",
    "Qualified To Buy": "Quote requested",
    "Contract Sent": "Order confirmed, awaiting payment",
    "Closed Won": "Order placed",
    "Closed Lost": "No order",
}


def test_custom_pipeline_with_is_closed_won() -> None:
    columns = [*D_COLUMNS, "Is Closed Won"]
    rows = []
    for r in D_ROWS:
        rows.append(
            {
                **r,
                "Deal Stage": CUSTOM[r["Deal Stage"]],
                "Pipeline": "Wholesale",
                "Is Closed Won": "true" if r["Deal Stage"] == "Closed Won" else "false",
            }
        )
    parsed = read(write(columns, deal_rows(rows, columns)))
    assert parsed.source == "hubspot_deals"
    assert parsed.totals == {"deals": D(len(D_ROWS)), "revenue": REVENUE}


def test_custom_pipeline_with_deal_probability() -> None:
    probability = {"Closed Won": "1.0", "Closed Lost": "0.0", "Contract Sent": "0.9"}
    columns = [*D_COLUMNS, "Deal probability"]
    rows = [
        {
            **r,
            "Deal Stage": CUSTOM[r["Deal Stage"]],
            "Deal probability": probability.get(r["Deal Stage"], "0.2"),
        }
        for r in D_ROWS
    ]
    parsed = read(write(columns, deal_rows(rows, columns)))
    assert parsed.totals == {"deals": D(len(D_ROWS)), "revenue": REVENUE}


def test_custom_stage_names_that_say_won() -> None:
    names = {
        "Closed Won": "Won - wholesale",
        "Closed Lost": "Won't proceed",
        "Appointment Scheduled": "Showroom visit",
        "Qualified To Buy": "Wonderful lead (qualified)",
        "Contract Sent": "Contract out",
    }
    rows = [{**r, "Deal Stage": names[r["Deal Stage"]]} for r in D_ROWS]
    parsed = read(write(D_COLUMNS, deal_rows(rows, D_COLUMNS)))
    assert parsed.totals["revenue"] == REVENUE


def test_older_deals_export_internal_stages_and_epoch_dates() -> None:
    internal = {s: s.lower().replace(" ", "") for s in CUSTOM}
    header = ["Deal ID" if c == "Record ID" else c for c in D_COLUMNS]
    rows = []
    for r in D_ROWS:
        rows.append(
            {
                **r,
                "Deal Stage": internal[r["Deal Stage"]],
                "Pipeline": "default",
                "Close Date": epoch_ms(r["Close Date"]),
                "Create Date": us_date(r["Create Date"]),
            }
        )
    parsed = read(write(header, deal_rows(rows, D_COLUMNS)))
    assert parsed.source == "hubspot_deals"
    assert parsed.totals == {"deals": D(len(D_ROWS)), "revenue": REVENUE}
    sample = read(DEALS)
    assert (parsed.period_start, parsed.period_end) == (sample.period_start, sample.period_end)


def test_several_contacts_or_names_in_the_associated_contact_cell() -> None:
    rows = []
    for i, r in enumerate(D_ROWS):
        if i % 3 == 0:  # many addresses: more semicolons in the cell than commas in the line
            contact = ";".join(f"buyer{n}@example.com" for n in range(15))
        elif i % 3 == 1:
            contact = "Lena Voss; Chloe Quinn"
        else:
            contact = r["Associated Contact"]
        rows.append({**r, "Associated Contact": contact})
    data = write(D_COLUMNS, deal_rows(rows, D_COLUMNS))
    assert data.splitlines()[1].count(b";") > data.splitlines()[1].count(b",")
    parsed = read(data)
    assert parsed.source == "hubspot_deals"
    assert parsed.totals == {"deals": D(len(D_ROWS)), "revenue": REVENUE}


RATES = {"EUR": D("0.92"), "GBP": D("0.79"), "USD": D(1)}


def multi_currency_rows() -> list[dict[str, str]]:
    rows = []
    for i, r in enumerate(D_ROWS):
        currency = ("EUR", "GBP", "USD")[i % 3]
        rows.append(
            {
                **r,
                "Amount": f"{D(r['Amount']) * RATES[currency]:.2f}",
                "Currency": currency,
                "Amount in company currency": r["Amount"],
            }
        )
    return rows


def test_deal_amounts_in_their_own_currency_beside_the_company_currency() -> None:
    columns = [*D_COLUMNS[:5], "Currency", "Amount in company currency", *D_COLUMNS[5:]]
    rows = multi_currency_rows()
    parsed = read(write(columns, deal_rows(rows, columns)))
    assert parsed.currencies == ["EUR", "GBP", "USD"]
    for currency in RATES:
        expected = sum(
            (
                D(r["Amount"])
                for r in rows
                if r["Currency"] == currency and r["Deal Stage"] == "Closed Won"
            ),
            D(0),
        )
        got = sum(
            (s.totals["revenue"] for k, s in parsed.campaigns.items() if k[2] == currency), D(0)
        )
        assert got == expected
    assert sum((s.totals["deals"] for s in parsed.campaigns.values()), D(0)) == len(D_ROWS)


def test_only_amount_in_company_currency_is_in_the_workspace_currency() -> None:
    columns = [c if c != "Amount" else "Amount in company currency" for c in D_COLUMNS]
    rows = [{**r, "Amount in company currency": r["Amount"]} for r in D_ROWS]
    parsed = read(write(columns, deal_rows(rows, columns)))
    assert parsed.totals == {"deals": D(len(D_ROWS)), "revenue": REVENUE}
    assert parsed.currencies == [""]


def test_a_deal_amount_that_is_not_a_number_names_line_and_column() -> None:
    rows = deal_rows(D_ROWS, D_COLUMNS)
    rows[2][D_COLUMNS.index("Amount")] = "about 2k"
    with pytest.raises(ImportFormatError) as caught:
        read(write(D_COLUMNS, rows))
    assert (caught.value.line, caught.value.column) == (4, D_COLUMNS.index("Amount") + 1)


def test_first_won_deal_day_is_its_close_day() -> None:
    parsed = read(DEALS)
    first = parsed.sample_rows[0]
    assert first.day == date.fromisoformat(D_ROWS[0]["Close Date"][:10])


def test_day_first_dates_are_recognised_from_the_file() -> None:
    # a European portal writes 15/03/2026; 03/04/2026 in the same file is then 3 April
    columns = list(C_ROWS[0])
    body = []
    for r in C_ROWS:
        out = dict(r)
        for c in columns:
            if (c == "Create Date" or c.startswith("Date entered")) and out[c]:
                out[c] = moment(out[c]).strftime("%d/%m/%Y %H:%M")
        body.append([out[c] for c in columns])
    assert any(int(row[columns.index("Create Date")][:2]) > 12 for row in body)
    parsed = read(write(columns, body))
    assert parsed.totals == SAMPLE_CONTACTS.totals
    assert (parsed.period_start, parsed.period_end) == (CREATED[0], CREATED[-1])
    assert by_campaign(parsed.campaigns) == by_campaign(SAMPLE_CONTACTS.campaigns)


def test_day_first_close_dates_of_deals() -> None:
    rows = [
        {
            **r,
            "Close Date": moment(r["Close Date"]).strftime("%d/%m/%Y"),
            "Create Date": moment(r["Create Date"]).strftime("%d/%m/%Y"),
        }
        for r in D_ROWS
    ]
    parsed = read(write(D_COLUMNS, deal_rows(rows, D_COLUMNS)))
    sample = read(DEALS)
    assert parsed.totals == sample.totals
    assert (parsed.period_start, parsed.period_end) == (sample.period_start, sample.period_end)

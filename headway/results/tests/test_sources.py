"""The export readers: every sample file with the totals its README implies, each quirk and
variant the README names, and malformed files refused with line and column."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from headway.results.sources import ImportFormatError, iter_rows, read
from headway.results.tests.xlsx import xlsx_bytes

FIXTURES = Path("/work/shared/fixtures")
D = Decimal


def fixture(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def plain_rows(data: bytes, encoding: str = "utf-8", delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding)), delimiter=delimiter))


def num(text: str) -> Decimal:
    return D(text.strip().replace(",", "")) if text.strip() not in ("--", "") else D(0)


# -- the samples ------------------------------------------------------------------------------


def test_google_ads_sample_matches_its_total_account_row() -> None:
    data = fixture("google-ads/Campaign report.csv")
    rows = plain_rows(data)
    header = rows[2]
    body = [r for r in rows[3:] if r and not r[0].startswith("Total:")]
    total = next(r for r in rows if r and r[0].startswith("Total: Account"))
    col = header.index
    parsed = read(data)
    assert parsed.source == "google_ads"
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert parsed.info.currency == "USD"
    assert parsed.rows_count == len(body) == 113
    for metric, label in [
        ("impressions", "Impr."),
        ("clicks", "Clicks"),
        ("spend", "Cost"),
        ("conversions", "Conversions"),
        ("conversion_value", "Conv. value"),
    ]:
        assert (
            parsed.totals[metric] == sum(num(r[col(label)]) for r in body) == num(total[col(label)])
        )
    assert [t.label for t in parsed.totals_rows] == ["Total: Account"]
    campaigns = {key[0] for key in parsed.campaigns}
    assert "Spring Launch 2026 - Search" in campaigns and len(campaigns) == 4


def test_meta_sample_reads_currency_from_header_and_results_by_indicator() -> None:
    data = fixture("meta-ads/Harbor-and-Pine-Campaigns-1-Mar-2026-31-Mar-2026.csv")
    rows = plain_rows(data)
    header, body = rows[0], [r for r in rows[1:] if r]
    col = header.index
    parsed = read(data)
    assert parsed.source == "meta_ads" and parsed.info.currency == "USD"
    assert parsed.rows_count == len(body)
    assert parsed.totals["spend"] == sum(D(r[col("Amount spent (USD)")]) for r in body)
    assert parsed.totals["impressions"] == sum(D(r[col("Impressions")]) for r in body)
    assert parsed.totals["clicks"] == sum(D(r[col("Link clicks")]) for r in body)
    leads = sum(D(r[col("Results")]) for r in body if "lead" in r[col("Result indicator")])
    purchases = sum(D(r[col("Results")]) for r in body if "purchase" in r[col("Result indicator")])
    assert parsed.totals["leads"] == leads and parsed.totals["conversions"] == purchases
    # daily rows: Reporting starts = Reporting ends, so each row has its day
    assert all(r.day is not None for r in parsed.sample_rows)
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))


def test_linkedin_sample_uses_campaign_groups_as_campaigns() -> None:
    data = fixture("linkedin/campaign_performance_report.csv")
    rows = plain_rows(data, "utf-16", "\t")
    header = rows[5]
    body = [r for r in rows[6:] if any(r)]
    col = header.index
    parsed = read(data)
    assert parsed.source == "linkedin"
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert parsed.rows_count == len(body)
    assert parsed.totals["spend"] == sum(D(r[col("Total Spent")]) for r in body)
    assert parsed.totals["leads"] == sum(D(r[col("Leads")]) for r in body)
    groups = {r[col("Campaign Group Name")] for r in body}
    assert {key[0] for key in parsed.campaigns} == groups
    first = parsed.sample_rows[0]
    assert first.day == date(2026, 3, 2) and first.detail == body[0][col("Campaign Name")]


def test_mailchimp_all_campaigns_counts_unique_opens_and_clicks() -> None:
    data = fixture("mailchimp/campaigns.csv")
    rows = plain_rows(data)
    header, body = rows[0], rows[1:]
    col = header.index
    parsed = read(data)
    assert parsed.source == "mailchimp" and parsed.rows_count == 4
    assert parsed.totals["recipients"] == sum(D(r[col("Total Recipients")]) for r in body)
    assert parsed.totals["opens"] == sum(D(r[col("Unique Opens")]) for r in body)
    assert parsed.totals["email_clicks"] == sum(D(r[col("Unique Clicks")]) for r in body)
    assert parsed.totals["unsubscribes"] == sum(D(r[col("Unsubscribes")]) for r in body)
    assert parsed.sample_rows[0].day == date(2026, 3, 5)


def test_mailchimp_campaign_report_equals_its_row_in_campaigns_csv() -> None:
    report = read(fixture("mailchimp/campaign-report-spring-launch-2026-announcement.csv"))
    export = read(fixture("mailchimp/campaigns.csv"))
    row = next(r for r in export.sample_rows if r.campaign == "Spring Launch 2026 - Announcement")
    assert report.rows_count == 1
    only = report.sample_rows[0]
    assert only.campaign == row.campaign and only.day == row.day == date(2026, 3, 12)
    same = {"recipients", "opens", "email_clicks", "unsubscribes"}
    assert {k: v for k, v in only.metrics} == {k: v for k, v in row.metrics if k in same}
    assert report.info.scope_campaigns == ("Spring Launch 2026 - Announcement",)
    # the links name the campaigns they point to, another campaign's among them
    assert any("small-space-webinar: 24" in note for note in report.info.notes)
    assert any("untagged pages: 4" in note for note in report.info.notes)


def test_ga4_sample_sessions_key_events_and_period_from_comments() -> None:
    data = fixture("ga4/Traffic_acquisition_Session_source_medium.csv")
    lines = [line for line in data.decode().splitlines() if line and not line.startswith("#")]
    rows = list(csv.reader(lines))
    header, body = rows[0], rows[1:]
    parsed = read(data)
    assert parsed.source == "ga4"
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert parsed.totals["sessions"] == sum(D(r[header.index("Sessions")]) for r in body)
    assert parsed.totals["key_events"] == sum(D(r[header.index("Key events")]) for r in body)
    by_campaign = {r.campaign for r in parsed.sample_rows}
    assert "spring-launch-2026" in by_campaign and "(direct)" not in by_campaign
    channels = {r.detail: r.channel for r in parsed.sample_rows}
    assert channels["google / cpc"] == "paid_search"
    assert channels["mailchimp / email"] == "email"


def test_hubspot_contacts_qualified_leads_are_mql_or_later() -> None:
    data = fixture("hubspot/hubspot-crm-exports-all-contacts-2026-04-01.csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    later = {
        "Marketing Qualified Lead",
        "Sales Qualified Lead",
        "Opportunity",
        "Customer",
        "Evangelist",
    }
    parsed = read(data)
    assert parsed.source == "hubspot_contacts"
    assert parsed.totals["leads"] == len(rows) == 60
    assert parsed.totals["qualified_leads"] == sum(1 for r in rows if r["Lifecycle Stage"] in later)
    spring = [r for r in rows if r["Original Traffic Source Drill-Down 2"] == "spring-launch-2026"]
    summary = [s for k, s in parsed.campaigns.items() if k[0] == "spring-launch-2026"]
    assert sum(s.totals["leads"] for s in summary) == len(spring)


def test_hubspot_deals_revenue_is_closed_won_amounts() -> None:
    data = fixture("hubspot/hubspot-crm-exports-all-deals-2026-04-01.csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    parsed = read(data)
    assert parsed.source == "hubspot_deals"
    assert parsed.totals["deals"] == len(rows)
    assert parsed.totals["revenue"] == sum(
        D(r["Amount"]) for r in rows if r["Deal Stage"] == "Closed Won"
    )


def test_iter_rows_streams_the_same_rows_as_read() -> None:
    data = fixture("google-ads/Campaign report.csv")
    streamed = list(iter_rows(data))
    assert len(streamed) == read(data).rows_count
    assert streamed[0] == read(data).sample_rows[0]


# -- variants ---------------------------------------------------------------------------------

GOOGLE_DE = (
    "Kampagnenbericht\n"
    '"1. März 2026 - 31. März 2026"\n'
    "Tag\tKampagnenstatus\tKampagne\tImpr.\tKlicks\tWährungscode\tKosten\tConversions\tConv.-Wert\n"
    '2026-03-01\tAktiviert\tFrühling 2026\t"1.032"\t45\tEUR\t"30,72"\t"1,50"\t"4,84"\n'
    "2026-03-02\tAktiviert\tFrühling 2026\t987\t40\tEUR\t29,10\t0,00\t --\n"
    'Gesamt: Konto\t --\t --\t"2.019"\t85\tEUR\t"59,82"\t"1,50"\t"4,84"\n'
)


def test_google_ads_utf16_tab_german_locale_and_translated_date_line() -> None:
    parsed = read(codecs.BOM_UTF16_LE + GOOGLE_DE.encode("utf-16-le"))
    assert parsed.source == "google_ads" and parsed.info.currency == "EUR"
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert parsed.totals["impressions"] == D(2019)
    assert parsed.totals["spend"] == D("59.82")
    assert parsed.totals["conversion_value"] == D("4.84")  # ` --` is empty, not zero text
    assert [t.label for t in parsed.totals_rows] == ["Gesamt: Konto"]


def test_google_ads_without_day_column_rows_span_the_period() -> None:
    text = (
        "Campaign report\n"
        '"March 1, 2026 - March 31, 2026"\n'
        "Campaign,Impr.,Clicks,Currency code,Cost,Search impr. share\n"
        'Brand - Search,"8,410",300,USD,"1,204.50",< 10%\n'
        "Spring Launch 2026 - Search,900,20,USD,80.10,< 10%\n"
        'Total: Campaigns,"9,310",320,USD,"1,284.60", --\n'
        'Total: Search,"9,310",320,USD,"1,284.60", --\n'
    )
    parsed = read(text.encode())
    assert parsed.rows_count == 2
    assert all(r.day is None for r in parsed.sample_rows)
    assert parsed.totals["spend"] == D("1284.60")
    assert len(parsed.totals_rows) == 2
    assert parsed.info.notes


def test_meta_semicolons_decimal_commas_euro_and_no_breakdown() -> None:
    text = (
        "Reporting starts;Reporting ends;Campaign name;Results;Result indicator;Impressions;"
        "Link clicks;Amount spent (EUR)\n"
        "2026-03-01;2026-03-31;Frühling;12;actions:offsite_conversion.fb_pixel_lead;10432;210;"
        "1234,56\n"
    )
    parsed = read(text.encode())
    assert parsed.source == "meta_ads" and parsed.info.currency == "EUR"
    assert parsed.totals == {
        "impressions": D(10432),
        "clicks": D(210),
        "spend": D("1234.56"),
        "leads": D(12),
    }
    assert parsed.sample_rows[0].day is None
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))


def test_meta_no_data_available_reads_as_no_rows() -> None:
    parsed = read(b"No data available.\n")
    assert parsed.source == "meta_ads" and parsed.rows_count == 0 and parsed.totals == {}


def test_linkedin_older_export_without_groups_and_five_line_preamble() -> None:
    text = (
        "Campaign Performance Report (in UTC)\n"
        "Report Start: 3/1/2026\n"
        "Report End: 3/31/2026\n"
        "Date Generated: 4/2/2026\n"
        "Account: Harbor & Pine\n"
        "Start Date (in UTC)\tCampaign Name\tCurrency\tTotal Spent\tImpressions\tClicks\tLeads\n"
        "3/2/2026\tWebinar B2B\tUSD\t60.98\t1422\t8\t2\n"
        "3/2/2026\tWebinar SMB\tUSD\t10.02\t200\t1\t0\n"
    )
    parsed = read(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert parsed.source == "linkedin" and parsed.rows_count == 2
    assert {k[0] for k in parsed.campaigns} == {"Webinar B2B", "Webinar SMB"}
    assert parsed.totals["spend"] == D("71.00")
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))


def test_mailchimp_older_export_with_list_column() -> None:
    text = (
        "Title,Subject,List,Send Date,Total Recipients,Unique Opens,Unique Clicks,Unsubscribes\n"
        '"Sale, ""last call""",Hi,Customers,"Mar 26, 2026 07:45 pm",100,40,5,1\n'
    )
    parsed = read(text.encode())
    assert parsed.sample_rows[0].campaign == 'Sale, "last call"'
    assert parsed.totals["opens"] == D(40)


def test_mailchimp_report_without_clicks() -> None:
    text = (
        "Email Campaign Report\n"
        '"Title:","Quiet note, ""v2"""\n'
        '"Delivery Date/Time:","Mar 02, 2026 08:00 am"\n\n'
        "Overall Stats\n"
        '"Total Recipients:","1,200"\n"Recipients Who Opened:","300 (25.00%)"\n'
        '"Recipients Who Clicked:","0 (0.00%)"\n\nClicks by URL\n'
        '"URL","Total Clicks","Unique Clicks"\n'
    )
    parsed = read(text.encode())
    assert parsed.sample_rows[0].campaign == 'Quiet note, "v2"'
    assert parsed.totals == {"recipients": D(1200), "opens": D(300), "email_clicks": D(0)}


def test_ga4_french_comments_conversions_grand_total_first_and_second_table() -> None:
    text = (
        "# Acquisition de trafic\n# Date de début : 20260301\n# Date de fin : 20260331\n"
        "Session source / medium,Session campaign,Sessions,Conversions\n"
        "Grand total,,300,12\n"
        "google / cpc,spring-launch-2026,200,10\n"
        "(direct) / (none),(direct),100,2\n"
        "\n"
        "Session source / medium,Sessions\n"
        "google / cpc,200\n"
    )
    parsed = read(text.encode())
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert parsed.totals == {"sessions": D(300), "key_events": D(12)}
    assert [t.label for t in parsed.totals_rows] == ["Grand total"]
    assert parsed.rows_count == 2


def test_hubspot_older_contacts_with_internal_values() -> None:
    text = (
        "Contact ID,Email,Create Date,Lifecycle Stage,Lead Status,Original Source,"
        "Original Source Drill-Down 1,Original Source Drill-Down 2,"
        "Became a Marketing Qualified Lead Date\n"
        "1,a@x.example,03/02/2026 10:00 AM,marketingqualifiedlead,CONNECTED,"
        "PAID_SEARCH,google,spring,\n"
        "2,b@x.example,03/03/2026 11:00 AM,lead,NEW,PAID_SOCIAL,facebook,spring,\n"
        "3,c@x.example,03/04/2026 09:00 AM,lead,NEW,DIRECT_TRAFFIC,,,03/05/2026 09:00 AM\n"
    )
    parsed = read(text.encode())
    assert parsed.source == "hubspot_contacts"
    assert parsed.totals == {"leads": D(3), "qualified_leads": D(2)}
    assert {r.channel for r in parsed.sample_rows} == {"paid_search", "paid_social", "direct"}


def test_xlsx_of_a_google_ads_report() -> None:
    data = xlsx_bytes(
        [
            ["Campaign report"],
            ["March 1, 2026 - March 31, 2026"],
            ["Day", "Campaign", "Impr.", "Clicks", "Currency code", "Cost"],
            ["2026-03-01", "Brand - Search", 344, 10, "USD", 7.98],
            ["2026-03-02", "Brand - Search", 2013, 12, "USD", 1204.5],
            ["Total: Account", " --", 2357, 22, "USD", 1212.48],
        ]
    )
    parsed = read(data)
    assert parsed.source == "google_ads" and parsed.rows_count == 2
    assert parsed.totals["spend"] == D("1212.48") and parsed.totals["impressions"] == D(2357)


# -- malformed files --------------------------------------------------------------------------


def _error(data: bytes) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as caught:
        read(data)
    return caught.value


def test_truncated_file_is_refused_at_the_cut_row() -> None:
    data = fixture("google-ads/Campaign report.csv")
    cut = (
        data[: data.index(b"2026-03-02")] + b"2026-03-02,Enabled,Spring Launch 2026 - Search,60.00"
    )
    error = _error(cut)
    assert error.line == 8 and "cut off" in error.message


def test_text_where_a_number_belongs_names_line_and_column() -> None:
    data = fixture("meta-ads/Harbor-and-Pine-Campaigns-1-Mar-2026-31-Mar-2026.csv")
    lines = data.decode().splitlines()
    lines[3] = lines[3].replace(",31.97,", ",thirty,")  # line 4, the spend of the third row
    lines[1] = lines[1].replace(",31.97,", ",thirty,")
    error = _error("\n".join(lines).encode())
    assert (error.line, error.column) == (2, 14)
    assert "thirty" in str(error) and "Amount spent (USD)" in str(error)


def test_mixed_encoding_is_refused_with_line() -> None:
    data = fixture("mailchimp/campaigns.csv").replace(b"Customers", "Kundén".encode(), 1)
    data = data + ("x" * 70000).encode() + b"\nM\xe4rz Newsletter,\n"
    error = _error(data)
    assert error.line is not None and error.line >= 6


def test_unknown_layout_is_refused() -> None:
    error = _error(b"name,colour\nbench,oak\n")
    assert error.line == 1 and "not one Headway reads" in error.message


def test_empty_file_is_refused() -> None:
    assert "empty" in _error(b"").message


def test_english_thousands_in_a_decimal_comma_file_is_refused() -> None:
    text = GOOGLE_DE.replace('"30,72"', '"1,234.50"')
    error = _error(text.encode())
    assert error.line == 4 and error.column == 7

"""Mailchimp exports as users bring them, built from the samples: older all-campaigns exports
with `List` instead of `Audience`; titles and subject lines with commas and quotes; a
single-campaign report whose `Clicks by URL` table is empty. Expected figures are read here
from the samples."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from headway.results.sources import ImportFormatError, read

D = Decimal
FOLDER = Path("/work/shared/fixtures/mailchimp")
CAMPAIGNS = (FOLDER / "campaigns.csv").read_bytes()
REPORT = (FOLDER / "campaign-report-spring-launch-2026-announcement.csv").read_bytes()
_ALL = list(csv.reader(io.StringIO(CAMPAIGNS.decode())))
HEADER, BODY = _ALL[0], [r for r in _ALL[1:] if r]
COUNTS = {
    "recipients": "Total Recipients",
    "opens": "Unique Opens",
    "email_clicks": "Unique Clicks",
    "unsubscribes": "Unsubscribes",
    "conversions": "Total Orders",
    "conversion_value": "Total Revenue",
}
ODD_TITLES = [
    'March Newsletter, "small spaces" edition',
    'Spring Launch 2026 - "Announcement"',
    "Small Space Webinar - Invite, part 1",
    'Quote "" at the end "',
]


def get(row: list[str], label: str) -> str:
    return row[HEADER.index(label)]


def expected(rows: list[list[str]]) -> dict[str, Decimal]:
    return {m: sum((D(get(r, label)) for r in rows), D(0)) for m, label in COUNTS.items()}


def write(rows: list[list[str]], crlf: bool = False) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n" if crlf else "\n").writerows(rows)
    return out.getvalue().encode()


def test_older_export_says_list_instead_of_audience() -> None:
    header = ["List" if c == "Audience" else c for c in HEADER]
    parsed = read(write([header, *BODY], crlf=True))
    assert parsed.source == "mailchimp" and parsed.rows_count == len(BODY)
    assert parsed.totals == expected(BODY)
    assert {r.campaign for r in parsed.sample_rows} == {get(r, "Title") for r in BODY}


def test_titles_and_subjects_with_commas_and_quotes() -> None:
    body = []
    for row, title in zip(BODY, ODD_TITLES, strict=True):
        row = list(row)
        row[HEADER.index("Title")] = title
        row[HEADER.index("Subject")] = 'Hello, "friend"; 20% off, today'
        body.append(row)
    data = write([HEADER, *body])
    assert b'"Quote """" at the end """' in data  # doubled quotes in the file
    parsed = read(data)
    assert [r.campaign for r in parsed.sample_rows] == ODD_TITLES
    assert parsed.totals == expected(BODY)
    days = [r.day for r in parsed.sample_rows]
    assert days == [date(2026, 3, 5), date(2026, 3, 12), date(2026, 3, 10), date(2026, 3, 26)]


def test_list_export_with_only_the_columns_a_user_kept_in_another_order() -> None:
    columns = ["Unique Clicks", "Send Date", "Title", "List", "Total Recipients", "Unique Opens"]
    source = [c if c != "List" else "Audience" for c in columns]
    rows = [columns] + [[get(r, c) for c in source] for r in BODY]
    parsed = read(write(rows))
    assert parsed.source == "mailchimp"
    assert parsed.totals == {
        k: v for k, v in expected(BODY).items() if k in ("recipients", "opens", "email_clicks")
    }


def report(title: str, subject: str, clicks: list[list[str]]) -> bytes:
    rows: list[list[str]] = [
        ["Email Campaign Report"],
        ["Title:", title],
        ["Subject Line:", subject],
        ["Delivery Date/Time:", "Mar 02, 2026 08:00 AM"],
        [],
        ["Overall Stats"],
        ["Total Recipients:", "1,200"],
        ["Successful Deliveries:", "1,188"],
        ["Recipients Who Opened:", "300 (25.25%)"],
        ["Total Opens:", "410"],
        ["Recipients Who Clicked:", "0 (0.00%)"],
        ["Total Clicks:", "0"],
        ["Total Unsubs:", "2"],
        [],
        ["Clicks by URL"],
        ["URL", "Total Clicks", "Unique Clicks"],
        *clicks,
    ]
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


@pytest.mark.parametrize(
    "title",
    ['Quiet note, "v2"', "Webinar: follow-up, no links", '"Quoted" title'],
)
def test_single_campaign_report_with_an_empty_clicks_by_url_table(title: str) -> None:
    parsed = read(report(title, 'Re: "your" order, shipped', []))
    assert parsed.source == "mailchimp" and parsed.rows_count == 1
    row = parsed.sample_rows[0]
    assert row.campaign == title and row.day == date(2026, 3, 2)
    assert parsed.totals == {
        "recipients": D(1200),
        "opens": D(300),
        "email_clicks": D(0),
        "unsubscribes": D(2),
    }
    assert parsed.info.scope_campaigns == (title,)
    assert parsed.info.notes == ()  # no links, no note about where they point
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 2), date(2026, 3, 2))


def test_report_without_a_clicks_by_url_block_at_all() -> None:
    data = REPORT[: REPORT.index(b"Clicks by URL")]
    parsed = read(data)
    assert parsed.rows_count == 1 and parsed.info.notes == ()
    assert parsed.sample_rows[0].campaign == "Spring Launch 2026 - Announcement"


def test_sample_report_with_title_rewritten_with_commas_and_quotes() -> None:
    data = REPORT.replace(
        b'"Title:","Spring Launch 2026 - Announcement"',
        b'"Title:","Spring Launch 2026, ""Announcement"""',
    )
    parsed = read(data)
    row = next(r for r in read(CAMPAIGNS).sample_rows if "Announcement" in r.campaign)
    assert parsed.sample_rows[0].campaign == 'Spring Launch 2026, "Announcement"'
    same = {"recipients", "opens", "email_clicks", "unsubscribes"}
    assert dict(parsed.sample_rows[0].metrics) == {k: v for k, v in row.metrics if k in same}


def test_a_report_count_that_is_not_a_count_names_its_line() -> None:
    data = REPORT.replace(b'"Total Recipients:","4269"', b'"Total Recipients:","many"')
    with pytest.raises(ImportFormatError) as caught:
        read(data)
    assert (caught.value.line, caught.value.column) == (7, 2)


def test_report_after_blank_lines_with_windows_line_endings() -> None:
    data = b"\r\n\r\n" + REPORT.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    parsed = read(data)
    assert parsed.source == "mailchimp" and parsed.rows_count == 1
    assert dict(parsed.sample_rows[0].metrics)["recipients"] == D(4269)

"""The mapped reader: any other CSV or XLSX through a column mapping (pure, no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from headway.results.sources import ImportFormatError, UnknownLayout, known_layout, read
from headway.results.sources.mapped import MappingSpec, header_of, signature
from headway.results.tests.xlsx import xlsx_bytes

SPEC = MappingSpec(
    "x:tiktok-ads",
    "TikTok Ads",
    (
        ("Campaign", "campaign"),
        ("Date", "day"),
        ("Cost", "spend"),
        ("Clicks", "clicks"),
        ("Currency", "currency"),
        ("Ad group ID", "ignore"),
    ),
    "paid_social",
)
PLAIN = (
    "Campaign,Date,Cost,Clicks,Currency,Ad group ID\n"
    "Spring Launch,2026-03-01,1234.50,10,EUR,77\n"
    "Spring Launch,2026-03-02,30.72,5,EUR,77\n"
    "Autumn,2026-03-31,10,1,USD,78\n"
)


def test_reads_rows_totals_period_and_currency_per_row() -> None:
    parsed = read(PLAIN.encode(), mapping=SPEC)
    assert parsed.source == "x:tiktok-ads" and parsed.info.label == "TikTok Ads"
    assert parsed.rows_count == 3
    assert parsed.totals == {"clicks": Decimal(16), "spend": Decimal("1275.22")}
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert parsed.currencies == ["EUR", "USD"]
    row = parsed.sample_rows[0]
    assert (row.line, row.day, row.campaign, row.channel) == (
        2,
        date(2026, 3, 1),
        "Spring Launch",
        "paid_social",
    )


def test_semicolons_decimal_commas_bom_and_quoted_headers() -> None:
    text = (
        '\ufeff"Campaign";"Date";"Cost";"Clicks";"Currency";"Ad group ID"\n'
        "Spring Launch;01/03/2026;1.234,50;10;EUR;77\n"
        "Spring Launch;13/03/2026;30,72;5;EUR;77\n"
        "Total;;1.265,22;15;;\n"
    )
    parsed = read(text.encode("utf-8"), mapping=SPEC)
    assert parsed.totals["spend"] == Decimal("1265.22")
    assert parsed.period_start == date(2026, 3, 1)  # day first: 13/03 says so
    assert parsed.period_end == date(2026, 3, 13)
    assert [t.label for t in parsed.totals_rows] == ["Total"]  # kept apart, not summed


def test_utf16_tab_separated_with_a_preamble() -> None:
    text = "TikTok report\nExported 2026-04-01\n\n" + PLAIN.replace(",", "\t")
    parsed = read(text.encode("utf-16"), mapping=SPEC)
    assert parsed.rows_count == 3 and parsed.totals["clicks"] == 16
    assert parsed.sample_rows[0].line == 5


def test_xlsx() -> None:
    rows: list[list[str | float | int]] = [
        list(line.split(",")) for line in PLAIN.strip().splitlines()
    ]
    parsed = read(xlsx_bytes(rows), mapping=SPEC)
    assert parsed.rows_count == 3 and parsed.totals["spend"] == Decimal("1275.22")


def test_text_in_a_number_column_is_refused_with_line_and_column() -> None:
    bad = PLAIN.replace("30.72", "thirty")
    with pytest.raises(ImportFormatError) as caught:
        read(bad.encode(), mapping=SPEC)
    assert (caught.value.line, caught.value.column) == (3, 3)
    assert "'thirty' in Cost" in caught.value.message


def test_a_bad_date_is_refused_with_line_and_column() -> None:
    bad = PLAIN.replace("2026-03-31", "someday")
    with pytest.raises(ImportFormatError) as caught:
        read(bad.encode(), mapping=SPEC)
    assert (caught.value.line, caught.value.column) == (4, 2)


def test_a_file_without_the_mapped_columns_is_refused() -> None:
    with pytest.raises(ImportFormatError, match="TikTok Ads"):
        read(b"Name,When,Money\nA,2026-03-01,1\n", mapping=SPEC)


def test_period_columns_span_the_period() -> None:
    spec = MappingSpec(
        "x:pin",
        "Pinterest",
        (
            ("Start", "period_start"),
            ("End", "period_end"),
            ("Name", "campaign"),
            ("Spend", "spend"),
        ),
    )
    parsed = read(b"Start,End,Name,Spend\n2026-03-01,2026-03-31,A,5\n", mapping=spec)
    assert parsed.sample_rows[0].day is None
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))


def test_header_and_signature_ignore_order_case_and_quotes() -> None:
    line, header = header_of(b"Report\n\nCampaign,Date,Cost\nA,2026-03-01,1\n")
    assert line == 3 and header == ["Campaign", "Date", "Cost"]
    assert signature(header) == signature(['"cost"', "DATE", "campaign"])
    assert signature(header) != signature(["Campaign", "Date", "Spend"])


def test_unknown_layout_is_its_own_error() -> None:
    assert not known_layout(PLAIN.encode())
    with pytest.raises(UnknownLayout, match="mapping step"):
        read(PLAIN.encode())

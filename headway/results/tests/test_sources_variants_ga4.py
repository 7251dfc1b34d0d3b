"""GA4 exports as users bring them, built from the sample: `Conversions` instead of `Key
events`; comment lines in French and German; a `Grand total` row first; several tables; the
session campaign (or another dimension) first. Expected totals are summed here."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from headway.results.sources import ImportFormatError, read

D = Decimal
SAMPLE = Path("/work/shared/fixtures/ga4/Traffic_acquisition_Session_source_medium.csv")
TEXT = SAMPLE.read_text()
COMMENTS = [line for line in TEXT.splitlines() if line.startswith("#")]
_TABLE = list(csv.reader(line for line in TEXT.splitlines() if line and line[0] != "#"))
HEADER, BODY = _TABLE[0], _TABLE[1:]


def get(row: list[str], label: str) -> str:
    return row[HEADER.index(label)]


def expected(rows: list[list[str]]) -> dict[str, Decimal]:
    return {
        "sessions": sum((D(get(r, "Sessions")) for r in rows), D(0)),
        "key_events": sum((D(get(r, "Key events")) for r in rows), D(0)),
        "conversion_value": sum((D(get(r, "Total revenue")) for r in rows), D(0)),
    }


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def grand_total(header: list[str], rows: list[list[str]]) -> list[str]:
    sums = expected(rows)
    by_label = {
        "Sessions": str(sums["sessions"]),
        "Key events": str(sums["key_events"]),
        "Conversions": str(sums["key_events"]),
        "Total revenue": str(sums["conversion_value"]),
    }
    cells = [by_label.get(label, "") for label in header]
    cells[0] = "Grand total"
    return cells


def test_older_export_names_key_events_conversions() -> None:
    header = ["Conversions" if c == "Key events" else c for c in HEADER]
    data = "\n".join(COMMENTS) + "\n" + csv_text([header, *BODY])
    parsed = read(data.encode())
    assert parsed.source == "ga4"
    assert parsed.totals == expected(BODY)
    assert any("Conversions" in note for note in parsed.info.notes)


FRENCH = [
    "# ----------------------------------------",
    "# Acquisition de trafic : Source/Support de la session",
    "# Compte : Harbor & Pine",
    "# Propriété : Harbor & Pine - GA4 (201603151)",
    "# ----------------------------------------",
    "# ",
    "# Tous les utilisateurs",
    "# Date de début : 20260301",
    "# Date de fin : 20260331",
]
GERMAN = [
    "# ----------------------------------------",
    "# Zugriffsakquisition: Sitzungsquelle/-medium",
    "# Konto: Harbor & Pine",
    "# Property: Harbor & Pine - GA4 (201603151)",
    "# ----------------------------------------",
    "# Alle Nutzer",
    "# Startdatum: 20260301",
    "# Enddatum: 20260331",
]


@pytest.mark.parametrize("comments", [FRENCH, GERMAN], ids=["fr", "de"])
def test_comment_lines_in_the_ui_language(comments: list[str]) -> None:
    data = "\n".join(comments) + "\n" + csv_text([HEADER, *BODY])
    parsed = read(data.encode())
    # the property id (201603151) holds 8 digits that read as a date: not the period
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert parsed.totals == expected(BODY) and parsed.rows_count == len(BODY)


def test_grand_total_first_is_kept_apart() -> None:
    data = "\n".join(COMMENTS) + "\n" + csv_text([HEADER, grand_total(HEADER, BODY), *BODY])
    parsed = read(data.encode())
    assert parsed.rows_count == len(BODY) and parsed.totals == expected(BODY)
    assert [t.label for t in parsed.totals_rows] == ["Grand total"]
    assert dict(parsed.totals_rows[0].metrics)["sessions"] == expected(BODY)["sessions"]


def test_several_tables_only_the_report_table_is_read() -> None:
    by_day = [["Nth day", "Sessions"]] + [[f"{i:04d}", "700"] for i in range(31)]
    by_medium = [["Session medium", "Sessions"], ["cpc", "4438"], ["email", "6041"]]
    data = (
        "\n".join(COMMENTS)
        + "\n"
        + csv_text(by_day)
        + "\n"
        + "\n".join(COMMENTS[:2])
        + "\n"
        + csv_text([HEADER, grand_total(HEADER, BODY), *BODY])
        + "\n"
        + csv_text(by_medium)
    )
    parsed = read(data.encode())
    assert parsed.rows_count == len(BODY) and parsed.totals == expected(BODY)
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))


def test_session_campaign_first_and_columns_in_another_order() -> None:
    order = ["Session campaign", "Key events", "Sessions", "Session source / medium"]
    order += ["Total revenue", "Engagement rate"]
    rows = [order, grand_total(order, BODY)] + [[get(r, c) for c in order] for r in BODY]
    data = "\n".join(GERMAN) + "\n" + csv_text(rows)
    parsed = read(data.encode())
    assert parsed.totals == expected(BODY) and parsed.rows_count == len(BODY)
    assert len(parsed.totals_rows) == 1
    channels = {(r.campaign, r.detail): r.channel for r in parsed.sample_rows}
    assert channels[("spring-launch-2026", "google / cpc")] == "paid_search"
    assert channels[("", "(direct) / (none)")] == "direct"


def test_default_channel_group_as_the_second_dimension() -> None:
    groups = {"cpc": "Paid Search", "paid_social": "Paid Social", "email": "Email"}
    groups |= {"(none)": "Direct", "organic": "Organic Search", "social": "Organic Social"}
    order = ["Session campaign", "Session default channel group", "Sessions", "Key events"]
    rows = [order]
    for r in BODY:
        medium = get(r, "Session source / medium").split(" / ")[1]
        rows.append([get(r, "Session campaign"), groups.get(medium, "Unassigned")])
        rows[-1] += [get(r, "Sessions"), get(r, "Key events")]
    data = "\n".join(COMMENTS) + "\n" + csv_text(rows)
    parsed = read(data.encode())
    sums = expected(BODY)
    assert parsed.totals == {"sessions": sums["sessions"], "key_events": sums["key_events"]}
    channels = {r.channel for r in parsed.sample_rows}
    assert {"paid_search", "paid_social", "email", "direct"} <= channels


def test_a_daily_ga4_table_reads_each_rows_day() -> None:
    header = ["Date", "Session campaign", "Session source / medium", "Sessions", "Key events"]
    rows = [header]
    for i, r in enumerate(BODY):
        rows.append([f"202603{i + 1:02d}", get(r, "Session campaign")])
        rows[-1] += [get(r, "Session source / medium"), get(r, "Sessions"), get(r, "Key events")]
    parsed = read(("\n".join(COMMENTS) + "\n" + csv_text(rows)).encode())
    assert parsed.sample_rows[0].day == date(2026, 3, 1)
    assert parsed.totals["sessions"] == expected(BODY)["sessions"]


def test_text_in_sessions_names_line_and_column() -> None:
    body = [list(r) for r in BODY]
    body[2][HEADER.index("Sessions")] = "lots"
    data = "\n".join(COMMENTS) + "\n" + csv_text([HEADER, *body])
    with pytest.raises(ImportFormatError) as caught:
        read(data.encode())
    assert caught.value.line == len(COMMENTS) + 4
    assert caught.value.column == HEADER.index("Sessions") + 1


def test_rows_without_a_date_column_or_dated_comments_are_refused() -> None:
    data = "# Traffic acquisition\n# All Users\n" + csv_text([HEADER, *BODY])
    with pytest.raises(ImportFormatError) as caught:
        read(data.encode())
    assert caught.value.line == 4 and "no day" in caught.value.message

"""Meta Ads Manager campaign exports, with a Day breakdown or one row spanning the range.

The currency is in a header (`Amount spent (USD)`); `Results` counts the action named by
`Result indicator` (leads or purchases); some locales write semicolons and decimal commas.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from headway.results.sources.base import (
    Cells,
    FileInfo,
    ImportFormatError,
    Row,
    TotalsRow,
    cell,
    check_width,
    find_column,
    find_column_prefix,
    guess_number_format,
    is_blank,
    metrics_tuple,
    norm,
    number_samples,
    parse_day,
    peek,
)

SOURCE = "meta_ads"
LABEL = "Meta Ads"
_NO_DATA = "no data available"
_SPENT = re.compile(r"^amount spent \(([a-z]{3})\)$")


def _is_header(cells: list[str]) -> bool:
    labels = {norm(c) for c in cells}
    return "reporting starts" in labels and any(_SPENT.match(label) for label in labels)


def detect(head: list[Cells]) -> bool:
    for _, cells in head[:5]:
        if _is_header(cells) or (cells and norm(cells[0]).startswith(_NO_DATA)):
            return True
    return False


def _first_of(header: list[str], *names: str) -> int | None:
    """The column of the first name the header has (names in order of preference)."""
    for name in names:
        index = find_column(header, name)
        if index is not None:
            return index
    return None


def _indicator_metric(indicator: str) -> str | None:
    text = indicator.lower()
    if "lead" in text:
        return "leads"
    if "purchase" in text:
        return "conversions"
    return None


def parse(cells: Iterator[Cells]) -> Iterator[FileInfo | Row | TotalsRow]:
    header: list[str] | None = None
    for _, row in cells:
        if row and norm(row[0]).startswith(_NO_DATA):
            yield FileInfo(SOURCE, LABEL, notes=("Meta says: No data available.",))
            return
        if _is_header(row):
            header = row
            break
    if header is None:
        raise ImportFormatError(
            "no Meta Ads header row (Reporting starts, Amount spent) found.", line=1
        )
    spent = find_column_prefix(header, "amount spent (")
    assert spent is not None
    currency_match = _SPENT.match(norm(header[spent]))
    currency = currency_match.group(1).upper() if currency_match else ""
    cols = {
        "start": find_column(header, "reporting starts"),
        "end": find_column(header, "reporting ends"),
        "campaign": find_column(header, "campaign name"),
        "results": find_column(header, "results"),
        "indicator": find_column(header, "result indicator", "result type"),
    }
    metric_cols = {
        "spend": spent,
        "impressions": find_column(header, "impressions"),
        # link clicks when the export has them, wherever "Clicks (all)" stands
        "clicks": _first_of(header, "link clicks", "clicks (all)"),
        "leads": find_column(header, "leads"),
        "conversion_value": find_column(
            header, "purchases conversion value", "website purchases conversion value"
        ),
    }
    present = {m: i for m, i in metric_cols.items() if i is not None}
    if cols["start"] is None:
        raise ImportFormatError("the Meta Ads export has no 'Reporting starts' column.", line=1)
    if cols["end"] is None:
        cols["end"] = cols["start"]
    if cols["campaign"] is None:
        raise ImportFormatError("the Meta Ads export has no 'Campaign name' column.", line=1)
    buffered, rows = peek(cells, 200)
    samples = list(present.values()) + ([cols["results"]] if cols["results"] is not None else [])
    fmt = guess_number_format(number_samples(buffered, samples))
    start, end = _span(buffered, cols["start"], cols["end"], header)
    yield FileInfo(SOURCE, LABEL, period_start=start, period_end=end, currency=currency)
    for line, row in rows:
        if is_blank(row) or norm(row[0]).startswith(_NO_DATA):
            continue
        check_width(row, len(header), line)
        values: dict[str, Decimal | None] = {
            m: fmt.parse(row[i], line=line, column=i + 1, label=header[i])
            for m, i in present.items()
        }
        metric = _indicator_metric(cell(row, cols["indicator"]))
        if metric and cols["results"] is not None and values.get(metric) is None:
            i = cols["results"]
            values[metric] = fmt.parse(row[i], line=line, column=i + 1, label=header[i])
        campaign = cell(row, cols["campaign"]).strip()
        if not campaign:  # the summary line Meta writes above the campaigns
            yield TotalsRow(line, "Total", metrics_tuple(values))
            continue
        start = _day(row, cols["start"], header, line)
        end = _day(row, cols["end"], header, line)
        yield Row(
            line,
            start if start == end else None,
            campaign,
            "paid_social",
            currency,
            metrics_tuple(values),
        )


def _day(row: list[str], index: int | None, header: list[str], line: int) -> date:
    assert index is not None
    return parse_day(row[index], line=line, column=index + 1, label=header[index])


def _span(
    buffered: list[Cells], first: int | None, last: int | None, header: list[str]
) -> tuple[date | None, date | None]:
    """The period of an export without a Day breakdown; daily rows say it themselves."""
    starts: list[date] = []
    ends: list[date] = []
    for line, row in buffered:
        if is_blank(row) or len(row) < len(header):
            continue
        try:
            starts.append(_day(row, first, header, line))
            ends.append(_day(row, last, header, line))
        except ImportFormatError:
            continue
    if not starts or all(s == e for s, e in zip(starts, ends, strict=True)):
        return None, None
    return min(starts), max(ends)

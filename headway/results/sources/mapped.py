"""Any other CSV or XLSX, read through a column mapping the team gave once.

Pure: bytes and a mapping in, rows with line numbers out. The header row is found among the
first rows; numbers and dates are read as the other readers read them (decimal commas,
grouping, BOM and UTF-16 through the shared cell reader).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from headway.results.sources.base import (
    METRICS,
    Cells,
    FileInfo,
    ImportFormatError,
    Row,
    TotalsRow,
    check_width,
    guess_number_format,
    is_blank,
    is_xlsx,
    metrics_tuple,
    norm,
    number_samples,
    parse_day,
    peek,
    text_cells,
    xlsx_cells,
)
from headway.results.sources.plans import refuse_non_results

CAMPAIGN = "campaign"
DAY = "day"
PERIOD_START = "period_start"
PERIOD_END = "period_end"
CURRENCY = "currency"
IGNORE = "ignore"
#: What a column can be mapped to, with the label the mapping step shows.
TARGETS: dict[str, str] = {
    IGNORE: "ignore",
    CAMPAIGN: "campaign name",
    DAY: "day",
    PERIOD_START: "period start",
    PERIOD_END: "period end",
    CURRENCY: "currency",
    **{m: m.replace("_", " ") for m in METRICS},
}
_NUMBER = re.compile(r"^[\s\-+]?[\d.,\s\u00a0%]+$")
_TOTAL = ("total", "grand total", "totals", "summe", "gesamt", "total général")


@dataclass(frozen=True)
class MappingSpec:
    """A mapping as the reader needs it: the source it stands for and each column's target."""

    source: str
    label: str
    columns: tuple[tuple[str, str], ...]  # (header label, target)
    channel: str = "other"

    def target_of(self, label: str) -> str:
        wanted = norm(label)
        for header, target in self.columns:
            if norm(header) == wanted:
                return target
        return IGNORE


def signature(header: list[str]) -> str:
    """The header's signature: the set of its column names, compared loosely."""
    names = sorted({norm(c) for c in header if norm(c)})
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def _cells(data: bytes) -> Iterator[Cells]:
    if not data.strip(b"\x00\r\n\t \xef\xbb\xbf\xff\xfe"):
        raise ImportFormatError("the file is empty.", line=1)
    return xlsx_cells(data) if is_xlsx(data) else text_cells(data)


def _looks_like_header(cells: list[str], width: int) -> bool:
    labels = [c for c in cells if c.strip()]
    return len(labels) >= 2 and len(labels) == width and not any(_NUMBER.match(c) for c in labels)


def find_header(head: list[Cells]) -> tuple[int, list[str]] | None:
    """The header row: the first row as wide as the widest early row, with no number in it."""
    width = max((len([c for c in cells if c.strip()]) for _, cells in head), default=0)
    for line, cells in head:
        if _looks_like_header(cells, width):
            return line, [c.replace("\ufeff", "").strip() for c in cells]
    return None


def header_of(data: bytes) -> tuple[int, list[str]]:
    """A file's header row (line and labels), for the mapping step; a clear error if none
    (or if the file is no results export: a plan export, JSON)."""
    refuse_non_results(data)
    head, _ = peek(_cells(data), 40)
    found = find_header(head)
    if found is None:
        raise ImportFormatError(
            "no header row (a row of column names above the data) in the first 40 lines.",
            line=1,
        )
    return found


def parse(cells: Iterator[Cells], spec: MappingSpec) -> Iterator[FileInfo | Row | TotalsRow]:
    """Rows of a mapped file: each data row's campaign, day (or period) and metrics."""
    head, cells = peek(cells, 40)
    found = find_header(head)
    wanted = {norm(h) for h, t in spec.columns if t != IGNORE}
    if found is None or not wanted <= {norm(c) for c in found[1]}:
        missing = ", ".join(sorted(h for h, t in spec.columns if t != IGNORE))
        raise ImportFormatError(
            f"no header row with the columns the mapping “{spec.label}” reads ({missing}).",
            line=1,
        )
    header_line, header = found
    targets = {i: spec.target_of(label) for i, label in enumerate(header)}
    where = {t: i for i, t in targets.items() if t != IGNORE}
    metric_cols = {t: i for t, i in where.items() if t in METRICS}
    after = (item for item in cells if item[0] > header_line)
    buffered, rows = peek(after, 200)
    fmt = guess_number_format(number_samples(buffered, metric_cols.values()))
    day_first = _day_first(buffered, [where[t] for t in (DAY, PERIOD_START) if t in where])
    span = _span(buffered, where, header, day_first)
    yield FileInfo(spec.source, spec.label, period_start=span[0], period_end=span[1])
    campaign_col = where.get(CAMPAIGN)
    for line, row in rows:
        if is_blank(row):
            continue
        check_width(row, len(header), line)
        values: dict[str, Decimal | None] = {
            m: fmt.parse(row[i], line=line, column=i + 1, label=header[i])
            for m, i in metric_cols.items()
        }
        campaign = row[campaign_col].strip() if campaign_col is not None else ""
        if norm(campaign) in _TOTAL or (not campaign and _is_total(row)):
            yield TotalsRow(line, campaign or "Total", metrics_tuple(values))
            continue
        day = _row_day(row, where, header, line, day_first)
        currency = row[where[CURRENCY]].strip().upper()[:3] if CURRENCY in where else ""
        yield Row(line, day, campaign, spec.channel, currency, metrics_tuple(values))


def _is_total(row: list[str]) -> bool:
    return any(norm(c) in _TOTAL or norm(c).startswith("total") for c in row)


def _when(row: list[str], i: int, header: list[str], line: int, day_first: bool) -> date:
    return parse_day(row[i], line=line, column=i + 1, label=header[i], day_first=day_first)


def _row_day(
    row: list[str], where: dict[str, int], header: list[str], line: int, day_first: bool
) -> date | None:
    if DAY in where:
        return _when(row, where[DAY], header, line, day_first)
    start = _when(row, where[PERIOD_START], header, line, day_first)
    end = _when(row, where[PERIOD_END], header, line, day_first) if PERIOD_END in where else start
    return start if start == end else None


def _day_first(buffered: list[Cells], columns: list[int]) -> bool:
    """`13/03/2026` in the first rows means day/month/year for the whole file."""
    for _, row in buffered:
        for i in columns:
            parts = row[i].strip().split("/") if i < len(row) else []
            if len(parts) == 3 and parts[0].isdigit() and int(parts[0]) > 12:
                return True
    return False


def _span(
    buffered: list[Cells], where: dict[str, int], header: list[str], day_first: bool
) -> tuple[date | None, date | None]:
    """The period of a file without a day column, from its first rows' start and end."""
    if DAY in where or PERIOD_START not in where:
        return None, None
    starts: list[date] = []
    ends: list[date] = []
    end_col = where.get(PERIOD_END, where[PERIOD_START])
    for line, row in buffered:
        if is_blank(row) or len(row) < len(header):
            continue
        try:
            starts.append(_when(row, where[PERIOD_START], header, line, day_first))
            ends.append(_when(row, end_col, header, line, day_first))
        except ImportFormatError:
            continue
    if not starts or all(s == e for s, e in zip(starts, ends, strict=True)):
        return None, None
    return min(starts), max(ends)


def read_items(data: bytes, spec: MappingSpec) -> Iterator[FileInfo | Row | TotalsRow]:
    """The file's items through the mapping (what `sources.read` and `stream` consume)."""
    return parse(_cells(data), spec)

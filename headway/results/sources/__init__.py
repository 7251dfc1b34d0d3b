"""Readers for the exports teams download from their tools, detected from content.

`read(data)` reads a whole file once (rows counted, totals summed, campaigns summarised);
`stream(data)` reads what the file says before its rows and streams the rows once (storing);
`iter_rows(data)` streams its data rows again. All raise ImportFormatError with
the line and column of the first problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from headway.results.sources import ga4, google_ads, linkedin, mailchimp, mailchimp_report, meta_ads
from headway.results.sources.base import (
    METRICS,
    Cells,
    FileInfo,
    ImportFormatError,
    ParsedFile,
    Row,
    TotalsRow,
    is_xlsx,
    peek,
    text_cells,
    xlsx_cells,
)
from headway.results.sources.hubspot import Contacts, Deals
from headway.results.sources.mapped import MappingSpec, read_items
from headway.results.sources.plans import NotResults, refuse_non_results

__all__ = [
    "METRICS",
    "ImportFormatError",
    "MappingSpec",
    "NotResults",
    "ParsedFile",
    "Row",
    "TotalsRow",
    "UnknownLayout",
    "iter_rows",
    "read",
    "stream",
]


@dataclass(frozen=True)
class Parser:
    label: str
    detect: Callable[[list[Cells]], bool]
    parse: Callable[[Iterator[Cells]], Iterator[FileInfo | Row | TotalsRow]]


#: Most specific layouts first: Google Ads' labels are the loosest.
PARSERS = (
    Parser(mailchimp_report.LABEL, mailchimp_report.detect, mailchimp_report.parse),
    Parser(Contacts.LABEL, Contacts.detect, Contacts.parse),
    Parser(Deals.LABEL, Deals.detect, Deals.parse),
    Parser(meta_ads.LABEL, meta_ads.detect, meta_ads.parse),
    Parser(mailchimp.LABEL, mailchimp.detect, mailchimp.parse),
    Parser(ga4.LABEL, ga4.detect, ga4.parse),
    Parser(linkedin.LABEL, linkedin.detect, linkedin.parse),
    Parser(google_ads.LABEL, google_ads.detect, google_ads.parse),
)
KNOWN = ", ".join(p.label for p in PARSERS)
#: Rows read ahead to detect the layout: GA4 can put a month's chart table before its report.
HEAD_ROWS = 200


class UnknownLayout(ImportFormatError):
    """A layout no reader knows: the mapping step can read it once its columns are mapped."""


def known_layout(data: bytes) -> bool:
    """Whether a known reader detects the file (an unreadable file counts as known: reading
    it again says what is wrong, as does a plan export or JSON)."""
    try:
        refuse_non_results(data)
        cells = xlsx_cells(data) if is_xlsx(data) else text_cells(data)
        head, _ = peek(cells, HEAD_ROWS)
    except ImportFormatError:
        return True
    return any(parser.detect(head) for parser in PARSERS)


def _items(data: bytes, mapping: MappingSpec | None = None) -> Iterator[FileInfo | Row | TotalsRow]:
    refuse_non_results(data)
    if mapping is not None:
        return read_items(data, mapping)
    if not data.strip(b"\x00\r\n\t \xef\xbb\xbf\xff\xfe"):
        raise ImportFormatError("the file is empty.", line=1)
    cells = xlsx_cells(data) if is_xlsx(data) else text_cells(data)
    head, cells = peek(cells, HEAD_ROWS)
    for parser in PARSERS:
        if parser.detect(head):
            return parser.parse(cells)
    raise UnknownLayout(
        f"this layout is not one Headway reads ({KNOWN}). Map its columns once in the "
        "import page's mapping step (or give a mapping to the API or `headway import "
        "--mapping`), or export the campaign report from the tool as CSV or XLSX.",
        line=1,
        column=1,
    )


def read(data: bytes, *, keep: int = 500, mapping: MappingSpec | None = None) -> ParsedFile:
    """Read a whole export: its source, period, totals, campaigns and first `keep` rows."""
    items = _items(data, mapping)
    info = next(items)
    assert isinstance(info, FileInfo)
    parsed = ParsedFile(info)
    for item in items:
        if isinstance(item, Row):
            parsed.add(item, keep)
        elif isinstance(item, TotalsRow):
            parsed.totals_rows.append(item)
    parsed.totals = parsed.ordered_totals()
    return parsed


def stream(
    data: bytes, mapping: MappingSpec | None = None
) -> tuple[FileInfo, Iterator[Row | TotalsRow]]:
    """What the export says before its rows (source, period, currency), and its rows and
    totals rows streamed once (for storing without holding the file's rows)."""
    items = _items(data, mapping)
    info = next(items)
    assert isinstance(info, FileInfo)
    return info, items  # type: ignore[return-value]


def iter_rows(data: bytes) -> Iterator[Row]:
    """The export's data rows again, streamed (for storing a file already read)."""
    items = _items(data)
    next(items)
    for item in items:
        if isinstance(item, Row):
            yield item


def totals_row_sum(parsed: ParsedFile, metric: str) -> Decimal | None:
    """The first totals row's figure for a metric, when the tool wrote one."""
    for row in parsed.totals_rows:
        for name, value in row.metrics:
            if name == metric:
                return value
    return None

"""Mailchimp's single-campaign report: key-value blocks, then a `Clicks by URL` table.

Counts share a cell with their rate (`1469 (34.60%)`); its figures are the campaign's row in
`campaigns.csv`, so importing it replaces only that campaign's row for its send day.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from headway.results.sources.base import (
    Cells,
    FileInfo,
    ImportFormatError,
    Row,
    TotalsRow,
    is_blank,
    norm,
    parse_day,
)

SOURCE = "mailchimp"
LABEL = "Mailchimp (campaign report)"

_KEYS = {
    "total recipients": "recipients",
    "recipients who opened": "opens",
    "recipients who clicked": "email_clicks",
    "total unsubs": "unsubscribes",
}
_COUNT = re.compile(r"^\s*(\d[\d,]*)\s*(\([\d.,]+%\))?\s*$")


def detect(head: list[Cells]) -> bool:
    first = next((cells for _, cells in head if not is_blank(cells)), None)
    return first is not None and norm(" ".join(first)) == "email campaign report"


def parse(cells: Iterator[Cells]) -> Iterator[FileInfo | Row | TotalsRow]:
    facts: dict[str, tuple[int, str]] = {}
    links: Counter[str] = Counter()
    in_links = False
    for line, row in cells:
        if is_blank(row):
            continue
        key = norm(row[0]).rstrip(":")
        if key == "url" and len(row) >= 3:
            in_links = True
            continue
        if in_links and len(row) >= 3:
            links[_utm_campaign(row[0])] += _count(row[2], line, 3)
        elif len(row) >= 2:
            facts[key] = (line, row[1])
    if "title" not in facts:
        raise ImportFormatError("the campaign report has no 'Title:' line.", line=2)
    title_line, title = facts["title"]
    when = facts.get("delivery date/time") or facts.get("send date")
    if when is None:
        raise ImportFormatError(
            "the campaign report has no 'Delivery Date/Time:' line.", line=title_line
        )
    day = parse_day(when[1], line=when[0], column=2, label="Delivery Date/Time")
    metrics = tuple(
        (metric, Decimal(_count(facts[k][1], facts[k][0], 2)))
        for k, metric in _KEYS.items()
        if k in facts
    )
    notes = tuple(
        f"Links to {name or 'untagged pages'}: {clicks} unique clicks"
        for name, clicks in links.most_common()
    )
    yield FileInfo(SOURCE, LABEL, day, day, scope_campaigns=(title.strip(),), notes=notes)
    yield Row(title_line, day, title.strip(), "email", "", metrics)


def _count(text: str, line: int, column: int) -> int:
    match = _COUNT.match(text)
    if not match:
        raise ImportFormatError(f"'{text}' is not a count.", line=line, column=column)
    return int(match.group(1).replace(",", ""))


def _utm_campaign(url: str) -> str:
    values = parse_qs(urlsplit(url.strip()).query).get("utm_campaign")
    return values[0] if values else ""

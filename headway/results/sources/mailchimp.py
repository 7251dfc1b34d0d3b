"""Mailchimp's all-campaigns export (`campaigns.csv`): one row per sent campaign.

Opens and clicks are unique recipients; older exports say `List` instead of `Audience`.
"""

from __future__ import annotations

from collections.abc import Iterator

from headway.results.sources.base import (
    Cells,
    FileInfo,
    ImportFormatError,
    Row,
    TotalsRow,
    check_width,
    find_column,
    guess_number_format,
    is_blank,
    metrics_tuple,
    norm,
    number_samples,
    parse_day,
    peek,
    slash_day_first,
)

SOURCE = "mailchimp"
LABEL = "Mailchimp"

_METRIC_LABELS = {
    "recipients": ("total recipients", "emails sent"),
    "opens": ("unique opens",),
    "email_clicks": ("unique clicks",),
    "unsubscribes": ("unsubscribes", "total unsubs"),
    "conversions": ("total orders",),
    "conversion_value": ("total revenue",),
}


def _is_header(cells: list[str]) -> bool:
    labels = {norm(c) for c in cells}
    return "title" in labels and "total recipients" in labels and "send date" in labels


def detect(head: list[Cells]) -> bool:
    return any(_is_header(cells) for _, cells in head[:3])


def parse(cells: Iterator[Cells]) -> Iterator[FileInfo | Row | TotalsRow]:
    for _, row in cells:
        if _is_header(row):
            header = row
            break
    else:
        raise ImportFormatError("no Mailchimp header row (Title, Send Date) found.", line=1)
    title = find_column(header, "title")
    sent = find_column(header, "send date")
    assert title is not None and sent is not None
    metric_cols = {
        m: i
        for m, labels in _METRIC_LABELS.items()
        if (i := find_column(header, *labels)) is not None
    }
    buffered, rows = peek(cells, 200)
    fmt = guess_number_format(number_samples(buffered, metric_cols.values()))
    day_first = slash_day_first(r[sent] for _, r in buffered if len(r) > sent)
    yield FileInfo(SOURCE, LABEL)
    for line, row in rows:
        if is_blank(row):
            continue
        check_width(row, len(header), line)
        values = {
            m: fmt.parse(row[i], line=line, column=i + 1, label=header[i])
            for m, i in metric_cols.items()
        }
        day = parse_day(
            row[sent], line=line, column=sent + 1, label=header[sent], day_first=day_first
        )
        yield Row(line, day, row[title].strip(), "email", "", metrics_tuple(values))

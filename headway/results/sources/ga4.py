"""GA4 standard reports exported as CSV (traffic acquisition with session campaign).

A `#` comment preamble holds the date range as YYYYMMDD (labels in the UI's language, so the
dates are found by their shape); several tables may follow, separated by blank lines; a
`Grand total` row may be the first data row; older exports name key events `Conversions`.
"""

from __future__ import annotations

from collections.abc import Iterator

from headway.results.sources.base import (
    CHANNEL_BY_MEDIUM,
    Cells,
    FileInfo,
    ImportFormatError,
    Row,
    TotalsRow,
    cell,
    check_width,
    dates_in_text,
    find_column,
    guess_number_format,
    is_blank,
    metrics_tuple,
    norm,
    number_samples,
    parse_day,
    peek,
)

SOURCE = "ga4"
LABEL = "Google Analytics 4"

_SESSIONS = ("sessions", "sitzungen", "sesiones", "sessioni", "sessies", "sessões")
_METRIC_LABELS = {
    "sessions": _SESSIONS,
    "key_events": (
        "key events",
        "conversions",
        "schlüsselereignisse",
        "événements clés",
        "eventos clave",
        "conversiones",
    ),
    "conversion_value": ("total revenue", "gesamtumsatz", "revenu total", "ingresos totales"),
}
_CAMPAIGN = (
    "session campaign",
    "session campaign name",
    "campaign",
    "sitzungskampagne",
    "campagne de la session",
    "campaña de la sesión",
)
_SOURCE_MEDIUM = (
    "session source / medium",
    "source / medium",
    "sitzungsquelle/-medium",
    "source/support de la session",
    "fuente/medio de la sesión",
)
_GRAND_TOTAL = ("grand total", "gesamtsumme", "total général", "total", "totale", "totaal")


def _is_header(cells: list[str]) -> bool:
    return (
        find_column(cells, *_SESSIONS) is not None
        and find_column(cells, *_CAMPAIGN, *_SOURCE_MEDIUM) is not None
    )


def detect(head: list[Cells]) -> bool:
    comments = sum(1 for _, cells in head[:15] if cells and cells[0].startswith("#"))
    return comments > 0 and any(_is_header(cells) for _, cells in head[:40])


def _channel(source_medium: str) -> str:
    medium = source_medium.split("/")[-1].strip().lower()
    return CHANNEL_BY_MEDIUM.get(medium, "other")


def parse(cells: Iterator[Cells]) -> Iterator[FileInfo | Row | TotalsRow]:
    comments: list[str] = []
    for _, row in cells:
        if row and row[0].startswith("#"):
            comments.append(" ".join(row))
            continue
        if _is_header(row):
            header = row
            break
    else:
        raise ImportFormatError(
            "no GA4 table with Sessions and a campaign or source column found.", line=1
        )
    days = dates_in_text(" ".join(comments))
    metric_cols = {
        m: i
        for m, labels in _METRIC_LABELS.items()
        if (i := find_column(header, *labels)) is not None
    }
    campaign_col = find_column(header, *_CAMPAIGN)
    source_col = find_column(header, *_SOURCE_MEDIUM)
    date_col = find_column(header, "date", "datum", "fecha")
    buffered, rows = peek(cells, 200)
    fmt = guess_number_format(number_samples(buffered, metric_cols.values()))
    notes: list[str] = []
    if find_column(header, "conversions") is not None:
        notes.append("Older export: its Conversions are read as key events.")
    yield FileInfo(
        SOURCE,
        LABEL,
        period_start=days[0] if days else None,
        period_end=days[1] if len(days) > 1 else None,
        notes=tuple(notes),
    )
    for line, row in rows:
        if is_blank(row):
            break  # the first table is the report; later tables repeat it by other dimensions
        check_width(row, len(header), line)
        values = {
            m: fmt.parse(row[i], line=line, column=i + 1, label=header[i])
            for m, i in metric_cols.items()
        }
        if norm(row[0]) in _GRAND_TOTAL or not row[0].strip():
            yield TotalsRow(line, row[0].strip() or "Grand total", metrics_tuple(values))
            continue
        campaign = cell(row, campaign_col).strip()
        if campaign.startswith("(") and campaign.endswith(")"):
            campaign = ""  # (direct), (organic), (not set): not a campaign
        source_medium = cell(row, source_col).strip()
        day = None
        if date_col is not None:
            day = parse_day(row[date_col], line=line, column=date_col + 1, label=header[date_col])
        yield Row(
            line,
            day,
            campaign,
            _channel(source_medium),
            "",
            metrics_tuple(values),
            detail=source_medium,
        )

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
_CHANNEL_GROUP = (
    "session default channel group",
    "session primary channel group (default channel group)",
    "default channel group",
    "session primary channel group",
    "standard-channelgruppe der sitzung",
    "groupe de canaux par défaut de la session",
    "grupo de canales predeterminado de la sesión",
)
#: GA4's default channel groups, as Headway's channels.
_CHANNEL_BY_GROUP = {
    "paid search": "paid_search",
    "paid social": "paid_social",
    "paid shopping": "paid_search",
    "paid video": "paid_social",
    "email": "email",
    "organic search": "organic_search",
    "organic social": "organic_social",
    "organic shopping": "organic_search",
    "organic video": "organic_social",
    "direct": "direct",
    "referral": "referral",
}
_GRAND_TOTAL = ("grand total", "gesamtsumme", "total général", "total", "totale", "totaal")


def _is_header(cells: list[str]) -> bool:
    return (
        find_column(cells, *_SESSIONS) is not None
        and find_column(cells, *_CAMPAIGN, *_SOURCE_MEDIUM, *_CHANNEL_GROUP) is not None
    )


def detect(head: list[Cells]) -> bool:
    comments = sum(1 for _, cells in head[:15] if cells and cells[0].startswith("#"))
    return comments > 0 and any(_is_header(cells) for _, cells in head)


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
    group_col = find_column(header, *_CHANNEL_GROUP)
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
        group = cell(row, group_col).strip()
        channel = (
            _channel(source_medium)
            if source_medium or not group
            else _CHANNEL_BY_GROUP.get(group.lower(), "other")
        )
        day = None
        if date_col is None and len(days) < 2:
            raise ImportFormatError(
                "this row has no day: the report has no Date column and its # lines give no "
                "start and end dates. Export it again from GA4 (the export writes them).",
                line=line,
            )
        if date_col is not None:
            day = parse_day(row[date_col], line=line, column=date_col + 1, label=header[date_col])
        yield Row(
            line,
            day,
            campaign,
            channel,
            "",
            metrics_tuple(values),
            detail=source_medium or group,
        )

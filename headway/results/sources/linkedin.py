"""LinkedIn Campaign Manager campaign performance reports.

UTF-16 with TABs, a preamble (four lines and a blank, or five lines in older exports) before
the header. LinkedIn's campaign group is the marketing campaign; its "campaign" is an ad group.
"""

from __future__ import annotations

from collections.abc import Iterator

from headway.results.sources.base import (
    Cells,
    FileInfo,
    ImportFormatError,
    Row,
    TotalsRow,
    cell,
    check_width,
    dates_in_text,
    guess_number_format,
    is_blank,
    metrics_tuple,
    norm,
    number_samples,
    parse_day,
    peek,
    slash_day_first,
)

SOURCE = "linkedin"
LABEL = "LinkedIn Campaign Manager"

_LABELS: dict[str, dict[str, str]] = {
    "day": {
        "start date (in utc)": "en",
        "startdatum (in utc)": "de",
        "date de début (en utc)": "fr",
        "fecha de inicio (en utc)": "es",
        "data de início (em utc)": "pt",
        "data di inizio (in utc)": "it",
    },
    "group": {
        "campaign group name": "en",
        "name der kampagnengruppe": "de",
        "kampagnengruppenname": "de",
        "nom du groupe de campagnes": "fr",
        "nombre del grupo de campañas": "es",
        "nome do grupo de campanhas": "pt",
        "nome del gruppo di campagne": "it",
    },
    "campaign": {
        "campaign name": "en",
        "kampagnenname": "de",
        "name der kampagne": "de",
        "nom de la campagne": "fr",
        "nombre de la campaña": "es",
        "nome da campanha": "pt",
        "nome della campagna": "it",
    },
    "currency": {
        "currency": "en",
        "währung": "de",
        "devise": "fr",
        "moneda": "es",
        "moeda": "pt",
        "valuta": "it",
    },
    "spend": {
        "total spent": "en",
        "ausgaben insgesamt": "de",
        "gesamtausgaben": "de",
        "total dépensé": "fr",
        "importe total gastado": "es",
        "total gastado": "es",
        "total gasto": "pt",
        "valor total gasto": "pt",
        "totale speso": "it",
    },
    "impressions": {
        "impressions": "en",
        "impressionen": "de",
        "impresiones": "es",
        "impressões": "pt",
        "impressioni": "it",
    },
    "clicks": {"clicks": "en", "klicks": "de", "clics": "fr", "cliques": "pt", "clic": "it"},
    "conversions": {
        "conversions": "en",
        "conversiones": "es",
        "conversões": "pt",
        "conversioni": "it",
    },
    "leads": {"leads": "en", "prospects": "fr", "clientes potenciales": "es", "lead": "it"},
}
_METRICS = ("spend", "impressions", "clicks", "conversions", "leads")


def _columns(header: list[str]) -> tuple[dict[str, int], str]:
    found: dict[str, int] = {}
    votes: dict[str, int] = {}
    for index, label in enumerate(header):
        key = norm(label)
        for name, labels in _LABELS.items():
            if key in labels and name not in found:
                found[name] = index
                if labels[key] != "en":
                    votes[labels[key]] = votes.get(labels[key], 0) + 1
    return found, (max(votes, key=votes.__getitem__) if votes else "en")


def _is_header(cells: list[str]) -> bool:
    found, _ = _columns(cells)
    return "campaign" in found and "spend" in found


def detect(head: list[Cells]) -> bool:
    return any(_is_header(cells) for _, cells in head[:12])


def parse(cells: Iterator[Cells]) -> Iterator[FileInfo | Row | TotalsRow]:
    preamble: list[str] = []
    for _, row in cells:
        if _is_header(row):
            header = row
            break
        preamble.append(" ".join(row))
    else:
        raise ImportFormatError(
            "no LinkedIn header row (Campaign Name, Total Spent) found.", line=1
        )
    cols, locale = _columns(header)
    buffered, rows = peek(cells, 200)
    day_first = slash_day_first(
        (cell(r, cols.get("day")) for _, r in buffered), default=locale != "en"
    )
    days = dates_in_text(" ".join(preamble), day_first=day_first)
    metric_cols = {m: cols[m] for m in _METRICS if m in cols}
    fmt = guess_number_format(number_samples(buffered, metric_cols.values()), locale)
    currency = next(
        (
            cell(r, cols.get("currency")).strip()
            for _, r in buffered
            if cell(r, cols.get("currency"))
        ),
        "",
    )
    yield FileInfo(
        SOURCE,
        LABEL,
        period_start=days[0] if days else None,
        period_end=days[1] if len(days) > 1 else None,
        currency=currency,
        notes=()
        if "group" in cols
        else ("No campaign group columns: LinkedIn campaign names are used.",),
    )
    for line, row in rows:
        if is_blank(row):
            continue
        check_width(row, len(header), line)
        values = {
            m: fmt.parse(row[i], line=line, column=i + 1, label=header[i])
            for m, i in metric_cols.items()
        }
        day = None
        if "day" not in cols and len(days) < 2:
            raise ImportFormatError(
                "this row has no day: the report has no Start Date column and no report start "
                "and end dates above its header. Export it again from Campaign Manager.",
                line=line,
            )
        if "day" in cols:
            i = cols["day"]
            day = parse_day(row[i], line=line, column=i + 1, label=header[i], day_first=day_first)
        campaign = cell(row, cols["campaign"]).strip()
        group = cell(row, cols.get("group")).strip()
        yield Row(
            line,
            day,
            group or campaign,
            "paid_social",
            cell(row, cols.get("currency")).strip() or currency,
            metrics_tuple(values),
            detail=campaign if group else "",
        )

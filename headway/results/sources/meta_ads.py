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
    guess_number_format,
    is_blank,
    metrics_tuple,
    norm,
    number_samples,
    parse_day,
    peek,
    slash_day_first,
)

SOURCE = "meta_ads"
LABEL = "Meta Ads"
#: Ads Manager's labels in the UI languages Headway reads (English first).
_NO_DATA = (
    "no data available",
    "keine daten verfügbar",
    "aucune donnée disponible",
    "no hay datos disponibles",
    "nessun dato disponibile",
    "nenhum dado disponível",
    "geen gegevens beschikbaar",
)
_SPENT = re.compile(
    r"^(?:amount spent|ausgegebener betrag|montant dépensé|importe gastado|importo speso"
    r"|valor usado|valor gasto|besteed bedrag) \(([a-z]{3})\)$"
)
_STARTS = (
    "reporting starts",
    "berichtsbeginn",
    "début des rapports",
    "inicio del informe",
    "inizio report",
    "início dos relatórios",
    "begin rapportage",
)
_ENDS = (
    "reporting ends",
    "berichtsende",
    "fin des rapports",
    "fin del informe",
    "fine report",
    "término dos relatórios",
    "fim dos relatórios",
    "einde rapportage",
)
_CAMPAIGN = (
    "campaign name",
    "kampagnenname",
    "nom de la campagne",
    "nombre de la campaña",
    "nome della campagna",
    "nome da campanha",
    "campagnenaam",
)
_RESULTS = ("results", "ergebnisse", "résultats", "resultados", "risultati", "resultaten")
_INDICATOR = (
    "result indicator",
    "result type",
    "ergebnisindikator",
    "ergebnistyp",
    "indicateur de résultats",
    "type de résultat",
    "indicador de resultado",
    "indicador de resultados",
    "tipo de resultado",
    "indicatore dei risultati",
    "tipo di risultato",
    "resultaatindicator",
    "resultaattype",
)
_IMPRESSIONS = (
    "impressions",
    "impressionen",
    "impresiones",
    "impression",
    "impressioni",
    "impressões",
    "weergaven",
)
_LINK_CLICKS = (
    "link clicks",
    "link-klicks",
    "clics sur un lien",
    "clics en el enlace",
    "clic sul link",
    "cliques no link",
    "linkklikken",
    "klikken op link",
)
_ALL_CLICKS = (
    "clicks (all)",
    "klicks (alle)",
    "clics (tous)",
    "clics (todos)",
    "clic (tutti)",
    "cliques (todos)",
    "klikken (alle)",
)
_PURCHASE_WORDS = ("purchase", "käufe", "kauf", "achat", "compra", "acquist", "aankop")


def _no_data(cells: list[str]) -> bool:
    return bool(cells) and norm(cells[0]).startswith(_NO_DATA)


def _is_header(cells: list[str]) -> bool:
    labels = {norm(c) for c in cells}
    return any(s in labels for s in _STARTS) and any(_SPENT.match(label) for label in labels)


def detect(head: list[Cells]) -> bool:
    return any(_is_header(cells) or _no_data(cells) for _, cells in head[:5])


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
    if any(word in text for word in _PURCHASE_WORDS):
        return "conversions"
    return None


def parse(cells: Iterator[Cells]) -> Iterator[FileInfo | Row | TotalsRow]:
    header: list[str] | None = None
    for _, row in cells:
        if _no_data(row):
            yield FileInfo(SOURCE, LABEL, notes=("Meta says: No data available.",))
            return
        if _is_header(row):
            header = row
            break
    if header is None:
        raise ImportFormatError(
            "no Meta Ads header row (Reporting starts, Amount spent) found.", line=1
        )
    spent = next(i for i, label in enumerate(header) if _SPENT.match(norm(label)))
    currency_match = _SPENT.match(norm(header[spent]))
    currency = currency_match.group(1).upper() if currency_match else ""
    cols = {
        "start": find_column(header, *_STARTS),
        "end": find_column(header, *_ENDS),
        "campaign": find_column(header, *_CAMPAIGN),
        "results": find_column(header, *_RESULTS),
        "indicator": find_column(header, *_INDICATOR),
    }
    metric_cols = {
        "spend": spent,
        "impressions": find_column(header, *_IMPRESSIONS),
        # link clicks when the export has them, wherever "Clicks (all)" stands
        "clicks": _first_of(header, *_LINK_CLICKS, *_ALL_CLICKS),
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
    day_first = slash_day_first(
        cell(r, i) for _, r in buffered for i in (cols["start"], cols["end"])
    )
    start, end = _span(buffered, cols["start"], cols["end"], header, day_first)
    yield FileInfo(SOURCE, LABEL, period_start=start, period_end=end, currency=currency)
    for line, row in rows:
        if is_blank(row) or _no_data(row):
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
        start = _day(row, cols["start"], header, line, day_first)
        end = _day(row, cols["end"], header, line, day_first)
        yield Row(
            line,
            start if start == end else None,
            campaign,
            "paid_social",
            currency,
            metrics_tuple(values),
        )


def _day(row: list[str], index: int | None, header: list[str], line: int, day_first: bool) -> date:
    assert index is not None
    return parse_day(
        row[index], line=line, column=index + 1, label=header[index], day_first=day_first
    )


def _span(
    buffered: list[Cells],
    first: int | None,
    last: int | None,
    header: list[str],
    day_first: bool,
) -> tuple[date | None, date | None]:
    """The period of an export without a Day breakdown; daily rows say it themselves."""
    starts: list[date] = []
    ends: list[date] = []
    for line, row in buffered:
        if is_blank(row) or len(row) < len(header):
            continue
        try:
            start = _day(row, first, header, line, day_first)
            end = _day(row, last, header, line, day_first)
        except ImportFormatError:
            continue  # the row's own reading says what is wrong with it
        starts.append(start)
        ends.append(end)
    if not starts or all(s == e for s, e in zip(starts, ends, strict=True)):
        return None, None
    return min(starts), max(ends)

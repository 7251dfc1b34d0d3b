"""Google Ads campaign reports (`Campaign report.csv`), in any UI language, with or without Day.

Layout: a title line and a date-range line, the header, one row per campaign (and day), then
`Total: ...` rows. The "Excel" download is UTF-16 with TABs; numbers follow the UI's locale.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

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
    norm,
    number_samples,
    parse_day,
    peek,
    slash_day_first,
)

SOURCE = "google_ads"
LABEL = "Google Ads"

#: Header labels in the UI languages Headway reads, with the locale each one implies.
_LABELS: dict[str, dict[str, str]] = {
    "day": {
        "day": "en",
        "tag": "de",
        "jour": "fr",
        "día": "es",
        "giorno": "it",
        "dag": "nl",
        "dia": "pt",
        "日": "ja",
        "日付": "ja",
    },
    "campaign": {
        "campaign": "en",
        "kampagne": "de",
        "campagne": "fr",
        "campaña": "es",
        "campagna": "it",
        "campanha": "pt",
        "キャンペーン": "ja",
    },
    "currency": {
        "currency code": "en",
        "currency": "en",
        "währungscode": "de",
        "währung": "de",
        "code de la devise": "fr",
        "devise": "fr",
        "código de moneda": "es",
        "moneda": "es",
        "codice valuta": "it",
        "valuta": "it",
        "valutacode": "nl",
        "código da moeda": "pt",
        "moeda": "pt",
        "code devise": "fr",
        "通貨コード": "ja",
        "通貨": "ja",
    },
    "impressions": {
        "impr.": "en",
        "impressions": "en",
        "impressionen": "de",
        "impresiones": "es",
        "impressioni": "it",
        "vertoningen": "nl",
        "impressões": "pt",
        "vert.": "nl",
        "表示回数": "ja",
    },
    "clicks": {
        "clicks": "en",
        "klicks": "de",
        "clics": "fr",
        "clic": "it",
        "klikken": "nl",
        "cliques": "pt",
        "クリック数": "ja",
    },
    "spend": {
        "cost": "en",
        "kosten": "de",
        "coût": "fr",
        "coste": "es",
        "costo": "it",
        "custo": "pt",
        "費用": "ja",
    },
    "conversions": {
        "conversions": "en",
        "conversiones": "es",
        "conversioni": "it",
        "conversies": "nl",
        "conversões": "pt",
        "コンバージョン": "ja",
    },
    "conversion_value": {
        "conv. value": "en",
        "conversion value": "en",
        "conv.-wert": "de",
        "conversion-wert": "de",
        "valeur de conv.": "fr",
        "valor de conv.": "es",
        "valore conv.": "it",
        "conv.waarde": "nl",
        "conversiewaarde": "nl",
        "valor conv.": "pt",
        "valor da conv.": "pt",
        "コンバージョン値": "ja",
    },
}
_TOTAL_WORDS = ("total", "gesamt", "insgesamt", "totale", "totaal", "summe", "合計")
_METRICS = ("impressions", "clicks", "spend", "conversions", "conversion_value")


#: A currency written into a money column's label: `Cost (EUR)`, `Kosten (EUR)`.
_LABEL_CURRENCY = re.compile(r"\s*\(([a-z]{3})\)$")


def _columns(header: list[str]) -> tuple[dict[str, int], str]:
    found: dict[str, int] = {}
    votes: dict[str, int] = {}
    for index, label in enumerate(header):
        key = _LABEL_CURRENCY.sub("", norm(label))
        for name, labels in _LABELS.items():
            if key in labels and name not in found:
                found[name] = index
                votes[labels[key]] = votes.get(labels[key], 0) + 1
    foreign = {k: v for k, v in votes.items() if k != "en"}
    locale = max(foreign, key=foreign.__getitem__) if foreign else "en"
    return found, locale


def _is_header(cells: list[str]) -> bool:
    found, _ = _columns(cells)
    return "campaign" in found and "spend" in found and "impressions" in found


def detect(head: list[Cells]) -> bool:
    return any(_is_header(cells) for _, cells in head[:12])


def _is_total(first: str) -> bool:
    """`Total: Account`, `Total : compte` (French), `合計\uff1aアカウント` (full-width colon)."""
    if ":" not in first and "\uff1a" not in first:  # most rows: no label at all
        return False
    text = norm(first).replace("\uff1a", ":")
    return ":" in text and text.split(":")[0].strip() in _TOTAL_WORDS


def parse(cells: Iterator[Cells]) -> Iterator[FileInfo | Row | TotalsRow]:
    preamble: list[str] = []
    for _, row in cells:
        if _is_header(row):
            header = row
            break
        preamble.append(" ".join(row))
    else:
        raise ImportFormatError("no Google Ads header row (Campaign, Impr., Cost) found.", line=1)
    cols, locale = _columns(header)
    buffered, rows = peek(cells, 200)
    day_first = slash_day_first(
        (cell(r, cols.get("day")) for _, r in buffered), default=locale != "en"
    )
    days = dates_in_text(" ".join(preamble), day_first=day_first)
    metric_cols = {m: cols[m] for m in _METRICS if m in cols}
    fmt = guess_number_format(number_samples(buffered, metric_cols.values()), locale)
    first_currency = next(
        (cell(r, cols.get("currency")) for _, r in buffered if cell(r, cols.get("currency"))), ""
    )
    in_label = _LABEL_CURRENCY.search(norm(header[cols["spend"]]))
    if in_label and not first_currency.strip():  # no currency column: `Cost (EUR)` says it
        first_currency = in_label.group(1).upper()
    yield FileInfo(
        SOURCE,
        LABEL,
        period_start=days[0] if days else None,
        period_end=days[1] if len(days) > 1 else (days[0] if days else None),
        currency=first_currency.strip(),
        notes=() if "day" in cols else ("No Day column: each row covers the whole period.",),
        metrics=tuple(metric_cols),
    )
    read_metrics = fmt.metrics_reader((m, i, header[i]) for m, i in metric_cols.items())
    width = len(header)
    campaign_col, currency_col = cols["campaign"], cols.get("currency")
    day_col = cols.get("day")
    day_label = header[day_col] if day_col is not None else ""
    read_days: dict[str, date] = {}  # a day's cell is read once per file
    for line, row in rows:
        if len(row) < width or not row[0].strip():  # blank lines are skipped, short ones refused
            if is_blank(row):
                continue
            check_width(row, width, line)
        metrics = read_metrics(row, line)
        if _is_total(row[0]):
            yield TotalsRow(line, row[0].strip(), metrics)
            continue
        day = None
        if day_col is None:
            if not days:
                raise ImportFormatError(
                    "this row covers the report's whole period, but the report names no dates "
                    "(no Day column, and no date range above the header). Download it for a "
                    "date range or segmented by Day.",
                    line=line,
                )
        else:
            text = row[day_col]
            day = read_days.get(text)
            if day is None:
                day = read_days[text] = parse_day(
                    text, line=line, column=day_col + 1, label=day_label, day_first=day_first
                )
        currency = row[currency_col].strip() if currency_col is not None else ""
        yield Row(
            line,
            day,
            row[campaign_col].strip(),
            "paid_search",
            currency or first_currency,
            metrics,
        )

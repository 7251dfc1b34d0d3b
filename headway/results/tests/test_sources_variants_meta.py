"""Meta Ads Manager exports as users bring them, built from the sample: no breakdown (one row
per campaign for the range, with Meta's summary line), semicolons and decimal commas, EUR and
GBP in the headers, `No data available.`, other column orders and extra columns. The expected
totals are summed here from the sample."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from headway.results.sources import ImportFormatError, read

D = Decimal
SAMPLE = Path(
    "/work/shared/fixtures/meta-ads/Harbor-and-Pine-Campaigns-1-Mar-2026-31-Mar-2026.csv"
).read_bytes()
_ALL = list(csv.reader(io.StringIO(SAMPLE.decode())))
HEADER = _ALL[0]
BODY = [r for r in _ALL[1:] if r]


def get(row: list[str], label: str) -> str:
    return row[HEADER.index(label)]


def dec(text: str) -> Decimal:
    return D(text) if text.strip() else D(0)


def sums(rows: list[list[str]]) -> dict[str, Decimal]:
    """What the reader must find: spend, impressions, link clicks, and Results split by what
    `Result indicator` names (leads, purchases)."""
    out = {
        "impressions": sum((dec(get(r, "Impressions")) for r in rows), D(0)),
        "clicks": sum((dec(get(r, "Link clicks")) for r in rows), D(0)),
        "spend": sum((dec(get(r, "Amount spent (USD)")) for r in rows), D(0)),
        "conversions": sum(
            (dec(get(r, "Results")) for r in rows if "purchase" in get(r, "Result indicator")),
            D(0),
        ),
        "leads": sum(
            (dec(get(r, "Results")) for r in rows if "lead" in get(r, "Result indicator")),
            D(0),
        ),
    }
    return {k: v for k, v in out.items() if v or k in ("impressions", "clicks", "spend")}


def campaigns() -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for r in BODY:
        out.setdefault(get(r, "Campaign name"), []).append(r)
    return out


def comma(value: Decimal, places: int = 2, group: str = "") -> str:
    """A number as a decimal-comma locale writes it (`1.234,56`)."""
    whole, _, fraction = f"{value:.{places}f}".partition(".")
    if group:
        parts: list[str] = []
        while len(whole) > 3:
            parts.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = group.join([whole, *parts])
    return whole + ("," + fraction if fraction else "")


def write(rows: list[list[str]], delimiter: str = ",", crlf: bool = False) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n").writerows(rows)
    return out.getvalue().encode()


def test_expected_totals_are_the_samples() -> None:
    # the numbers the variants below must reproduce, summed from the sample by hand
    expected = sums(BODY)
    assert expected["spend"] == sum(D(r[13]) for r in BODY)
    assert set(expected) == {"impressions", "clicks", "spend", "conversions", "leads"}


def whole_range_rows(currency: str) -> list[list[str]]:
    """No breakdown: one row per campaign spanning the range, after Meta's summary line."""
    header = [
        "Campaign name",
        "Reporting starts",
        "Reporting ends",
        "Result indicator",
        "Results",
        "Reach",
        "Frequency",
        "Impressions",
        f"CPM (cost per 1,000 impressions) ({currency})",
        "Clicks (all)",
        "Link clicks",
        f"Amount spent ({currency})",
        "Ends",
    ]
    total = sums(BODY)
    rows = [
        header,
        [
            "",
            "2026-03-01",
            "2026-03-31",
            "",
            "",
            "30000",
            "2.41",
            str(total["impressions"]),
            f"{total['spend'] * 1000 / total['impressions']:.2f}",
            str(total["clicks"] * 2),
            str(total["clicks"]),
            str(total["spend"]),
            "",
        ],
    ]
    for name, group in campaigns().items():
        part = sums(group)
        indicator = get(group[0], "Result indicator") or get(group[-1], "Result indicator")
        results = part.get("leads", D(0)) + part.get("conversions", D(0))
        rows.append(
            [
                name,
                "2026-03-01",
                "2026-03-31",
                indicator,
                str(results),
                "12000",
                "1.87",
                str(part["impressions"]),
                f"{part['spend'] * 1000 / part['impressions']:.2f}",
                str(part["clicks"] * 2),  # all clicks: not the link clicks Headway reads
                str(part["clicks"]),
                str(part["spend"]),
                "Ongoing",
            ]
        )
    return rows


def test_no_breakdown_one_row_per_campaign_for_the_range() -> None:
    parsed = read(write(whole_range_rows("USD")))
    assert parsed.source == "meta_ads" and parsed.info.currency == "USD"
    assert parsed.rows_count == len(campaigns()) == 3
    assert all(r.day is None for r in parsed.sample_rows)
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    # each campaign is wholly leads or wholly purchases in the sample
    for name, group in campaigns().items():
        assert len({get(r, "Result indicator") for r in group} - {""}) == 1
        summary = parsed.campaigns[(name, "paid_social", "USD")]
        assert summary.totals == sums(group)
    assert parsed.totals == sums(BODY)
    # Meta's summary line (no campaign name) is kept apart, not summed
    assert [t.label for t in parsed.totals_rows] == ["Total"]
    assert dict(parsed.totals_rows[0].metrics)["spend"] == sums(BODY)["spend"]


@pytest.mark.parametrize("currency", ["EUR", "GBP"])
def test_semicolons_decimal_commas_and_currency_in_the_headers(currency: str) -> None:
    rows = whole_range_rows(currency)
    spend_col = rows[0].index(f"Amount spent ({currency})")
    cpm_col = rows[0].index(f"CPM (cost per 1,000 impressions) ({currency})")
    for row in rows[1:]:
        row[spend_col] = comma(D(row[spend_col]), group=".")
        row[cpm_col] = comma(D(row[cpm_col]))
        row[rows[0].index("Frequency")] = comma(D(row[rows[0].index("Frequency")]))
        impressions = rows[0].index("Impressions")
        row[impressions] = comma(D(row[impressions]), 0, ".")
    data = write(rows, ";", crlf=True)
    assert b";2.063,17;" in data and b";1.159,38;" in data  # grouped thousands, decimal commas
    parsed = read(data)
    assert parsed.source == "meta_ads" and parsed.info.currency == currency
    assert parsed.currencies == [currency]
    assert parsed.totals == sums(BODY)
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))


def test_daily_sample_with_semicolons_and_decimal_commas() -> None:
    rows = [list(r) for r in _ALL if r]
    rows[0] = [c.replace("(USD)", "(EUR)") for c in rows[0]]
    for row in rows[1:]:
        for label in ("Amount spent (USD)", "Cost per results"):
            i = HEADER.index(label)
            if row[i]:
                row[i] = row[i].replace(".", ",")
    parsed = read(write(rows, ";"))
    assert parsed.info.currency == "EUR" and parsed.rows_count == len(BODY)
    assert parsed.totals == sums(BODY)
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert all(r.day is not None for r in parsed.sample_rows)


def test_other_column_order_with_extra_columns() -> None:
    order = [
        "Amount spent (USD)",
        "Campaign name",
        "Link clicks",
        "Impressions",
        "Reporting ends",
        "Result indicator",
        "Reach",
        "Results",
        "Reporting starts",
        "Cost per results",
    ]
    extra = ["Frequency", "CPM (cost per 1,000 impressions) (USD)", "Clicks (all)", "CTR (all)"]
    rows = [order + extra]
    for r in BODY:
        rows.append([get(r, c) for c in order] + ["1.62", "4.50", "999", "1.23%"])
    parsed = read(write(rows))
    assert parsed.source == "meta_ads" and parsed.rows_count == len(BODY)
    assert parsed.totals == sums(BODY)  # link clicks, not the "Clicks (all)" column
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))


def test_clicks_all_before_link_clicks_reads_link_clicks() -> None:
    rows = [["Clicks (all)", *HEADER]] + [["999", *r] for r in BODY]
    assert read(write(rows)).totals["clicks"] == sums(BODY)["clicks"]


def test_newer_result_type_column_names_the_action() -> None:
    rows = [
        [
            "Campaign name",
            "Reporting starts",
            "Reporting ends",
            "Result type",
            "Results",
            "Impressions",
            "Link clicks",
            "Amount spent (EUR)",
        ],
        ["Webinar", "2026-03-01", "2026-03-31", "Leads (form)", "7", "1000", "20", "50.10"],
        ["Shop", "2026-03-01", "2026-03-31", "Website purchases", "3", "2000", "40", "80.00"],
    ]
    parsed = read(write(rows))
    assert parsed.totals == {
        "impressions": D(3000),
        "clicks": D(60),
        "spend": D("130.10"),
        "conversions": D(3),
        "leads": D(7),
    }


@pytest.mark.parametrize(
    "data",
    [
        b"No data available.\n",
        b"No data available.",
        b"\xef\xbb\xbfNo data available.\r\n",
        b'"No data available."\n',
    ],
)
def test_no_data_available_reads_as_an_empty_meta_export(data: bytes) -> None:
    parsed = read(data)
    assert parsed.source == "meta_ads" and parsed.rows_count == 0 and parsed.totals == {}


def test_header_then_no_data_available() -> None:
    parsed = read(write([HEADER, ["No data available."]]))
    assert parsed.source == "meta_ads" and parsed.rows_count == 0 and parsed.totals == {}


def test_english_thousands_in_a_decimal_comma_meta_file_is_refused() -> None:
    rows = whole_range_rows("EUR")
    spend_col = rows[0].index("Amount spent (EUR)")
    rows[1][spend_col] = comma(D(rows[1][spend_col]), group=".")
    rows[2][spend_col] = "1,234.56"
    with pytest.raises(ImportFormatError) as caught:
        read(write(rows, ";"))
    assert (caught.value.line, caught.value.column) == (3, spend_col + 1)


#: The sample's header in other UI languages (the Result indicator keeps Meta's action names).
TRANSLATED = {
    "de": [
        "Berichtsbeginn",
        "Berichtsende",
        "Kampagnenname",
        "Kampagnenauslieferung",
        "Anzeigengruppenbudget",
        "Art des Anzeigengruppenbudgets",
        "Attributionseinstellung",
        "Ergebnisse",
        "Ergebnisindikator",
        "Reichweite",
        "Impressionen",
        "Link-Klicks",
        "Kosten pro Ergebnis",
        "Ausgegebener Betrag (EUR)",
        "Ende",
    ],
    "fr": [
        "Début des rapports",
        "Fin des rapports",
        "Nom de la campagne",
        "Diffusion de la campagne",
        "Budget de l'ensemble de publicités",
        "Type de budget de l'ensemble de publicités",
        "Paramètre d'attribution",
        "Résultats",
        "Indicateur de résultats",
        "Couverture",
        "Impressions",
        "Clics sur un lien",
        "Coût par résultat",
        "Montant dépensé (EUR)",
        "Fin",
    ],
    "es": [
        "Inicio del informe",
        "Fin del informe",
        "Nombre de la campaña",
        "Entrega de la campaña",
        "Presupuesto del conjunto de anuncios",
        "Tipo de presupuesto del conjunto de anuncios",
        "Configuración de atribución",
        "Resultados",
        "Indicador de resultado",
        "Alcance",
        "Impresiones",
        "Clics en el enlace",
        "Costo por resultado",
        "Importe gastado (EUR)",
        "Finalización",
    ],
}


@pytest.mark.parametrize("code", sorted(TRANSLATED))
def test_headers_in_the_ui_language_with_semicolons_and_decimal_commas(code: str) -> None:
    header = TRANSLATED[code]
    assert len(header) == len(HEADER)
    rows = [header]
    for r in BODY:
        out = list(r)
        for label in ("Amount spent (USD)", "Cost per results"):
            i = HEADER.index(label)
            out[i] = out[i].replace(".", ",")
        rows.append(out)
    parsed = read(write(rows, ";", crlf=True))
    assert parsed.source == "meta_ads" and parsed.info.currency == "EUR"
    assert parsed.rows_count == len(BODY) and parsed.totals == sums(BODY)
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))


@pytest.mark.parametrize(
    "line", ["Keine Daten verfügbar.", "Aucune donnée disponible.", "No hay datos disponibles."]
)
def test_no_data_available_in_the_ui_language(line: str) -> None:
    parsed = read(line.encode() + b"\r\n")
    assert parsed.source == "meta_ads" and parsed.rows_count == 0


def test_day_first_reporting_dates() -> None:
    rows = whole_range_rows("GBP")
    for row in rows[1:]:
        row[1], row[2] = "01/03/2026", "31/03/2026"
    parsed = read(write(rows))
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert parsed.totals == sums(BODY)

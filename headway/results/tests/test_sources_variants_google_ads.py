"""Google Ads campaign reports as users bring them, built from the sample: seven UI languages
with their labels, numbers and date lines, the UTF-16/TAB "Excel" download, Windows line
endings, no Day column, user-chosen columns in another order, no currency column, an empty
report. The expected totals are summed here from the English sample, not by the reader."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from headway.results.sources import ImportFormatError, read

D = Decimal
SAMPLE = Path("/work/shared/fixtures/google-ads/Campaign report.csv").read_bytes()
_ALL = list(csv.reader(io.StringIO(SAMPLE.decode())))
HEADER = _ALL[2]
BODY = [r for r in _ALL[3:] if r and not r[0].startswith("Total:")]
METRICS = {
    "impressions": "Impr.",
    "clicks": "Clicks",
    "spend": "Cost",
    "conversions": "Conversions",
    "conversion_value": "Conv. value",
}


def value(row: list[str], label: str) -> Decimal | None:
    text = row[HEADER.index(label)].strip()
    return None if text == "--" else D(text.replace(",", "").rstrip("%"))


def expected_totals(rows: list[list[str]]) -> dict[str, Decimal]:
    return {m: sum((value(r, label) or D(0) for r in rows), D(0)) for m, label in METRICS.items()}


def per_campaign(rows: list[list[str]]) -> dict[str, dict[str, Decimal]]:
    out: dict[str, dict[str, Decimal]] = {}
    for r in rows:
        sums = out.setdefault(r[HEADER.index("Campaign")], {m: D(0) for m in METRICS})
        for m, label in METRICS.items():
            sums[m] += value(r, label) or D(0)
    return out


@dataclass(frozen=True)
class Lang:
    code: str
    labels: dict[str, str]  # English label -> the UI's label
    decimal: str
    group: str
    title: str
    period: str
    totals: tuple[str, str, str]  # Total: Campaigns, Total: Search, Total: Account
    day: str  # strftime format of the Day column


EN_LABELS = [
    "Day",
    "Campaign",
    "Campaign status",
    "Impr.",
    "Clicks",
    "Interaction rate",
    "Currency code",
    "Cost",
    "Conversions",
    "Conv. value",
    "Search impr. share",
    "Cost / conv.",
    "Avg. CPC",
]

LANGS = {
    "en": Lang(
        "en",
        dict(zip(EN_LABELS, EN_LABELS, strict=True)),
        ".",
        ",",
        "Campaign report",
        "March 1, 2026 - March 31, 2026",
        ("Total: Campaigns", "Total: Search", "Total: Account"),
        "%Y-%m-%d",
    ),
    "de": Lang(
        "de",
        dict(
            zip(
                EN_LABELS,
                [
                    "Tag",
                    "Kampagne",
                    "Kampagnenstatus",
                    "Impr.",
                    "Klicks",
                    "Interaktionsrate",
                    "Währungscode",
                    "Kosten",
                    "Conversions",
                    "Conv.-Wert",
                    "Anteil an möglichen Impressionen im Suchnetzwerk",
                    "Kosten/Conv.",
                    "Durchschn. CPC",
                ],
                strict=True,
            )
        ),
        ",",
        ".",
        "Kampagnenbericht",
        "1. März 2026 - 31. März 2026",
        ("Gesamt: Kampagnen", "Gesamt: Suchnetzwerk", "Gesamt: Konto"),
        "%d.%m.%Y",
    ),
    "fr": Lang(
        "fr",
        dict(
            zip(
                EN_LABELS,
                [
                    "Jour",
                    "Campagne",
                    "État de la campagne",
                    "Impr.",
                    "Clics",
                    "Taux d'interaction",
                    "Code de la devise",
                    "Coût",
                    "Conversions",
                    "Valeur de conv.",
                    "Taux d'impr. sur le Réseau de Recherche",
                    "Coût/conv.",
                    "CPC moy.",
                ],
                strict=True,
            )
        ),
        ",",
        "\u202f",
        "Rapport sur les campagnes",
        "1 mars 2026 - 31 mars 2026",
        ("Total : campagnes", "Total : Réseau de Recherche", "Total : compte"),
        "%d/%m/%Y",
    ),
    "es": Lang(
        "es",
        dict(
            zip(
                EN_LABELS,
                [
                    "Día",
                    "Campaña",
                    "Estado de la campaña",
                    "Impr.",
                    "Clics",
                    "Porcentaje de interacción",
                    "Código de moneda",
                    "Coste",
                    "Conversiones",
                    "Valor de conv.",
                    "Cuota de impresiones de búsqueda",
                    "Coste/conv.",
                    "CPC medio",
                ],
                strict=True,
            )
        ),
        ",",
        ".",
        "Informe de campañas",
        "1 de marzo de 2026 - 31 de marzo de 2026",
        ("Total: campañas", "Total: Búsqueda", "Total: cuenta"),
        "%d/%m/%Y",
    ),
    "pt": Lang(
        "pt",
        dict(
            zip(
                EN_LABELS,
                [
                    "Dia",
                    "Campanha",
                    "Status da campanha",
                    "Impr.",
                    "Cliques",
                    "Taxa de interação",
                    "Código da moeda",
                    "Custo",
                    "Conversões",
                    "Valor conv.",
                    "Parcela de impressões de pesquisa",
                    "Custo/conv.",
                    "CPC méd.",
                ],
                strict=True,
            )
        ),
        ",",
        ".",
        "Relatório de campanhas",
        "1 de março de 2026 - 31 de março de 2026",
        ("Total: campanhas", "Total: Pesquisa", "Total: conta"),
        "%Y-%m-%d",
    ),
    "it": Lang(
        "it",
        dict(
            zip(
                EN_LABELS,
                [
                    "Giorno",
                    "Campagna",
                    "Stato campagna",
                    "Impr.",
                    "Clic",
                    "Tasso di interazione",
                    "Codice valuta",
                    "Costo",
                    "Conversioni",
                    "Valore conv.",
                    "Quota impressioni sulla rete di ricerca",
                    "Costo/conv.",
                    "CPC medio",
                ],
                strict=True,
            )
        ),
        ",",
        ".",
        "Rapporto sulle campagne",
        "1 marzo 2026 - 31 marzo 2026",
        ("Totale: campagne", "Totale: rete di ricerca", "Totale: account"),
        "%d/%m/%Y",
    ),
    "nl": Lang(
        "nl",
        dict(
            zip(
                EN_LABELS,
                [
                    "Dag",
                    "Campagne",
                    "Campagnestatus",
                    "Vertoningen",
                    "Klikken",
                    "Interactiepercentage",
                    "Valutacode",
                    "Kosten",
                    "Conversies",
                    "Conv.waarde",
                    "Zoekvertoningsaandeel",
                    "Kosten/conv.",
                    "Gem. CPC",
                ],
                strict=True,
            )
        ),
        ",",
        ".",
        "Campagnerapport",
        "1 mrt. 2026 - 31 mrt. 2026",
        ("Totaal: campagnes", "Totaal: zoeken", "Totaal: account"),
        "%d-%m-%Y",
    ),
    "ja": Lang(
        "ja",
        dict(
            zip(
                EN_LABELS,
                [
                    "日",
                    "キャンペーン",
                    "キャンペーンのステータス",
                    "表示回数",
                    "クリック数",
                    "インタラクション率",
                    "通貨コード",
                    "費用",
                    "コンバージョン",
                    "コンバージョン値",
                    "検索インプレッション シェア",
                    "コンバージョン単価",
                    "平均クリック単価",
                ],
                strict=True,
            )
        ),
        ".",
        ",",
        "キャンペーン レポート",
        "2026年3月1日 - 2026年3月31日",
        ("合計: キャンペーン", "合計: 検索", "合計: アカウント"),
        "%Y/%m/%d",
    ),
}


def local(number: Decimal, lang: Lang, places: int = 0, percent: bool = False) -> str:
    """A number as the UI writes it: grouped thousands, the locale's decimal symbol."""
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):.{places}f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + lang.group.join(groups) + (lang.decimal + fraction if fraction else "")
    if percent:
        text += "\u00a0%" if lang.code in ("fr", "de") else "%"
    return text


def cell_for(row: list[str], label: str, lang: Lang) -> str:
    """The sample's English cell for a column, rewritten in the language's format."""
    raw = row[HEADER.index(label)] if label in HEADER else ""
    if label == "Day":
        return date.fromisoformat(raw).strftime(lang.day)
    if label in ("Campaign", "Currency code"):
        return raw
    if label == "Campaign status":
        return raw
    if raw.strip() == "--":
        return " --"
    places = {"Impr.": 0, "Clicks": 0}.get(label, 2)
    return local(D(raw.replace(",", "").rstrip("%")), lang, places, raw.endswith("%"))


def write(rows: list[list[str]], *, excel: bool, crlf: bool = False) -> bytes:
    """Rows as Google writes them: CSV (UTF-8, commas) or "Excel CSV" (UTF-16LE, BOM, TABs)."""
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter="\t" if excel else ",", lineterminator="\r\n" if crlf else "\n"
    )
    writer.writerows(rows)
    text = out.getvalue()
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le") if excel else text.encode()


def daily_report(lang: Lang, columns: list[str], *, excel: bool, crlf: bool = False) -> bytes:
    rows: list[list[str]] = [[lang.title], [lang.period], [lang.labels[c] for c in columns]]
    rows += [[cell_for(r, c, lang) for c in columns] for r in BODY]
    sums = expected_totals(BODY)
    total = {
        "Impr.": local(sums["impressions"], lang),
        "Clicks": local(sums["clicks"], lang),
        "Cost": local(sums["spend"], lang, 2),
        "Conversions": local(sums["conversions"], lang, 2),
        "Conv. value": local(sums["conversion_value"], lang, 2),
        "Currency code": "USD",
    }
    rows.append([lang.totals[2]] + [total.get(c, " --") for c in columns[1:]])
    return write(rows, excel=excel, crlf=crlf)


DAILY = [
    "Day",
    "Campaign status",
    "Campaign",
    "Impr.",
    "Clicks",
    "Interaction rate",
    "Currency code",
    "Cost",
    "Conversions",
    "Conv. value",
]


@pytest.mark.parametrize("excel", [False, True], ids=["csv", "excel-utf16-tab"])
@pytest.mark.parametrize("code", sorted(LANGS))
def test_daily_report_in_every_ui_language(code: str, excel: bool) -> None:
    lang = LANGS[code]
    data = daily_report(lang, DAILY, excel=excel, crlf=code in ("fr", "ja"))
    parsed = read(data)
    assert parsed.source == "google_ads"
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert parsed.info.currency == "USD"
    assert parsed.rows_count == len(BODY) == 113
    assert parsed.totals == expected_totals(BODY)
    assert len(parsed.totals_rows) == 1 and parsed.totals_rows[0].label == lang.totals[2]
    assert dict(parsed.totals_rows[0].metrics)["spend"] == D("3625.84")
    # the Day column, in the UI's own order (13/03 would not be a US date)
    days = sorted({r.day for r in parsed.sample_rows if r.day is not None})
    assert days[0] == date(2026, 3, 1) and days[-1] == date(2026, 3, 31) and len(days) == 31
    by_campaign = per_campaign(BODY)
    for (campaign, channel, currency), summary in parsed.campaigns.items():
        assert channel == "paid_search" and currency == "USD"
        assert summary.totals == by_campaign[campaign]


def test_french_numbers_group_with_a_narrow_no_break_space() -> None:
    lang = LANGS["fr"]
    data = daily_report(lang, DAILY, excel=False)
    assert "168\u202f571".encode() in data  # the Total: compte impressions, as written
    assert local(D("1032.50"), lang, 2) == "1\u202f032,50"
    assert read(data).totals["impressions"] == D(168571)


def whole_period_rows(lang: Lang, columns: list[str]) -> list[list[str]]:
    """One row per campaign for the whole range (no Day column), as Google sums it."""
    rows = []
    for campaign, sums in per_campaign(BODY).items():
        cells = {
            "Campaign": campaign,
            "Campaign status": "Enabled",
            "Impr.": local(sums["impressions"], lang),
            "Clicks": local(sums["clicks"], lang),
            "Cost": local(sums["spend"], lang, 2),
            "Conversions": local(sums["conversions"], lang, 2),
            "Conv. value": local(sums["conversion_value"], lang, 2),
            "Search impr. share": "< 10%",
            "Cost / conv.": (
                local(sums["spend"] / sums["conversions"], lang, 2)
                if sums["conversions"]
                else " --"
            ),
            "Avg. CPC": local(sums["spend"] / sums["clicks"], lang, 2),
        }
        rows.append([cells[c] for c in columns])
    return rows


#: columns a user picked, in their own order, without Day and without Currency code
CHOSEN = [
    "Campaign",
    "Cost",
    "Conv. value",
    "Search impr. share",
    "Cost / conv.",
    "Impr.",
    "Avg. CPC",
    "Clicks",
    "Conversions",
]


@pytest.mark.parametrize("excel", [False, True], ids=["csv", "excel-utf16-tab"])
@pytest.mark.parametrize("code", sorted(LANGS))
def test_whole_period_report_with_chosen_columns_and_three_totals_rows(
    code: str, excel: bool
) -> None:
    lang = LANGS[code]
    body = whole_period_rows(lang, CHOSEN)
    sums = expected_totals(BODY)
    total = [
        " --",
        local(sums["spend"], lang, 2),
        local(sums["conversion_value"], lang, 2),
        "< 10%",
        local(sums["spend"] / sums["conversions"], lang, 2),
        local(sums["impressions"], lang),
        local(sums["spend"] / sums["clicks"], lang, 2),
        local(sums["clicks"], lang),
        local(sums["conversions"], lang, 2),
    ]
    rows = [[lang.title], [lang.period], [lang.labels[c] for c in CHOSEN], *body]
    rows += [[label, *total[1:]] for label in lang.totals]
    parsed = read(write(rows, excel=excel, crlf=True))
    assert parsed.source == "google_ads"
    assert parsed.rows_count == 4
    assert all(r.day is None for r in parsed.sample_rows)
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert parsed.totals == sums
    assert sums["spend"] == D("3625.84")  # grouped thousands were read (`3.625,84`)
    assert [t.label for t in parsed.totals_rows] == list(lang.totals)
    # no currency column: the account's currency (the workspace's) applies
    assert parsed.info.currency == "" and parsed.currencies == [""]
    assert parsed.info.notes  # the preview says each row covers the period


@pytest.mark.parametrize("code", ["en", "de", "ja"])
def test_report_with_no_rows_after_the_header(code: str) -> None:
    lang = LANGS[code]
    rows = [[lang.title], [lang.period], [lang.labels[c] for c in DAILY]]
    for excel in (False, True):
        parsed = read(write(rows, excel=excel, crlf=True))
        assert parsed.source == "google_ads" and parsed.rows_count == 0
        assert parsed.totals == {}
        assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))


def test_header_only_report_with_zero_totals_rows() -> None:
    lang = LANGS["en"]
    rows = [[lang.title], [lang.period], [lang.labels[c] for c in CHOSEN]]
    rows += [
        [label, "0.00", "0.00", " --", " --", "0", " --", "0", "0.00"] for label in lang.totals
    ]
    parsed = read(write(rows, excel=True))
    assert parsed.rows_count == 0 and parsed.totals == {}
    assert len(parsed.totals_rows) == 3


def test_windows_line_endings_in_a_utf8_csv_with_bom() -> None:
    data = codecs.BOM_UTF8 + daily_report(LANGS["en"], DAILY, excel=False, crlf=True)
    assert b"\r\n" in data
    parsed = read(data)
    assert parsed.rows_count == 113 and parsed.totals == expected_totals(BODY)


def test_the_sample_itself_rewritten_with_windows_line_endings() -> None:
    data = SAMPLE.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    parsed = read(data)
    assert parsed.rows_count == 113 and parsed.totals == expected_totals(BODY)


def test_text_in_a_japanese_cost_cell_names_line_and_column() -> None:
    lang = LANGS["ja"]
    data = daily_report(lang, DAILY, excel=True).decode("utf-16")
    lines = data.splitlines()
    cells = lines[5].split("\t")
    cells[DAILY.index("Cost")] = "高い"
    lines[5] = "\t".join(cells)
    with pytest.raises(ImportFormatError) as caught:
        read(codecs.BOM_UTF16_LE + "\n".join(lines).encode("utf-16-le"))
    error = caught.value
    assert (error.line, error.column) == (6, DAILY.index("Cost") + 1)
    assert "高い" in str(error) and "費用" in str(error)


def test_german_report_with_english_numbers_is_refused_not_misread() -> None:
    lang = LANGS["de"]
    english = LANGS["en"]
    rows = [[lang.title], [lang.period], [lang.labels[c] for c in CHOSEN]]
    rows += whole_period_rows(english, CHOSEN)  # `1,804.50` under German labels
    with pytest.raises(ImportFormatError) as caught:
        read(write(rows, excel=True))
    assert caught.value.line == 4 and caught.value.column is not None


@pytest.mark.parametrize("code", ["en", "de", "fr"])
def test_currency_in_the_cost_label_when_there_is_no_currency_column(code: str) -> None:
    lang = LANGS[code]
    labels = [lang.labels[c] + (" (EUR)" if c in ("Cost", "Conv. value") else "") for c in CHOSEN]
    rows = [[lang.title], [lang.period], labels, *whole_period_rows(lang, CHOSEN)]
    parsed = read(write(rows, excel=True))
    assert parsed.info.currency == "EUR" and parsed.currencies == ["EUR"]
    assert parsed.totals == expected_totals(BODY)


@pytest.mark.parametrize(
    ("code", "encoding"),
    [
        ("en", "utf-16-le"),  # the "Excel" download saved again without its BOM
        ("en", "utf-16-be"),
        ("de", "utf-16-le"),
        ("ja", "utf-16-le"),
        ("fr", "cp1252"),  # opened and saved by Excel as "CSV (comma delimited)"
        ("de", "cp1252"),
        ("es", "latin-1"),
        ("pt", "cp1252"),
        ("ja", "cp932"),  # Shift_JIS, Excel's CSV in a Japanese Windows
    ],
)
def test_report_saved_in_another_encoding(code: str, encoding: str) -> None:
    lang = LANGS[code]
    text = daily_report(lang, DAILY, excel=encoding.startswith("utf-16")).decode(
        "utf-16" if encoding.startswith("utf-16") else "utf-8"
    )
    data = text.replace("\u202f", "\u00a0").encode(encoding)
    assert not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8))
    parsed = read(data)
    assert parsed.source == "google_ads" and parsed.rows_count == len(BODY)
    assert parsed.totals == expected_totals(BODY)
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert {k[0] for k in parsed.campaigns} == set(per_campaign(BODY))


def test_whole_period_rows_without_any_dates_are_refused_at_the_first_row() -> None:
    lang = LANGS["en"]
    rows = [[lang.title], ["All time"], [lang.labels[c] for c in CHOSEN]]
    rows += whole_period_rows(lang, CHOSEN)
    with pytest.raises(ImportFormatError) as caught:
        read(write(rows, excel=False))
    assert caught.value.line == 4 and "no dates" in caught.value.message


def test_english_labels_with_day_first_days() -> None:
    lang = Lang(
        **{**LANGS["en"].__dict__, "day": "%d/%m/%Y", "period": "1 March 2026 - 31 March 2026"}
    )
    parsed = read(daily_report(lang, DAILY, excel=False))
    assert parsed.rows_count == len(BODY) and parsed.totals == expected_totals(BODY)
    days = {r.day for r in parsed.sample_rows if r.day is not None}
    assert min(days) == date(2026, 3, 1) and max(days) == date(2026, 3, 31) and len(days) == 31

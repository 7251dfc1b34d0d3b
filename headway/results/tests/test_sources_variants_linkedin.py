"""LinkedIn Campaign Manager reports as users bring them, built from the sample: older exports
without the campaign-group columns and with a five-line preamble and no blank line; several
campaigns of one group on one day; headers, dates and numbers in the UI's language. Expected
totals are summed here from the sample."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from headway.results.sources import ImportFormatError, read

D = Decimal
SAMPLE = Path("/work/shared/fixtures/linkedin/campaign_performance_report.csv").read_bytes()
_ALL = list(csv.reader(io.StringIO(SAMPLE.decode("utf-16")), delimiter="\t"))
HEADER = _ALL[5]
BODY = [r for r in _ALL[6:] if any(r)]
READ = {"spend": "Total Spent", "impressions": "Impressions", "clicks": "Clicks"}
READ |= {"conversions": "Conversions", "leads": "Leads"}


def get(row: list[str], label: str) -> str:
    return row[HEADER.index(label)]


def sums(rows: list[list[str]]) -> dict[str, Decimal]:
    return {m: sum((D(get(r, label)) for r in rows), D(0)) for m, label in READ.items()}


def utf16_tab(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(rows)
    return codecs.BOM_UTF16_LE + out.getvalue().encode("utf-16-le")


OLD_COLUMNS = [
    "Start Date (in UTC)",
    "Account Name",
    "Currency",
    "Campaign ID",
    "Campaign Name",
    "Campaign Status",
    "Total Spent",
    "Impressions",
    "Clicks",
    "Click Through Rate",
    "Conversions",
    "Leads",
]


def test_older_export_without_groups_five_line_preamble_no_blank_line() -> None:
    preamble = [
        ["Campaign Performance Report (in UTC)"],
        ["Report Start: 3/1/2026"],
        ["Report End: 3/31/2026"],
        ["Date Generated: 4/2/2026"],
        ["Account: Harbor & Pine (501234567)"],
    ]
    rows = preamble + [OLD_COLUMNS] + [[get(r, c) for c in OLD_COLUMNS] for r in BODY]
    data = utf16_tab(rows)
    assert data.decode("utf-16").splitlines()[5].startswith("Start Date")  # header on row 6
    parsed = read(data)
    assert parsed.source == "linkedin" and parsed.info.currency == "USD"
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert parsed.rows_count == len(BODY)
    assert parsed.totals == sums(BODY)
    # no groups: LinkedIn's campaign names are the campaigns, and the preview says so
    assert {k[0] for k in parsed.campaigns} == {"Small Space Webinar - B2B"}
    assert any("campaign group" in note for note in parsed.info.notes)
    assert parsed.sample_rows[0].detail == ""


def test_several_campaigns_of_one_group_on_the_same_day() -> None:
    rows = [list(r) for r in _ALL[:6]]
    extra_rows = []
    for r in BODY:
        rows.append(list(r))
        smb = list(r)
        smb[HEADER.index("Campaign ID")] = "612345679"
        smb[HEADER.index("Campaign Name")] = "Small Space Webinar - SMB"
        smb[HEADER.index("Total Spent")] = f"{D(get(r, 'Total Spent')) / 2:.2f}"
        smb[HEADER.index("Impressions")] = str(int(get(r, "Impressions")) // 3)
        rows.append(smb)
        extra_rows.append(smb)
    other = list(BODY[0])
    other[HEADER.index("Campaign Group ID")] = "608765499"
    other[HEADER.index("Campaign Group Name")] = "Spring Launch 2026"
    other[HEADER.index("Campaign Name")] = "Spring Launch 2026 - Retarget"
    rows.append(other)
    parsed = read(utf16_tab(rows))
    webinar = BODY + extra_rows
    assert parsed.rows_count == len(webinar) + 1
    assert parsed.campaigns[("Small Space Webinar", "paid_social", "USD")].totals == sums(webinar)
    assert parsed.campaigns[("Spring Launch 2026", "paid_social", "USD")].totals == sums([other])
    assert parsed.totals == sums([*webinar, other])
    same_day = [r for r in parsed.sample_rows if r.day == date(2026, 3, 2)]
    assert {r.detail for r in same_day} >= {
        "Small Space Webinar - B2B",
        "Small Space Webinar - SMB",
    }


@dataclass(frozen=True)
class Ui:
    code: str
    columns: list[str]  # HEADER translated
    preamble: list[str]
    day: str  # strftime of the Start Date column
    decimal: str
    group: str


def translated(*labels: str) -> list[str]:
    assert len(labels) == len(HEADER)
    return list(labels)


UIS = [
    Ui(
        "de",
        translated(
            "Startdatum (in UTC)",
            "Kontoname",
            "Währung",
            "Kampagnengruppen-ID",
            "Name der Kampagnengruppe",
            "Kampagnen-ID",
            "Kampagnenname",
            "Kampagnenstatus",
            "Ausgaben insgesamt",
            "Impressionen",
            "Klicks",
            "Klickrate",
            "Durchschnittlicher CPM",
            "Durchschnittlicher CPC",
            "Conversions",
            "Leads",
        ),
        [
            "Bericht zur Kampagnen-Performance (in UTC)",
            "Berichtsbeginn: 1. März 2026, 00:00",
            "Berichtsende: 31. März 2026, 23:59",
            "Erstellungsdatum: 2. April 2026, 09:14",
        ],
        "%d.%m.%Y",
        ",",
        ".",
    ),
    Ui(
        "fr",
        translated(
            "Date de début (en UTC)",
            "Nom du compte",
            "Devise",
            "ID du groupe de campagnes",
            "Nom du groupe de campagnes",
            "ID de la campagne",
            "Nom de la campagne",
            "Statut de la campagne",
            "Total dépensé",
            "Impressions",
            "Clics",
            "Taux de clics",
            "CPM moyen",
            "CPC moyen",
            "Conversions",
            "Prospects",
        ),
        [
            "Rapport sur les performances des campagnes (en UTC)",
            "Début du rapport : 01/03/2026",
            "Fin du rapport : 31/03/2026",
            "Date de génération : 02/04/2026",
        ],
        "%d/%m/%Y",
        ",",
        "\u202f",
    ),
    Ui(
        "es",
        translated(
            "Fecha de inicio (en UTC)",
            "Nombre de la cuenta",
            "Moneda",
            "ID del grupo de campañas",
            "Nombre del grupo de campañas",
            "ID de la campaña",
            "Nombre de la campaña",
            "Estado de la campaña",
            "Importe total gastado",
            "Impresiones",
            "Clics",
            "Porcentaje de clics",
            "CPM medio",
            "CPC medio",
            "Conversiones",
            "Clientes potenciales",
        ),
        [
            "Informe de rendimiento de la campaña (en UTC)",
            "Inicio del informe: 1 de marzo de 2026, 0:00",
            "Fin del informe: 31 de marzo de 2026, 23:59",
            "Fecha de generación: 2 de abril de 2026, 9:14",
        ],
        "%d/%m/%Y",
        ",",
        ".",
    ),
    Ui(
        "pt",
        translated(
            "Data de início (em UTC)",
            "Nome da conta",
            "Moeda",
            "ID do grupo de campanhas",
            "Nome do grupo de campanhas",
            "ID da campanha",
            "Nome da campanha",
            "Status da campanha",
            "Total gasto",
            "Impressões",
            "Cliques",
            "Taxa de cliques",
            "CPM médio",
            "CPC médio",
            "Conversões",
            "Leads",
        ),
        [
            "Relatório de desempenho da campanha (em UTC)",
            "Início do relatório: 1 de março de 2026",
            "Fim do relatório: 31 de março de 2026",
            "Data de geração: 2 de abril de 2026",
        ],
        "%d/%m/%Y",
        ",",
        ".",
    ),
]


def localized(text: str, ui: Ui, grouped: bool) -> str:
    percent = text.endswith("%")
    whole, _, fraction = text.rstrip("%").partition(".")
    if grouped and len(whole) > 3:
        whole = whole[:-3] + ui.group + whole[-3:]
    return whole + (ui.decimal + fraction if fraction else "") + ("\u00a0%" if percent else "")


@pytest.mark.parametrize("ui", UIS, ids=[u.code for u in UIS])
def test_headers_dates_and_numbers_in_the_ui_language(ui: Ui) -> None:
    rows: list[list[str]] = [[line] for line in ui.preamble] + [[], ui.columns]
    numeric = {"Total Spent", "Impressions", "Clicks", "Click Through Rate"}
    numeric |= {"Average CPM", "Average CPC", "Conversions", "Leads"}
    for r in BODY:
        out = list(r)
        for label in numeric:
            i = HEADER.index(label)
            out[i] = localized(r[i], ui, grouped=label == "Impressions")
        i = HEADER.index("Start Date (in UTC)")
        out[i] = datetime.strptime(r[i], "%m/%d/%Y").strftime(ui.day)
        rows.append(out)
    data = utf16_tab(rows)
    parsed = read(data)
    assert parsed.source == "linkedin"
    assert (parsed.period_start, parsed.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert parsed.rows_count == len(BODY)
    assert parsed.totals == sums(BODY)
    assert {k[0] for k in parsed.campaigns} == {"Small Space Webinar"}
    # 3/13 onwards would not be a US date: the day-first order of the UI is used
    days = sorted(r.day for r in parsed.sample_rows if r.day is not None)
    assert days[0] == date(2026, 3, 2) and days[-1] == date(2026, 3, 31)


def test_a_cut_linkedin_row_names_its_line() -> None:
    rows = [list(r) for r in _ALL[:6]] + [list(r) for r in BODY[:3]]
    rows[7] = rows[7][:9]
    with pytest.raises(ImportFormatError) as caught:
        read(utf16_tab(rows))
    assert caught.value.line == 8 and caught.value.column == 10


def test_rows_without_a_start_date_or_a_dated_preamble_are_refused() -> None:
    columns = [c for c in OLD_COLUMNS if c != "Start Date (in UTC)"]
    rows = [["Campaign Performance Report"], columns]
    rows += [[get(r, c) for c in columns] for r in BODY[:2]]
    with pytest.raises(ImportFormatError) as caught:
        read(utf16_tab(rows))
    assert caught.value.line == 3 and "no day" in caught.value.message

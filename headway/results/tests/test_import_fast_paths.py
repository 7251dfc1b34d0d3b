"""The import's fast paths give what the plain ones give: a row's metrics read through the
per-file reader (memo of cells read before) equal cell-by-cell parsing, errors included; the
metrics a file has no column for are stored as 0 once per statement; money bound as a float on
SQLite is stored as the Decimal's text would be; fixed values with quotes and percent signs
arrive unchanged; a file's stated period replaces earlier rows before its own go in, a period
known only from the rows after."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from headway.conftest import Team
from headway.results.bulk import insert_rows
from headway.results.models import Import, ResultRow
from headway.results.services import import_store
from headway.results.sources import ImportFormatError, stream
from headway.results.sources.base import METRICS, NumberFormat, SheetNumber


def test_metrics_reader_equals_parsing_each_cell() -> None:
    fmt = NumberFormat.for_locale("en")
    read = fmt.metrics_reader([("impressions", 0, "Impr."), ("spend", 2, "Cost")])
    rows = [["1,204", "x", "30.72"], ["1,204", "", " --"], ["7", "", "1,000.5"]]
    for line, cells in enumerate(rows, start=4):
        expected = tuple(
            (name, value)
            for name, index, label in (("impressions", 0, "Impr."), ("spend", 2, "Cost"))
            if (value := fmt.parse(cells[index], line=line, column=index + 1, label=label))
            is not None
        )
        assert read(cells, line) == expected
    assert read(["1,204", "", " --"], 9) == (("impressions", Decimal(1204)),)


def test_metrics_reader_names_line_and_column_of_a_bad_cell() -> None:
    read = NumberFormat.for_locale("en").metrics_reader([("clicks", 1, "Clicks")])
    assert read(["a", "12"], 4) == (("clicks", Decimal(12)),)
    with pytest.raises(ImportFormatError) as caught:
        read(["a", "twelve"], 5)
    assert (caught.value.line, caught.value.column) == (5, 2)
    assert "'twelve' in Clicks" in caught.value.message


def test_a_workbook_number_is_not_read_as_the_same_text_seen_before() -> None:
    # in German `1.204` written as text is 1204; a workbook's number 1.204 stays 1.204
    read = NumberFormat.for_locale("de").metrics_reader([("spend", 0, "Kosten")])
    assert read(["1.204"], 4) == (("spend", Decimal(1204)),)
    assert read([SheetNumber("1.204")], 5) == (("spend", Decimal("1.204")),)


def ads(period: bool = True, days: range = range(1, 4), cost: str = "12.50") -> bytes:
    lines = ["Campaign report"]
    if period:
        lines.append('"March 1, 2026 - March 31, 2026"')
    lines.append("Day,Campaign,Impr.,Clicks,Currency code,Cost")
    lines += [f'2026-03-{d:02d},Brand - Search,"1,000",{d},USD,"{cost}"' for d in days]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_google_ads_names_the_metrics_its_rows_carry_and_the_others_are_stored_as_zero(
    team: Team,
) -> None:
    info, _ = stream(ads())
    assert info.metrics == ("impressions", "clicks", "spend")
    import_store(actor=team.owner, workspace=team.workspace, data=ads())
    row = ResultRow.objects.get(day="2026-03-02")
    assert (row.impressions, row.clicks, row.spend) == (1000, 2, Decimal("12.50"))
    others = [m for m in METRICS if m not in info.metrics]
    assert all(getattr(row, m) == 0 for m in others)
    assert (row.source, row.workspace_id, row.created_at) == (
        "google_ads",
        team.workspace.pk,
        row.source_import.created_at,
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's storage of decimals")
def test_money_bound_as_float_is_stored_as_the_decimals_text_would_be(team: Team) -> None:
    costs = ["0.00", "0.10", "60.00", "1,234.56", "5,466.40", "99,999,999,999.99", "0.07"]
    for k, cost in enumerate(costs):
        data = ads(period=False, days=range(k + 1, k + 2), cost=cost)
        import_store(actor=team.owner, workspace=team.workspace, data=data)
    plain = [cost.replace(",", "") for cost in costs]
    with connection.cursor() as cursor:
        cursor.execute("SELECT spend, typeof(spend) FROM results_resultrow ORDER BY day")
        stored = cursor.fetchall()
        expected = []
        for text in plain:  # what SQLite makes of the Decimal's text (the ORM binds str)
            cursor.execute("SELECT CAST(%s AS NUMERIC), typeof(CAST(%s AS NUMERIC))", [text] * 2)
            expected.append(cursor.fetchone())
    assert stored == expected
    assert [t for _, t in stored] == ["integer", "real", "integer", "real", "real", "real", "real"]
    assert [r.spend for r in ResultRow.objects.order_by("day")] == [Decimal(c) for c in plain]


def test_fixed_values_with_quotes_and_percent_signs_arrive_unchanged(team: Team) -> None:
    imp = Import.objects.create(workspace=team.workspace, source="x", file_hash="f" * 64)
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    fixed = {
        "created_at": stamp,
        "updated_at": stamp,
        "workspace_id": team.workspace.pk,
        "source_import_id": imp.pk,
        "source": "it's 100%s %% done",
        "detail": "",
        "channel": "",
        "currency": "",
        "period_start": None,
        "period_end": None,
        **{m: 0 for m in METRICS if m != "clicks"},
    }
    columns = ("line", "day", "campaign_name", "campaign_id", "clicks")
    values = [(4, "2026-03-01", "A 'quoted' 50%", None, 3), (5, None, "B\tC", None, 4)]
    lines = ["4\t2026-03-01\tA 'quoted' 50%\t\\N\t3\n", "5\t\\N\tB\\tC\t\\N\t4\n"]
    # by COPY on PostgreSQL (executemany on SQLite), then by executemany on both
    insert_rows(ResultRow, columns, values, copy_lines=lines, fixed=fixed)
    insert_rows(ResultRow, columns, [(6, *values[0][1:])], fixed=fixed)
    got = list(
        ResultRow.objects.order_by("line").values_list(
            "line", "source", "campaign_name", "clicks", "spend", "period_start", "created_at"
        )
    )
    made = ResultRow.objects.get(line=4).created_at
    assert abs((made - timezone.now()).total_seconds()) < 60
    assert got == [
        (4, "it's 100%s %% done", "A 'quoted' 50%", 3, Decimal(0), None, made),
        (5, "it's 100%s %% done", "B\tC", 4, Decimal(0), None, made),
        (6, "it's 100%s %% done", "A 'quoted' 50%", 3, Decimal(0), None, made),
    ]


def test_a_stated_period_replaces_before_and_a_period_read_from_the_rows_after(
    team: Team,
) -> None:
    first = import_store(actor=team.owner, workspace=team.workspace, data=ads(days=range(1, 11)))
    assert first.import_.rows_count == 10
    # no date range above the header: the period (3..5 March) is known from the rows
    later = import_store(
        actor=team.owner, workspace=team.workspace, data=ads(period=False, days=range(3, 6))
    ).import_
    assert later.replaced_rows == 3
    assert (str(later.period_start), str(later.period_end)) == ("2026-03-03", "2026-03-05")
    assert ResultRow.objects.filter(source_import=later).count() == 3
    assert ResultRow.objects.count() == 10
    # the whole month stated above the header replaces every row, its own stay
    month = import_store(
        actor=team.owner, workspace=team.workspace, data=ads(days=range(1, 3), cost="1.00")
    ).import_
    assert month.replaced_rows == 10
    assert list(ResultRow.objects.values_list("source_import_id", "spend")) == [
        (month.pk, Decimal("1.00")),
        (month.pk, Decimal("1.00")),
    ]


def test_rows_keep_an_index_starting_with_the_workspace_but_not_a_third_of_their_own(
    db: None,
) -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "results_resultrow")
    indexed = [c["columns"] for c in constraints.values() if c["index"] and not c["primary_key"]]
    assert ["workspace_id"] not in indexed
    assert ["workspace_id", "source", "day"] in indexed
    assert ["workspace_id", "campaign_id", "day"] in indexed

"""Storing a large export in one streaming pass: rows inserted in batches as they are read are
all undone when a later line is refused; the stored rows add up to the file's totals; names
that need escaping on their way to the database (PostgreSQL's COPY) arrive unchanged."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from headway.conftest import Team
from headway.core.errors import DomainError
from headway.planning.services.campaigns import campaign_create
from headway.results.models import Import, ResultRow
from headway.results.services import import_store

pytestmark = pytest.mark.django_db
ROWS = 12_000  # more than two insert batches


def export(rows: int, *, bad_line: int | None = None, names: tuple[str, ...] = ()) -> bytes:
    """A Day-segmented Google Ads campaign report of `rows` rows over 30 campaigns."""
    lines = [
        "Campaign report",
        '"March 1, 2026 - March 31, 2026"',
        "Day,Campaign,Impr.,Clicks,Currency code,Cost,Conversions,Conv. value",
    ]
    campaigns = list(names) or [f"Campaign {k:02d}" for k in range(30)]
    for i in range(rows):
        line = len(lines) + 1
        cost = "oops" if line == bad_line else f'"{(i % 1000) * 1.25:,.2f}"'
        name = campaigns[i % len(campaigns)].replace('"', '""')
        lines.append(
            f'2026-03-{i % 31 + 1:02d},"{name}","{1000 + i:,}",{i % 50},USD,{cost},{i % 3}.00, --'
        )
    lines.append("Total: Account,,0,0,USD,0.00,0.00,0.00")
    return ("\r\n".join(lines) + "\r\n").encode()


def test_a_bad_line_after_the_first_batches_stores_nothing(team: Team) -> None:
    # given a file whose line 11,000 holds text where a number belongs
    data = export(ROWS, bad_line=11_000)
    # when it is stored
    with pytest.raises(DomainError) as caught:
        import_store(actor=team.owner, workspace=team.workspace, data=data)
    # then the error names the line and column, and none of the rows read before it remain
    assert "Line 11000, column 6" in caught.value.message
    assert Import.objects.count() == 0 and ResultRow.objects.count() == 0


def test_a_bad_line_leaves_the_rows_it_would_replace(team: Team) -> None:
    import_store(actor=team.owner, workspace=team.workspace, data=export(100))
    with pytest.raises(DomainError):
        import_store(actor=team.owner, workspace=team.workspace, data=export(ROWS, bad_line=9000))
    assert ResultRow.objects.count() == 100 and Import.objects.count() == 1


def test_stored_rows_add_up_to_the_files_totals(team: Team) -> None:
    campaign = campaign_create(
        actor=team.owner, workspace=team.workspace, name="C7", platform_names=["Campaign 07"]
    )
    stored = import_store(actor=team.owner, workspace=team.workspace, data=export(ROWS)).import_
    assert stored.rows_count == ROWS and Import.objects.count() == 1
    assert str(stored.period_start) == "2026-03-01" and str(stored.period_end) == "2026-03-31"
    sums = ResultRow.objects.aggregate(
        rows=Count("pk"), spend=Sum("spend"), impressions=Sum("impressions"), clicks=Sum("clicks")
    )
    assert sums["rows"] == ROWS
    assert (
        sums["spend"]
        == Decimal(stored.totals["spend"])
        == sum(Decimal(f"{(i % 1000) * 1.25:.2f}") for i in range(ROWS))
    )
    assert sums["impressions"] == sum(1000 + i for i in range(ROWS))
    assert sums["clicks"] == int(stored.totals["clicks"])
    mine = ResultRow.objects.filter(campaign=campaign)
    assert mine.count() == ROWS // 30
    assert set(mine.values_list("campaign_name", flat=True)) == {"Campaign 07"}
    # the same file again stores nothing more; a revision of the period replaces it
    assert not import_store(actor=team.owner, workspace=team.workspace, data=export(ROWS)).created
    again = import_store(actor=team.owner, workspace=team.workspace, data=export(ROWS - 1))
    assert again.import_.replaced_rows == ROWS
    assert ResultRow.objects.count() == ROWS - 1


def test_names_with_tabs_backslashes_and_quotes_arrive_unchanged(team: Team) -> None:
    names = ('Brand \\ "Search"', "Tab\there", "Line\nbreak", "Comma, and \\N")
    import_store(actor=team.owner, workspace=team.workspace, data=export(40, names=names))
    stored = set(ResultRow.objects.values_list("campaign_name", flat=True))
    assert stored == set(names)
    assert ResultRow.objects.filter(campaign_name="Comma, and \\N", campaign__isnull=True).exists()

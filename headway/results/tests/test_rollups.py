"""The monthly rollups' months, worked out in SQL: rows on a month's first and last day,
a leap day, a year's end, rows with a period but no day; a rebuild of some months only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from headway.conftest import Team
from headway.results.models import Import, ResultRow
from headway.results.rollup_models import MonthRollup, rollup_rebuild

D = dt.date


def _rows(team: Team, days: list[dt.date | None], periods: list[tuple[dt.date, dt.date]]) -> None:
    imp = Import.objects.create(workspace=team.workspace, source="google_ads", file_hash="x" * 64)
    made = [
        ResultRow(
            workspace=team.workspace,
            source_import=imp,
            source="google_ads",
            line=n,
            day=day,
            campaign_name="Spring",
            currency="USD",
            spend=Decimal("1.50"),
            clicks=2,
        )
        for n, day in enumerate(days)
    ]
    made += [
        ResultRow(
            workspace=team.workspace,
            source_import=imp,
            source="google_ads",
            line=1000 + n,
            period_start=start,
            period_end=end,
            campaign_name="Spring",
            currency="USD",
            spend=Decimal("10.00"),
            clicks=1,
        )
        for n, (start, end) in enumerate(periods)
    ]
    ResultRow.objects.bulk_create(made)


def _sums(team: Team) -> dict[dt.date, tuple[int, Decimal, int]]:
    out: dict[dt.date, tuple[int, Decimal, int]] = {}
    for r in MonthRollup.objects.filter(workspace=team.workspace):
        rows, spend, clicks = out.get(r.month, (0, Decimal(0), 0))
        out[r.month] = (rows + r.rows, spend + r.spend, clicks + r.clicks)
    return out


@pytest.mark.django_db
def test_months_at_their_edges(team: Team) -> None:
    _rows(
        team,
        [D(2024, 1, 31), D(2024, 2, 1), D(2024, 2, 29), D(2024, 12, 31), D(2025, 1, 1)],
        [
            (D(2024, 3, 1), D(2024, 3, 31)),  # a whole month: counts in March
            (D(2024, 2, 1), D(2024, 2, 29)),  # a whole February, with the day rows
            (D(2024, 4, 15), D(2024, 5, 14)),  # across two months: left out
        ],
    )
    assert rollup_rebuild(team.workspace.pk) == 6
    assert _sums(team) == {
        D(2024, 1, 1): (1, Decimal("1.50"), 2),
        D(2024, 2, 1): (3, Decimal("13.00"), 5),
        D(2024, 3, 1): (1, Decimal("10.00"), 1),
        D(2024, 12, 1): (1, Decimal("1.50"), 2),
        D(2025, 1, 1): (1, Decimal("1.50"), 2),
    }
    feb = MonthRollup.objects.filter(workspace=team.workspace, month=D(2024, 2, 1))
    # the day rows and the whole-February row are two rollup lines of the same month
    assert sorted(feb.values_list("rows", "spend")) == [
        (1, Decimal("10.00")),
        (2, Decimal("3.00")),
    ]
    assert all(isinstance(m, dt.date) for m in feb.values_list("month", flat=True))


@pytest.mark.django_db
def test_rebuilding_some_months_leaves_the_others(team: Team) -> None:
    _rows(team, [D(2024, 1, 31), D(2024, 2, 29)], [])
    rollup_rebuild(team.workspace.pk)
    ResultRow.objects.filter(day=D(2024, 2, 29)).update(spend=Decimal("4.00"))
    ResultRow.objects.filter(day=D(2024, 1, 31)).update(spend=Decimal("9.00"))
    assert rollup_rebuild(team.workspace.pk, [D(2024, 2, 29)]) == 1
    spend = dict(MonthRollup.objects.filter(workspace=team.workspace).values_list("month", "spend"))
    assert spend == {D(2024, 1, 1): Decimal("1.50"), D(2024, 2, 1): Decimal("4.00")}

"""The crunch page groups what piled up by the pattern that counts it: a recurring channel's
crunches under its banner, the others apart; its table says what each count counts; with
nothing measured it says what to do instead of quoting a usual share of 0%."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from headway.conftest import Team, client_for
from headway.engine.crunch import Launch, crunch_report
from headway.insights.selectors.crunch import ChannelPattern, Crunch, LaunchLine, PiledTask
from headway.insights.selectors.flow import Period
from headway.insights.views import crunch as view

CAL = np.busdaycalendar()
START = dt.date(2026, 6, 1)  # a Monday
EPOCH = dt.date(1970, 1, 1)  # the engine counts days from it


def _crunch(plan: list[tuple[str, str, bool]]) -> Crunch:
    """Launches a week apart, oldest first: (name, channel, crunched), each with 6 tasks of
    which 4 were finished by launch (all in the final days when crunched) and 2 after."""
    launches, names = [], {}
    for k, (name, channel, crunched) in enumerate(plan):
        day = (START + dt.timedelta(days=7 * k) - EPOCH).days
        done = [day] * 4 if crunched else [day - 20] * 4
        launches.append(Launch(k + 1, day, [*done, day + 3, day + 3], []))
        names[k + 1] = (name, channel)
    team = crunch_report(launches, CAL, usual=(0.1, 0.0))
    by_channel: dict[str, list[Launch]] = {}
    for x in launches:
        by_channel.setdefault(names[x.campaign][1], []).append(x)
    patterns = [
        ChannelPattern(c, crunch_report(xs, CAL, usual=(0.1, 0.0))) for c, xs in by_channel.items()
    ]
    patterns.sort(key=lambda p: (not p.report.recurring, p.channel))
    lines = [
        LaunchLine(
            x.campaign,
            names[x.campaign][0],
            EPOCH + dt.timedelta(days=x.launch_day),
            (names[x.campaign][1],),
            x,
            [PiledTask(f"{names[x.campaign][0]} task", "Sam", START, "did not wait", 0.0)]
            if x.crunch
            else [],
            6,
        )
        for x in reversed(team.launches)
    ]
    return Crunch(Period(START, START + dt.timedelta(days=7 * len(plan))), team, lines, patterns)


# five organic-social crunches, then newer crunches in other channels: the newest six crunches
# hold only three of the organic ones
PLAN = [
    ("Organic 1", "Organic social", True),
    ("Organic 2", "Organic social", True),
    ("Organic 3", "Organic social", True),
    ("Email calm", "Email", False),
    ("Organic 4", "Organic social", True),
    ("Organic 5", "Organic social", True),
    ("Email 1", "Email", True),
    ("Email 2", "Email", False),
    ("Paid 1", "Paid social", True),
    ("Email 3", "Email", False),
    ("Email 4", "Email", True),
]


def test_a_recurring_channel_lists_every_crunch_its_banner_counts() -> None:
    groups, others = view.crunch_groups(_crunch(PLAN))
    [organic] = groups
    assert organic.pattern.channel == "Organic social"
    assert organic.pattern.report.recent_crunches == 5
    assert [x.name for x in organic.launches] == [f"Organic {k}" for k in (5, 4, 3, 2, 1)]
    assert [x.name for x in others] == ["Email 4", "Paid 1", "Email 1"]


@pytest.mark.django_db
def test_the_page_shows_them_under_the_banner_and_the_others_apart(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(view, "crunch_for", lambda *a, **k: _crunch(PLAN))
    page = client_for(team.manager).get(f"/w/{team.workspace.slug}/crunch/").text
    banner, rest = page.split("A recurring crunch in Organic social")[1].split("Other crunches")
    for k in range(1, 6):
        assert f"<h3>Organic {k} <small" in banner
    assert "<h3>Email 4 <small" not in banner and "<h3>Paid 1 <small" not in banner
    assert (
        "<h3>Email 4 <small" in rest
        and "<h3>Paid 1 <small" in rest
        and "<h3>Organic 1 <small" not in rest.split("<table")[0]
    )
    # the counts say what they count: 4 of the 4 finished by launch, of 6 in the plan
    assert "4 of 4 tasks finished by launch came in the final two working days" in banner
    assert "6 in the plan" in banner
    assert "<th" in page and ">finished by launch<" in page and ">finished in final 2 days<" in page


def test_the_table_counts_the_plan_the_finished_by_launch_and_the_final_days() -> None:
    [chart] = view.crunch_charts(_crunch(PLAN))
    columns = chart.table.columns
    row = dict(zip(columns, chart.table.rows[0], strict=True))  # oldest first
    assert row["campaign"] == "Organic 1"
    assert (row["tasks"], row["finished by launch"], row["finished in final 2 days"]) == (6, 4, 4)


@pytest.mark.django_db
def test_with_nothing_measured_the_page_says_what_to_do_not_a_usual_share(team: Team) -> None:
    page = client_for(team.manager).get(f"/w/{team.workspace.slug}/crunch/").text
    assert "No launches in this period" in page
    assert "Start a campaign" in page
    assert "usually finishes" not in page and "0%" not in page

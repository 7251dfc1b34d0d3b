"""Each calendar day's chips, built with headway.core.markup: a busy month holds hundreds
of pieces, and a template loop over them measured more than the rest of the page."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass

from django.utils.safestring import SafeString

from headway.core.markup import fragment, joined
from headway.publishing.models import Stage
from headway.publishing.selectors import Day

STAGES = dict(Stage.choices)


@dataclass(frozen=True)
class Cell:
    day: Day
    html: SafeString  # the day's chips


@dataclass(frozen=True)
class Bases:
    """The URL prefixes the chips append an id to, reversed once per page."""

    piece: str  # "/w/<ws>/content/"
    campaign: str  # "/w/<ws>/campaigns/"
    launch: str  # "/w/<ws>/campaigns/" of the launch-move route


def cells(weeks: list[list[Day]], bases: Bases, tz: zoneinfo.ZoneInfo) -> list[list[Cell]]:
    """The weeks of days with their chips, in the order the calendar shows them."""
    return [[day_cell(day, bases, tz) for day in week] for week in weeks]


def day_cell(day: Day, bases: Bases, tz: zoneinfo.ZoneInfo) -> Cell:
    """The launches and pieces of one day: links to the campaign and to each piece."""
    launches = (
        fragment(
            '<a class="chip chip-launch" href="{0}{1}/" draggable="true" data-launch="{1}" '
            'data-move="{2}{1}/launch/move/" data-version="{3}">▲ {4}</a>',
            bases.campaign,
            t.campaign_id,
            bases.launch,
            t.campaign.version,
            t.campaign.name,
        )
        for t in day.launches
    )
    pieces = (
        fragment(
            '<a class="chip stage-{0}" href="{1}{2}/" title="{3}" draggable="true" '
            'data-piece="{2}" data-move="{1}{2}/move/" data-version="{4}">{5} {6}: {7}</a>',
            p.stage,
            bases.piece,
            p.pk,
            STAGES.get(p.stage, p.stage),
            p.version,
            f"{p.publish_at.astimezone(tz):%H:%M}",
            p.channel,
            p.title,
        )
        for p in day.pieces
    )
    return Cell(day, joined([*launches, *pieces]))

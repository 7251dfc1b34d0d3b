"""Each calendar day's chips as HTML, built in Python: a busy month holds thousands of pieces
and the template engine's per-variable cost dominated the page."""

from __future__ import annotations

import zoneinfo

from django.utils.safestring import mark_safe

from headway.planning.fast_html import format_html
from headway.publishing.models import Stage
from headway.publishing.selectors import Day

STAGES = dict(Stage.choices)


def day_html(
    day: Day, piece_base: str, campaign_base: str, launch_base: str, tz: zoneinfo.ZoneInfo
) -> str:
    """The launches and pieces of one day: links to the campaign and to each piece."""
    parts = [
        format_html(
            '<a class="chip chip-launch" href="{}{}/" draggable="true" data-launch="{}" '
            'data-move="{}{}/launch/move/" data-version="{}">▲ {}</a>',
            campaign_base,
            t.campaign_id,
            t.campaign_id,
            launch_base,
            t.campaign_id,
            t.campaign.version,
            t.campaign.name,
        )
        for t in day.launches
    ]
    for p in day.pieces:
        at = p.publish_at.astimezone(tz)
        parts.append(
            format_html(
                '<a class="chip stage-{}" href="{}{}/" title="{}" draggable="true" '
                'data-piece="{}" data-move="{}{}/move/" data-version="{}">{} {}: {}</a>',
                p.stage,
                piece_base,
                p.pk,
                STAGES.get(p.stage, p.stage),
                p.pk,
                piece_base,
                p.pk,
                p.version,
                f"{at:%H:%M}",
                p.channel,
                p.title,
            )
        )
    return mark_safe("".join(parts))

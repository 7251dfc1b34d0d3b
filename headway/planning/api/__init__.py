"""The planning API: one router made of a module per sub-concept, each with its schemas."""

from __future__ import annotations

from ninja import Router

from headway.planning.api import (
    attachments,
    board,
    calendar,
    campaigns,
    conditions,
    links,
    tasks,
    templates,
)

router = Router()
for part in (campaigns, tasks, links, conditions, board, templates, calendar, attachments):
    router.add_router("", part.router)

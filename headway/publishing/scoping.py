"""The publishing app's URL parameters, checked against the workspace before any view runs."""

from __future__ import annotations

from typing import Any

from headway.workspaces.scoping import register


def _models() -> Any:
    from headway.publishing import models

    return models


register("piece_id", lambda: _models().ContentPiece)
register("feed_id", lambda: _models().CalendarFeed)

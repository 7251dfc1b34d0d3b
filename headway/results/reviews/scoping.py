"""The reviews' URL parameters, checked against the workspace before any view runs."""

from __future__ import annotations

from typing import Any

from headway.workspaces.scoping import register


def _models() -> Any:
    from headway.results.reviews import models

    return models


register("review_id", lambda: _models().Review)
register("learning_id", lambda: _models().Learning)

"""The scenarios' URL parameter, checked against the workspace before any view runs."""

from __future__ import annotations

from typing import Any

from headway.workspaces.scoping import register


def _models() -> Any:
    from headway.capacity import models

    return models


register("scenario_id", lambda: _models().Scenario)

"""The insights app's URL parameters, checked against the workspace before any view runs."""

from __future__ import annotations

from typing import Any

from headway.workspaces.scoping import register


def _models() -> Any:
    from headway.insights import models

    return models


register("checkin_id", lambda: _models().CheckIn)

"""URL parameters of column mappings and currency rates, checked against the workspace."""

from __future__ import annotations

from typing import Any

from headway.workspaces.scoping import register


def _models() -> Any:
    from headway.results import models

    return models


register("mapping_id", lambda: _models().ColumnMapping)
register("rate_id", lambda: _models().CurrencyRate)

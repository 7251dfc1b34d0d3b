"""The diagnosis pages' filter selects (campaign, person, channel): the core one-pass select
(`core.widgets.OnePassSelect`), since a workspace with thousands of campaigns made the
default widget's one-template-per-option render take most of a page's time."""

from __future__ import annotations

from headway.core.widgets import OnePassSelect as FilterSelect

__all__ = ["FilterSelect"]

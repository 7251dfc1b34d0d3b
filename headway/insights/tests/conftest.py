"""The insights tests' shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from headway.insights.selectors.moves import forget_columns


@pytest.fixture(autouse=True)
def _fresh_columns() -> Iterator[None]:
    """Every test reads its own database: the moves and tasks a process keeps in memory are
    dropped around each (ids repeat once a test's transaction is rolled back)."""
    forget_columns()
    yield
    forget_columns()

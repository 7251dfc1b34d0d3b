"""Each test starts with an empty cache: agendas are kept by a key of the data's version,
and time frozen in one test can give the next the same key for other data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()

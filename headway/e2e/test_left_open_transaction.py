"""A browser test cut off mid-request must not leave the shared SQLite connection in a
transaction for the tests after it."""

from __future__ import annotations

import pytest
from django.db import connection

from headway.e2e.conftest import _end_left_open_transaction


@pytest.mark.django_db(transaction=True)
def test_a_transaction_left_open_is_rolled_back() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite's in-memory test database is shared with the live server")
    # given a transaction left open on the raw connection, as a cut-off request leaves it
    connection.ensure_connection()
    connection.connection.execute("BEGIN")
    connection.connection.execute("CREATE TEMP TABLE left_open (n INTEGER)")
    assert connection.connection.in_transaction
    # when the browser fixture's teardown runs
    _end_left_open_transaction()
    # then the connection is idle again and what the request wrote is gone
    assert not connection.connection.in_transaction
    tables = connection.connection.execute(
        "SELECT name FROM sqlite_temp_master WHERE name = 'left_open'"
    ).fetchall()
    assert tables == []

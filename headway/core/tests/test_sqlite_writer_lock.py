"""SQLite writers queue on Headway's writer lock instead of SQLite's busy handler: with a busy
timeout of zero, any writer that reached `BEGIN IMMEDIATE` while another held the database
would fail with 'database is locked', so these tests pass only if the lock serialized them."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import ConnectionHandler

from headway.core.sqlite.base import writer_lock

ALIAS = "writers"


@pytest.fixture(autouse=True)
def _database_files(django_db_blocker: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """These tests open their own database files, not the test database, with the writer
    lock switched on (it is off by default)."""
    monkeypatch.setenv("HEADWAY_SQLITE_WRITER_LOCK", "on")
    with django_db_blocker.unblock():
        yield


def handler(path: Path, engine: str = "headway.core.sqlite", **options: Any) -> ConnectionHandler:
    """Connections (one per thread) to the database file at `path`."""
    config = {
        "ENGINE": engine,
        "NAME": str(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 0,  # SQLite's busy handler gives up at once
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            **options,
        },
    }
    return ConnectionHandler({"default": config, ALIAS: dict(config)})


@contextmanager
def atomic(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """What an outermost `transaction.atomic()` does, on a connection of these handlers."""
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        yield
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    finally:
        connection.set_autocommit(True)


def make_counter(path: Path) -> None:
    connections = handler(path)
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)")
        cursor.execute("INSERT INTO counter VALUES (1, 0)")
    connections.close_all()


def increment(connections: ConnectionHandler, times: int, errors: list[str]) -> None:
    """Read-modify-write of the counter, `times` times, each in its own transaction."""
    connection = connections[ALIAS]
    try:
        for _ in range(times):
            try:
                with atomic(connection), connection.cursor() as cursor:
                    cursor.execute("SELECT value FROM counter WHERE id = 1")
                    value = cursor.fetchone()[0]
                    os.sched_yield()  # invite another writer in between read and write
                    cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
            except OperationalError as exc:
                errors.append(str(exc))
    finally:
        connection.close()


def counter_value(path: Path) -> int:
    connections = handler(path)
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT value FROM counter WHERE id = 1")
        value = int(cursor.fetchone()[0])
    connections.close_all()
    return value


def run_threads(connections: ConnectionHandler, threads: int, times: int) -> list[str]:
    errors: list[str] = []
    workers = [
        threading.Thread(target=increment, args=(connections, times, errors))
        for _ in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


def test_threads_write_one_at_a_time_without_database_is_locked(tmp_path) -> None:
    path = tmp_path / "db.sqlite3"
    make_counter(path)
    errors = run_threads(handler(path, writer_lock_timeout=30), threads=8, times=40)
    assert errors == []
    assert counter_value(path) == 8 * 40  # no lost update either


def test_without_the_lock_the_same_writers_collide(tmp_path) -> None:
    """The control: Django's own backend, same busy timeout of zero, fails some writes (so the
    test above can fail)."""
    path = tmp_path / "db.sqlite3"
    make_counter(path)
    errors = run_threads(handler(path, engine="django.db.backends.sqlite3"), threads=8, times=40)
    assert errors and all("locked" in e for e in errors)
    assert counter_value(path) == 8 * 40 - len(errors)


def _process_writes(path: str, count: list[int]) -> None:
    errors = run_threads(handler(Path(path), writer_lock_timeout=30), threads=3, times=25)
    os._exit(len(errors))


def test_processes_write_one_at_a_time_without_database_is_locked(tmp_path) -> None:
    """gunicorn's workers are processes: the lock holds across them (a file lock)."""
    path = tmp_path / "db.sqlite3"
    make_counter(path)
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_process_writes, args=(str(path), [])) for _ in range(3)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    assert [p.exitcode for p in processes] == [0, 0, 0]
    assert counter_value(path) == 3 * 3 * 25


def test_a_rolled_back_transaction_releases_the_lock(tmp_path) -> None:
    path = tmp_path / "db.sqlite3"
    make_counter(path)
    connections = handler(path, writer_lock_timeout=30)
    with pytest.raises(ZeroDivisionError), atomic(connections[ALIAS]):
        connections[ALIAS].cursor().execute("UPDATE counter SET value = 99")
        1 / 0  # noqa: B018
    lock = writer_lock(os.path.abspath(path))
    assert lock.acquire(0)  # free again
    lock.release()
    assert run_threads(connections, threads=2, times=5) == []
    assert counter_value(path) == 10
    connections.close_all()


def test_a_writer_goes_on_without_the_lock_after_its_timeout(tmp_path) -> None:
    """A lock held elsewhere (another process) for longer than the wait is not a deadlock:
    the writer proceeds and SQLite's own locking decides."""
    path = tmp_path / "db.sqlite3"
    make_counter(path)
    other = os.open(f"{path}-writer.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(other, fcntl.LOCK_EX)
    try:
        connections = handler(path, writer_lock_timeout=0.05)
        assert run_threads(connections, threads=1, times=2) == []
    finally:
        fcntl.flock(other, fcntl.LOCK_UN)
        os.close(other)
    assert counter_value(path) == 2


def test_an_in_memory_database_takes_no_lock() -> None:
    connections = handler(Path(":memory:"))
    connection = connections[ALIAS]
    with atomic(connection):
        assert connection.writer_lock_held is None
    connections.close_all()


def test_the_lock_is_off_unless_switched_on(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "db.sqlite3"
    make_counter(path)
    monkeypatch.delenv("HEADWAY_SQLITE_WRITER_LOCK")
    connections = handler(path, writer_lock_timeout=30)
    connection = connections[ALIAS]
    with atomic(connection):
        assert connection.writer_lock_held is None
    monkeypatch.setenv("HEADWAY_SQLITE_WRITER_LOCK", "on")
    with atomic(connection):
        assert connection.writer_lock_held is not None
    assert connection.writer_lock_held is None  # released at commit
    connections.close_all()

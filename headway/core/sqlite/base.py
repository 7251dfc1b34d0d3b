"""Django's SQLite backend with one writer at a time queued on a lock, not in SQLite's busy
handler.

A write transaction (`BEGIN IMMEDIATE`) that finds the database locked makes SQLite sleep
1, 2, 5, 10 ... up to 100 ms between attempts, so twenty concurrent writers spend most of
their time asleep while the lock is free. Here a writer first takes a lock that wakes it as
soon as the previous writer commits: a thread lock for the threads of one process, then an
exclusive `flock` on a file beside the database for the processes (gunicorn's workers).

The lock only orders writers; SQLite's own locking still guarantees correctness. A writer
that cannot take it within the connection's `timeout` goes on to `BEGIN IMMEDIATE` without
it (and SQLite's busy handler decides), so a stuck holder never blocks others for longer
than SQLite would have. In-memory databases (the test suite's) take no lock.

The lock is off unless HEADWAY_SQLITE_WRITER_LOCK=on: measured against SQLite's busy handler
alone (bench/sqlite_writers.py, bench/speed.py; 2 CPUs shared at load 3-9), it made the
longest waits shorter but most waits longer (the queue hands over to a thread that must first
get its process's GIL back) and gave no more requests a second, so it is not the default.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from typing import Any

from django.db.backends.sqlite3 import base as sqlite3_base


class WriterLock:
    """Mutual exclusion of writers to one database file, across threads and processes."""

    def __init__(self, database: str) -> None:
        self.path = f"{database}-writer.lock"
        self.pid = os.getpid()
        self.threads = threading.Lock()
        self.fd: int | None = None

    def acquire(self, timeout: float) -> bool:
        """Waits up to `timeout` seconds for the lock; False if it was not taken."""
        deadline = time.monotonic() + timeout
        if not self.threads.acquire(timeout=max(timeout, 0)):
            return False
        try:
            if self._flock(deadline):
                return True
        except BaseException:
            self.threads.release()
            raise
        self.threads.release()
        return False

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        self.threads.release()

    def _flock(self, deadline: float) -> bool:
        """The file lock, polled (flock has no timeout); only one thread of a process polls."""
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        pause = 0.0001
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(pause)
                pause = min(pause * 2, 0.001)


SWITCH = "HEADWAY_SQLITE_WRITER_LOCK"  # "on" to queue writers on the lock
_locks: dict[str, WriterLock] = {}
_locks_guard = threading.Lock()


def writer_lock(database: str) -> WriterLock:
    """The process's lock for `database` (a forked worker makes its own: a lock inherited
    from the parent would share the parent's open file and state)."""
    with _locks_guard:
        lock = _locks.get(database)
        if lock is None or lock.pid != os.getpid():
            lock = _locks[database] = WriterLock(database)
        return lock


class DatabaseWrapper(sqlite3_base.DatabaseWrapper):
    """OPTIONS["writer_lock_timeout"]: seconds a writer waits for the lock (default: the
    connection's `timeout`, SQLite's busy timeout)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.writer_lock_held: WriterLock | None = None
        self.writer_lock_timeout = 5.0

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        wait = params.pop("writer_lock_timeout", None)
        self.writer_lock_timeout = float(wait if wait is not None else params.get("timeout", 5))
        return params

    def _writer_lock(self) -> WriterLock | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or not name or os.environ.get(SWITCH) != "on":
            return None
        return writer_lock(os.path.abspath(name))

    def _start_transaction_under_autocommit(self) -> None:
        mode = getattr(self, "transaction_mode", None)  # set by get_connection_params
        lock = self._writer_lock() if mode == "IMMEDIATE" else None
        if (
            lock is not None
            and self.writer_lock_held is None
            and lock.acquire(self.writer_lock_timeout)
        ):
            self.writer_lock_held = lock
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private, not in django-stubs
        except BaseException:
            self._release_writer_lock()
            raise

    def _release_writer_lock(self) -> None:
        lock, self.writer_lock_held = self.writer_lock_held, None
        if lock is not None:
            lock.release()

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # private, not in django-stubs
        finally:
            self._release_writer_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # private, not in django-stubs
        finally:
            self._release_writer_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # private, not in django-stubs
        finally:
            self._release_writer_lock()

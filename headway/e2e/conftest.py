"""Browser tests: Playwright driving Debian's headless Chromium against a live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _OneRequestAtATime(WSGIServer):
    """The live server, answering one request at a time. On SQLite its thread shares the
    test's in-memory connection; a threaded server lets two requests of one page (an htmx
    swap and an image, say) interleave their transactions on it ("no such savepoint"), and
    every browser test after that fails."""

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # the thread itself holds the shared connection


if "sqlite" in str(settings.DATABASES["default"]["ENGINE"]):
    LiveServerThread.server_class = _OneRequestAtATime  # type: ignore[assignment]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        if os.environ.get("HEADWAY_SKIP_BROWSER"):
            pytest.skip("HEADWAY_SKIP_BROWSER is set and Chromium is not installed")
        pytest.fail(
            "Chromium is missing: run 'apt-get install chromium' (bin/test does it as root)"
        )
    # Playwright's sync API runs an event loop in this thread; the live server's database
    # work happens in its own thread, and the test's own queries are plain setup.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.csp_problems = problems
    yield page
    context.close()
    _end_left_open_transaction()


def _end_left_open_transaction() -> None:
    # On SQLite the live server's thread shares the test's in-memory connection. A request
    # cut off by a failing test can leave a transaction open on it, and every later
    # transactional test then waits in vain for its on_commit callbacks: roll it back here
    # so one failure stays one failure.
    from django.db import connection

    raw = connection.connection
    shared = connection.vendor == "sqlite" and not connection.in_atomic_block
    if shared and raw is not None and raw.in_transaction:
        raw.rollback()


def log_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    """Signs in through the login form with the test personas' password."""
    from headway.conftest import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/w/**")

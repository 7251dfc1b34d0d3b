"""`headway serve` sizes gunicorn from the machine and collects static files only when they
changed; responses are compressed."""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from headway.core.management.commands import serve

MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[str]]]:
    """Records what `serve` would exec and which commands it runs first, starting nothing."""
    found: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(os, "execv", lambda path, argv: found.append((path, list(argv))))
    monkeypatch.setattr(
        serve, "call_command", lambda name, **kw: found.append(("call_command", [name]))
    )
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("WEB_THREADS", raising=False)
    return found


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("serve", *args, stdout=out)
    return out.getvalue()


def _option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_serve_runs_gunicorn_with_workers_and_threads(calls: list[tuple[str, list[str]]]) -> None:
    out = _run("--host", "0.0.0.0", "--port", "9001", "--workers", "3", "--threads", "2")
    assert out == (
        "Headway is serving at http://0.0.0.0:9001 with 3 workers x 2 threads (Ctrl+C stops it)\n"
    )
    [(path, argv)] = calls  # tests use plain static storage: nothing to collect
    assert path == sys.executable
    assert argv[:4] == [sys.executable, "-m", "gunicorn", "headway.wsgi:application"]
    assert _option(argv, "--bind") == "0.0.0.0:9001"
    assert (_option(argv, "--workers"), _option(argv, "--threads")) == ("3", "2")
    assert _option(argv, "--worker-class") == "gthread" and "--preload" in argv


def test_serve_sizes_itself_from_the_cpus_unless_told(
    calls: list[tuple[str, list[str]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve, "cpu_count", lambda: 2)
    _run()
    argv = calls[-1][1]
    assert (_option(argv, "--workers"), _option(argv, "--threads")) == ("2", "8")
    monkeypatch.setattr(serve, "cpu_count", lambda: 1)
    _run()
    assert _option(calls[-1][1], "--workers") == "2"  # never one process alone
    assert _option(argv, "--bind") == "127.0.0.1:8000"
    monkeypatch.setattr(serve, "cpu_count", lambda: 64)
    _run()
    assert _option(calls[-1][1], "--workers") == "12"
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("WEB_THREADS", "3")
    _run()
    argv = calls[-1][1]
    assert (_option(argv, "--workers"), _option(argv, "--threads")) == ("5", "3")


def test_serve_refuses_a_bad_web_concurrency(
    calls: list[tuple[str, list[str]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("WEB_CONCURRENCY", "many")
    with pytest.raises(ImproperlyConfigured, match="WEB_CONCURRENCY='many'"):
        _run()
    assert calls == []


def test_serve_collects_static_files_only_when_they_changed(
    calls: list[tuple[str, list[str]]], tmp_path: Path
) -> None:
    storages = {"staticfiles": {"BACKEND": MANIFEST}, "default": {"BACKEND": MANIFEST}}
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path):
        _run()
        assert calls[0] == ("call_command", ["collectstatic"])
        manifest = tmp_path / "staticfiles.json"
        manifest.write_text(json.dumps({"paths": {}}))
        calls.clear()
        _run()
        assert [name for name, _ in calls] == [sys.executable]  # straight to gunicorn
        old = time.time() - 10 * 365 * 86400
        os.utime(manifest, (old, old))  # a static file changed since the last collect
        calls.clear()
        _run()
        assert calls[0] == ("call_command", ["collectstatic"])


@pytest.mark.django_db
def test_html_and_json_are_compressed_and_tiny_bodies_are_not(client: Client) -> None:
    page = client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code == 200
    assert page["Content-Encoding"] == "gzip" and "Accept-Encoding" in page["Vary"]
    assert b"<form" in gzip.decompress(page.content)
    spec = client.get("/api/v1/openapi.json", HTTP_ACCEPT_ENCODING="gzip")
    assert spec["Content-Encoding"] == "gzip"
    assert "paths" in json.loads(gzip.decompress(spec.content))
    plain = client.get("/accounts/login/")
    assert not plain.has_header("Content-Encoding")
    small = client.get("/api/v1/nothing-here", HTTP_ACCEPT_ENCODING="gzip")
    assert len(small.content) < 200 and not small.has_header("Content-Encoding")


@pytest.mark.django_db
def test_two_compressed_pages_differ_in_their_csrf_token(client: Client) -> None:
    """BREACH mitigation: the token in the page is masked anew for every response."""
    first = gzip.decompress(client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip").content)
    second = gzip.decompress(client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip").content)
    assert b"csrfmiddlewaretoken" in first and first != second


def test_the_command_line_serves_without_loading_the_apps_first(
    calls: list[tuple[str, list[str]]], capsys: pytest.CaptureFixture[str]
) -> None:
    serve.serve_from_cli(["--port", "9002", "--workers", "2", "--threads", "8"])
    argv = calls[-1][1]
    assert _option(argv, "--bind") == "127.0.0.1:9002"
    assert (_option(argv, "--workers"), _option(argv, "--threads")) == ("2", "8")
    assert "with 2 workers x 8 threads" in capsys.readouterr().out


def test_the_wsgi_module_freezes_what_it_loaded_for_the_collector() -> None:
    """Loaded once in gunicorn's master, the app's objects are frozen out of the garbage
    collector's scans (full collections during big pages were most of their p95)."""
    import subprocess

    code = "import gc, headway.wsgi; print(gc.get_freeze_count())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "headway.settings"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) > 10_000


def test_the_wsgi_module_collects_young_objects_less_often() -> None:
    """A big page allocates a few hundred thousand objects: the served app's young
    generation holds 20,000 before a collection (Python's default: 700)."""
    import subprocess

    code = "import gc, headway.wsgi; print(gc.get_threshold()[0])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "headway.settings"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) == 20_000


# Libraries only some pages, the feed or the tests use: the served app (loaded in gunicorn's
# master before it listens) must not import them (altair alone cost ~0.7 s of each start).
NOT_LOADED_AT_START = (
    "altair",
    "vl_convert",
    "icalendar",
    "pandas",
    "python_calamine",
    "hypothesis",
    "schemathesis",
)


def test_the_served_app_leaves_the_heavy_libraries_to_the_pages_that_use_them() -> None:
    import subprocess

    code = (
        "import sys, headway.wsgi; "
        f"print(','.join(m for m in {NOT_LOADED_AT_START!r} if m in sys.modules))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "headway.settings"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_a_chart_still_loads_altair_when_one_is_built() -> None:
    """The chart helpers import altair where they build a chart (not at module level)."""
    from headway.insights import charts

    table = charts.Table("t", "T", ("week", "tasks"), (("2026-01-05", 3),))
    chart = charts.bars(table, x="week", y="tasks", description="Tasks a week")
    assert chart.spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert chart.table.rows == (("2026-01-05", 3),)


@pytest.mark.parametrize(("checks", "expected"), [(None, "False"), ("true", "True")])
def test_postgresql_connections_are_kept_and_checked_only_when_asked(
    checks: str | None, expected: str
) -> None:
    """Kept PostgreSQL connections skip Django's `SELECT 1` at every request's first query
    unless DATABASE_HEALTH_CHECKS=true."""
    import subprocess

    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "headway.settings",
        "DATABASE_URL": "postgres://someone@127.0.0.1:5432/nowhere",
    }
    env.pop("DATABASE_HEALTH_CHECKS", None)
    if checks is not None:
        env["DATABASE_HEALTH_CHECKS"] = checks
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["60", expected]

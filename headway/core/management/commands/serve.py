"""`headway serve`: the production web server, gunicorn with worker processes and threads
sized from the machine's CPUs (WEB_CONCURRENCY and WEB_THREADS override them)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.environ import env_int


def cpu_count() -> int:
    """The CPUs this process may run on (a container's limit, not the host's)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not Linux
        return max(os.cpu_count() or 1, 1)


def default_workers(cpus: int) -> int:
    """One process per CPU, at least two and at most twelve: the processes use every CPU, and
    their threads serve the requests that wait on the database or the network. More
    processes than CPUs only contend: with SQLite, each write waits for the single write lock
    in SQLite's busy handler, which sleeps in steps of up to 100 ms (measured with 2 CPUs, 20
    concurrent task creators: 4 x 4 threads 113-124 requests a second, p95 400-590 ms;
    2 x 8 threads 157-170, p95 220-310 ms)."""
    return min(max(cpus, 2), 12)


DEFAULT_THREADS = 8  # per worker: requests mostly wait on SQLite/PostgreSQL, not the CPU


def gunicorn_argv(host: str, port: int, workers: int, threads: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "headway.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        # Loaded once in the master, then forked: workers answer as soon as they exist.
        "--preload",
        "--access-logfile",
        "-",
        "--timeout",
        "60",
        "--graceful-timeout",
        "10",
    ]


def _static_sources() -> list[Path]:
    """The static folders collectstatic reads: each installed app's `static/` and
    STATICFILES_DIRS, found without loading the apps (so `serve` starts fast)."""
    folders = [Path(str(d[1] if isinstance(d, tuple) else d)) for d in settings.STATICFILES_DIRS]
    for app in settings.INSTALLED_APPS:
        try:
            spec = importlib.util.find_spec(app)
        except (ImportError, ValueError):
            continue
        for location in (spec.submodule_search_locations or []) if spec else []:
            folders.append(Path(location) / "static")
    return [f for f in folders if f.is_dir()]


def static_collected() -> bool:
    """Whether collectstatic has run (bin/setup does it) since a static file last changed:
    the manifest storage refuses to name a file it has not collected."""
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    if "Manifest" not in backend:
        return True
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    collected = manifest.stat().st_mtime
    for folder in _static_sources():
        for path in folder.rglob("*"):
            if path.is_file() and path.stat().st_mtime > collected:
                return False
    return True


def serve_from_cli(argv: list[str]) -> None:
    """`headway serve` from the command line: settings only, not the apps, are loaded
    before gunicorn, which loads them once (--preload), so the server listens sooner."""
    import argparse

    parser = argparse.ArgumentParser(prog="headway serve", description=Command.help)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    options = vars(parser.parse_args(argv))
    if not static_collected():
        import django

        django.setup()
    Command().handle(**options)


class Command(BaseCommand):
    help = (
        "Serves Headway with gunicorn: WEB_CONCURRENCY worker processes (default one per CPU) "
        "with WEB_THREADS threads each (default 8); static files through whitenoise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=None)
        parser.add_argument("--threads", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        workers = options["workers"] or env_int(
            "WEB_CONCURRENCY", default_workers(cpu_count()), minimum=1
        )
        threads = options["threads"] or env_int("WEB_THREADS", DEFAULT_THREADS, minimum=1)
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        if not static_collected():
            # A checkout that skipped bin/setup: collect once; later starts skip this.
            call_command("collectstatic", interactive=False, verbosity=0)
        bind = f"{options['host']}:{options['port']}"
        self.stdout.write(
            f"Headway is serving at http://{bind} with {workers} workers x {threads} threads "
            "(Ctrl+C stops it)"
        )
        self.stdout.flush()
        argv = gunicorn_argv(options["host"], options["port"], workers, threads)
        os.execv(sys.executable, argv)

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.core.demo import DEMO_PASSWORD, demo_load, demo_logins
from headway.core.processes import run_together


class Command(BaseCommand):
    help = (
        "Migrates, loads the demo workspaces (idempotently), then serves Headway and runs the "
        "background worker until Ctrl+C stops both."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Load the demo and stop.")
        parser.add_argument(
            "--no-worker", action="store_true", help="Serve without the background worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        workspaces = demo_load()
        self.stdout.write("Demo workspaces: " + ", ".join(w.name for w in workspaces))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for person in demo_logins():
            self.stdout.write(f"  {person.email:32} {person.name} — {person.title}")
        if not options["no_serve"]:
            self._serve(options["host"], options["port"], worker=not options["no_worker"])

    def _serve(self, host: str, port: int, *, worker: bool) -> None:
        """Runs the web server and the worker as children, until Ctrl+C stops both."""
        # Links in the emails point at the address the demo serves, unless told otherwise.
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        os.environ.setdefault("BASE_URL", f"http://{shown}:{port}")
        headway = [sys.executable, "-m", "headway.cli"]
        commands = {"web server": [*headway, "serve", "--host", host, "--port", str(port)]}
        if worker:
            # Approval links, reminders and mentions are emails the worker sends; in the demo
            # the console email backend prints them here.
            commands["worker"] = [*headway, "worker"]
            self.stdout.write("The background worker prints the emails it sends below.")
        self.stdout.flush()
        code = run_together(commands, out=self.stdout)
        if code:
            raise CommandError("The demo stopped because a part of it failed.", returncode=code)

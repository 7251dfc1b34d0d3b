from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from headway.core.demo import DEMO_PASSWORD, demo_load, demo_logins


class Command(BaseCommand):
    help = "Migrates, loads the demo workspaces (idempotently) and serves Headway."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Load the demo and stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        workspaces = demo_load()
        self.stdout.write("Demo workspaces: " + ", ".join(w.name for w in workspaces))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for person in demo_logins():
            self.stdout.write(f"  {person.email:32} {person.name} — {person.title}")
        if not options["no_serve"]:
            call_command("serve", host=options["host"], port=options["port"])

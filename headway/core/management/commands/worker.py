from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Runs background jobs (reminders, imports, notifications) until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is due, then stop.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_args = ["--interval", str(options["interval"]), "--no-startup-delay"]
        if options["batch"]:
            worker_args.append("--batch")
        call_command("db_worker", *worker_args)

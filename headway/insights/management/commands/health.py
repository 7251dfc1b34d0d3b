"""`headway health --all`: recompute the health and forecast of every open campaign now."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from headway.insights.services.escalations import escalations_sweep
from headway.insights.services.health import workspace_health_refresh
from headway.workspaces.models import Workspace


class Command(BaseCommand):
    help = "Recomputes campaign health and launch forecasts (and sends overdue escalations on)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Every workspace.")
        parser.add_argument("--workspace", help="One workspace, by its slug.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workspace"]:
            spaces = list(Workspace.objects.filter(slug=options["workspace"]))
            if not spaces:
                raise CommandError(f"No workspace with the slug {options['workspace']!r}.")
        elif options["all"]:
            spaces = list(Workspace.objects.all())
        else:
            raise CommandError("Say which: --all, or --workspace <slug>.")
        for w in spaces:
            started = time.perf_counter()
            n = workspace_health_refresh(w)
            took = time.perf_counter() - started
            self.stdout.write(f"{w.slug}: {n} campaigns in {took:.2f} s")
        sent = escalations_sweep(timezone.now())
        self.stdout.write(f"{sent} overdue escalations sent to owners and managers")

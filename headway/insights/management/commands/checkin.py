"""`headway checkin send-agendas`: emails each check-in's agenda to the workspace's managers
when the meeting starts within the next 18 hours (once per check-in). The worker runs the
same sweep every 30 minutes; this is for cron or a one-off."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from headway.insights.services.checkins import checkins_send_agendas


class Command(BaseCommand):
    help = "Weekly check-in chores: send-agendas emails the upcoming check-ins' agendas."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["send-agendas"])

    def handle(self, *args: Any, **options: Any) -> None:
        sent = checkins_send_agendas(timezone.now())
        self.stdout.write(f"{sent} agenda{'s' if sent != 1 else ''} sent")

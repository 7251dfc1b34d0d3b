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
        if not options["batch"]:
            _start_periodic_jobs()
        worker_args = ["--interval", str(options["interval"]), "--no-startup-delay"]
        if options["batch"]:
            worker_args.append("--batch")
        call_command("db_worker", *worker_args)


def _start_periodic_jobs() -> None:
    """Queues the approvals and health sweeps unless one is already waiting; each requeues
    itself."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from headway.approvals.tasks import approvals_sweep_job
    from headway.insights.checkin_jobs import checkin_agendas_job
    from headway.insights.health_jobs import health_sweep_job
    from headway.insights.rollup_jobs import diagnosis_rollups_job

    for job in (approvals_sweep_job, health_sweep_job, checkin_agendas_job, diagnosis_rollups_job):
        path = job.module_path
        if not DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY).exists():
            job.enqueue(again=True)

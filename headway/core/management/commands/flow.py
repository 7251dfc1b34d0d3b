from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.engine.flow import FlowLog, flow_metrics


def _days(raw: str, line: int) -> float:
    try:
        moment = dt.datetime.fromisoformat(raw.strip())
    except ValueError:
        raise CommandError(f"line {line}: 'entered' {raw!r} is not a date or date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp() / 86400


def read_events(path: str, stages: list[str]) -> tuple[FlowLog, list[str]]:
    try:
        handle = Path(path).open(newline="")  # noqa: SIM115 (closed by the with below)
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    with handle:
        reader = csv.DictReader(handle)
        missing = {"item", "stage", "entered"} - set(reader.fieldnames or [])
        if missing:
            raise CommandError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        names: dict[str, int] = {}
        items, stage_ix, times = [], [], []
        for n, row in enumerate(reader, start=2):
            if row["stage"] not in stages:
                raise CommandError(f"{path} line {n}: stage {row['stage']!r} is not in --stages")
            items.append(names.setdefault(row["item"], len(names)))
            stage_ix.append(stages.index(row["stage"]))
            times.append(_days(row["entered"], n))
    log = FlowLog(
        np.array(items, dtype=np.int64),
        np.array(stage_ix, dtype=np.int64),
        np.array(times, dtype=np.float64),
    )
    return log, list(names)


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Flow metrics from a CSV of item, stage, entered."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        a = sub.add_parser("analyze")
        a.add_argument("events")
        a.add_argument("--stages", required=True)
        a.add_argument("--start", required=True)
        a.add_argument("--done", required=True)
        a.add_argument("--waiting", default="", help="Stages where work waits, comma-separated.")
        a.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        stages = [s.strip() for s in options["stages"].split(",") if s.strip()]
        log, names = read_events(options["events"], stages)
        waiting = [s for s in options["waiting"].split(",") if s]
        working = (
            [s for s in stages if s not in waiting and s != options["done"]] if waiting else []
        )
        try:
            report = flow_metrics(
                log, stages, options["start"], options["done"], waiting=waiting, working=working
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        first = dt.date(1970, 1, 1) + dt.timedelta(days=report.first_day)
        answer: dict[str, Any] = {
            "first_day": first.isoformat(),
            "cumulative_flow": report.cumulative_flow,
            "cycle_time_percentiles": {str(k): v for k, v in report.cycle_time_percentiles.items()},
            "throughput_per_day": report.throughput_per_day,
            "throughput_per_week": report.throughput_per_week,
            "work_in_progress": [
                {"item": names[w.item], "age": w.age, "beyond_percentile": w.beyond}
                for w in report.work_in_progress
            ],
            "time_in_stage": report.time_in_stage,
            "flow_efficiency": report.flow_efficiency,
        }
        if options["json"]:
            self.stdout.write(json.dumps(answer, indent=2))
            return
        self.stdout.write(
            "Cycle time (days): "
            + ", ".join(f"{k}th {v:.1f}" for k, v in report.cycle_time_percentiles.items())
        )
        self.stdout.write(f"Throughput per week: {report.throughput_per_week}")
        for w in answer["work_in_progress"]:
            flag = (
                f" (older than {w['beyond_percentile']}% of finished items)"
                if w["beyond_percentile"]
                else ""
            )
            self.stdout.write(f"In progress: {w['item']} for {w['age']:.1f} days{flag}")
        for stage, days in report.time_in_stage.items():
            self.stdout.write(f"Time in {stage}: {days:.1f} days per visit")
        if report.flow_efficiency is not None:
            self.stdout.write(f"Flow efficiency: {report.flow_efficiency:.0%}")

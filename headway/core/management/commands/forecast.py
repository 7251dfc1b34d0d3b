from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.engine.throughput import how_many, when_done


def parse_history(raw: str) -> list[float]:
    values = []
    for k, part in enumerate(raw.split(",")):
        try:
            values.append(float(part))
        except ValueError:
            raise CommandError(f"--history: item {k + 1} ({part!r}) is not a number") from None
    return values


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Throughput forecasts: when N items will be done, or how many in K periods."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        t = sub.add_parser("throughput", help="Forecast from items finished per period.")
        t.add_argument("--history", required=True, help="Items finished per period: 3,5,2,...")
        group = t.add_mutually_exclusive_group(required=True)
        group.add_argument("--items", type=int)
        group.add_argument("--periods", type=int)
        t.add_argument("--trials", type=int, default=10_000)
        t.add_argument("--seed", type=int, default=0)
        t.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        history = parse_history(options["history"])
        try:
            if options["items"] is not None:
                w = when_done(
                    history, options["items"], trials=options["trials"], seed=options["seed"]
                )
                answer: dict[str, Any] = {
                    "percentiles": {str(k): v for k, v in w.percentiles.items()},
                    "p_within": {str(k): v for k, v in w.p_within.items()},
                }
            else:
                h = how_many(
                    history, options["periods"], trials=options["trials"], seed=options["seed"]
                )
                answer = {"how_many": {str(k): v for k, v in h.how_many.items()}}
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(answer, indent=2))
        elif "how_many" in answer:
            for k, v in answer["how_many"].items():
                self.stdout.write(
                    f"{k}% confidence: {v:g} items or more in {options['periods']} periods"
                )
        else:
            for k, v in answer["percentiles"].items():
                self.stdout.write(f"{k}% confidence: done within {v:g} periods")

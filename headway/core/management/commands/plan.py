from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.engine.montecarlo import Distribution, simulate
from headway.engine.network import NetworkError
from headway.engine.planfile import PlanError, analyze, parse_plan


def load_plan(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Analyses or forecasts a plan file: critical path, floats, PERT and Monte Carlo."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        a = sub.add_parser("analyze", help="Critical path, floats and PERT of PLAN.json.")
        a.add_argument("plan")
        a.add_argument("--json", action="store_true")
        f = sub.add_parser("forecast", help="Monte Carlo forecast of PLAN.json's finish.")
        f.add_argument("plan")
        f.add_argument("--trials", type=int, default=10_000)
        f.add_argument("--seed", type=int, default=0)
        f.add_argument("--distribution", choices=["pert", "triangular"], default="pert")
        f.add_argument(
            "--shared-factor",
            type=float,
            default=0.0,
            help="Spread of a per-trial slowness shared by every task (e.g. 0.2).",
        )
        f.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = parse_plan(load_plan(options["plan"]))
            if options["action"] == "analyze":
                self._analyze(analyze(plan), options["json"])
            else:
                self._forecast(plan, options)
        except (PlanError, NetworkError, ValueError) as exc:
            raise CommandError(f"{options['plan']}: {exc}") from None

    def _analyze(self, answer: dict[str, Any], as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(answer, indent=2))
            return
        self.stdout.write(f"Duration: {answer['duration']:g} working days")
        self.stdout.write("Critical path: " + " -> ".join(answer["critical_path"]))
        head = f"{'task':<12}{'ES':>7}{'EF':>7}{'LS':>7}{'LF':>7}{'TF':>7}{'FF':>7}  crit  why"
        self.stdout.write(head)
        for tid, t in answer["tasks"].items():
            self.stdout.write(
                f"{tid:<12}{t['early_start']:>7g}{t['early_finish']:>7g}{t['late_start']:>7g}"
                f"{t['late_finish']:>7g}{t['total_float']:>7g}{t['free_float']:>7g}  "
                f"{'yes ' if t['critical'] else '    '}  {t['explanation']}"
            )
        if "pert" in answer:
            p = answer["pert"]
            line = f"PERT: expected {p['expected_duration']:.2f}, std dev {p['std_dev']:.2f}"
            if p["p_finish_by"] is not None:
                line += f", P(finish by target) {p['p_finish_by']:.1%}"
            self.stdout.write(line)
        if "backward" in answer:
            b = answer["backward"]
            state = (
                "feasible"
                if b["feasible"]
                else f"infeasible by {b['short_by_working_days']} working days"
            )
            self.stdout.write(
                f"Backward from launch {b['launch']}: start by {b['latest_start']} ({state})"
            )

    def _forecast(self, plan: Any, options: dict[str, Any]) -> None:
        if options["trials"] < 1:
            raise ValueError("--trials must be at least 1")
        result = simulate(
            plan.network,
            trials=options["trials"],
            seed=options["seed"],
            distribution=Distribution(options["distribution"]),
            finish_by=plan.finish_by,
            shared_factor=options["shared_factor"],
        )
        answer = {
            "trials": result.trials,
            "p_finish_by": result.p_finish_by,
            "percentiles": {str(k): v for k, v in result.percentiles.items()},
            "criticality": result.criticality,
        }
        if options["json"]:
            self.stdout.write(json.dumps(answer, indent=2))
            return
        self.stdout.write(f"{result.trials} trials")
        if result.p_finish_by is not None:
            self.stdout.write(f"P(finish by {plan.finish_by:g}): {result.p_finish_by:.1%}")
        for k, v in result.percentiles.items():
            self.stdout.write(f"  {k}th percentile: {v:.2f} working days")
        self.stdout.write("Criticality index:")
        for tid, share in sorted(result.criticality.items(), key=lambda x: -x[1]):
            self.stdout.write(f"  {tid:<12}{share:>7.1%}")

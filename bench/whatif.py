"""What-if benchmark: "can we take this on?" over 40 running campaigns holding 2,000 tasks,
with 2,000 trials per launch forecast (target: the whole answer in <= 3 s).

Run with `.venv/bin/python bench/whatif.py [repeats]` (default 5). It builds its own SQLite
database under var/whatif/ with 30 people (each with a kind of work), 40 planned campaigns of
49 dated tasks in chains plus a launch milestone each (links included), and asks about the
starter "Product launch" template launching in six weeks. It times the fetch (queries into
plain values), the engine (levelling today's plan and the scenario's, the load grids, 40
campaigns' forecasts before and after and the new one's) and scenario_compute end to end
(fetch, engine, JSON, store), as the background job runs it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
import sys
from typing import Any

from django_bench import django_for_bench, percentile, times_ms

PEOPLE, CAMPAIGNS, CHAINS, CHAIN, TRIALS = 30, 40, 7, 7, 2000
SKILLS = ["designer", "copywriter", "web", "email", "social", "paid_ads", "strategist", "video"]


def build() -> tuple[Any, Any, Any]:
    import random

    from django.db import transaction

    from headway.accounts.services import user_create
    from headway.capacity.services import capacity_set
    from headway.planning.models import Campaign, CampaignTemplate, Dependency, Task
    from headway.planning.services.templates import templates_ensure
    from headway.workspaces.models import Role
    from headway.workspaces.services import membership_add, workspace_create

    rng = random.Random(7)
    owner = user_create(email="bench@example.com", name="Bench Owner", password="bench-pass-123")
    ws = workspace_create(actor=owner, name="Bench Co")
    templates_ensure(ws)
    people = [owner]
    for k in range(PEOPLE - 1):
        u = user_create(email=f"p{k}@example.com", name=f"Person {k:02}", password="bench-pass-1")
        membership_add(actor=owner, workspace=ws, user=u, role=Role.MEMBER)
        people.append(u)
    for k, u in enumerate(people):
        capacity_set(
            actor=owner, workspace=ws, user_id=u.pk, weekly_hours=32, weekdays=[0, 1, 2, 3, 4],
            skill=SKILLS[k % len(SKILLS)],
        )  # fmt: skip
    today = ws.today()
    with transaction.atomic():
        campaigns = Campaign.objects.bulk_create(
            Campaign(
                workspace=ws, name=f"Campaign {n}", status="planned", plan_start=today,
                launch_date=today + dt.timedelta(days=30 + 2 * n),
            )
            for n in range(CAMPAIGNS)
        )  # fmt: skip
        rows, chains = [], []
        for c in campaigns:
            launch = Task(
                workspace=ws, campaign=c, title="Launch", kind="launch", duration_days=0,
                start_date=c.launch_date, due_date=c.launch_date, position=0,
            )  # fmt: skip
            rows.append(launch)
            for ch in range(CHAINS):
                day = today + dt.timedelta(days=rng.randint(0, 10))
                chain = []
                for k in range(CHAIN):
                    length = rng.randint(1, 4)
                    owner_k = rng.randrange(PEOPLE)
                    t = Task(
                        workspace=ws, campaign=c, title=f"Task {ch}.{k}", duration_days=length,
                        owner=people[owner_k], role_needed=SKILLS[owner_k % len(SKILLS)],
                        effort_hours=length * rng.choice([3, 5, 6]), start_date=day,
                        due_date=day + dt.timedelta(days=length - 1), position=1 + ch * CHAIN + k,
                        total_float=float(rng.randint(0, 8)),
                    )  # fmt: skip
                    day += dt.timedelta(days=length + 2)
                    chain.append(t)
                    rows.append(t)
                chains.append((launch, chain))
        Task.objects.bulk_create(rows)
        links = []
        for launch, chain in chains:
            for a, b in itertools.pairwise(chain):
                links.append(Dependency(workspace=ws, predecessor=a, successor=b))
            links.append(Dependency(workspace=ws, predecessor=chain[-1], successor=launch))
        Dependency.objects.bulk_create(links)
    template = CampaignTemplate.objects.get(workspace=ws, name="Product launch")
    return owner, ws, template


def main(repeats: int) -> None:
    django_for_bench("whatif")
    from headway.capacity.scenarios import scenario_compute, scenario_create
    from headway.capacity.scenarios_fetch import scenario_input
    from headway.engine.whatif import scenario_run
    from headway.planning.models import Task

    owner, ws, template = build()
    scenario = scenario_create(
        actor=owner,
        workspace=ws,
        template_id=template.pk,
        launch_date=ws.today() + dt.timedelta(days=42),
        trials=TRIALS,
        compute=True,
    )
    inp, _ = scenario_input(scenario)
    tasks = Task.objects.filter(workspace=ws).count()
    forecasts = sum(len(c.forecast.tasks) for c in inp.running)
    print(
        f"{len(inp.running)} running campaigns, {tasks} tasks ({forecasts} in forecasts), "
        f"{len(inp.staff_before)} people, {TRIALS} trials per forecast"
    )
    assert scenario.result is not None
    drops = sum(1 for r in scenario.result["running"] if r["notable"])
    print(f"answer: {drops} running launches slip or drop; status {scenario.status}")
    figures = {
        "fetch (scenario_input)": lambda: scenario_input(scenario),
        "engine (scenario_run)": lambda: scenario_run(inp),
        "scenario_compute (job)": lambda: scenario_compute(scenario=scenario),
    }
    for name, fn in figures.items():
        ms = times_ms(fn, repeats)
        print(
            f"{name:24} median {statistics.median(ms):8.1f} ms   "
            f"p95 {percentile(ms, 95):8.1f} ms   max {max(ms):8.1f} ms"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

"""Flow, where work waits, the crunch and the scorecard over 1,000,000 activity events and
50,000 tasks, for any period and filter.

Run with `.venv/bin/python bench/flow.py [repeats] [--reuse] [--direct] [--build-only]`
(default 20; --reuse measures on the database a previous run built, --build-only builds and
stops). Builds a fresh SQLite database under var/bench-flow/, or a PostgreSQL one when
BENCH_DATABASE_URL is set (e.g. postgres://postgres@127.0.0.1:5432/headway_flowbench; dropped
and created; ANALYZEd before measuring): one workspace, 2,500 campaigns of 20 tasks linked in
a chain on four channels, each task created, moved through in progress / blocked / in review
/ done (with rework) and edited, for about 1,000,000 events over 300 days, plus an approval
request and decision for every fourth task. Rows are bulk-inserted (the benchmark measures
reading, not the services).

Design (option b of issue 13's brief): the figures are computed per request from compact
column arrays kept in each process's memory, not from per-day SQL rollups. The rollup job
copies out of the log, with one INSERT ... SELECT per window of 50,000 events (idempotent:
unique (workspace, event), a CopyMark row saying how far it has read), the tasks' status
moves (TaskMove), the approval rounds' starts (RoundStart) and the plan changes (PlanChange).
A process reads them once into numpy arrays (moves ordered by task, then time: 22 MiB for
820,372 moves), then on each request only what was copied since (one indexed query) and the
log after the copy mark; the tasks and links are kept as columns too and re-read only for the
tasks that new events name. A period and its filters are then masks and searches over the
arrays, and the engine works on the already ordered log (no sort, no Python loop over
moves). Each request checks the kept columns with one query (log_state: the newest event,
the number of tasks, the copy mark) and skips the query for the log after the copy when
nothing is newer. The job also stores all these columns as one binary row (ColumnsCopy: an
npz, ids in 32 bits, 18 MiB here; written again at most every 30 minutes once the copy mark
moved), so a new process reads one row and then only what changed since, as a process that
kept them would. The workspace's approval decisions with their requests are kept as columns
too (checked with one query: newest event, decisions naming an approver, last decision,
requests' last change), and where work waits attributes them over columns
(engine.approver_columns, equal to engine.waiting's approver_waits to the bit). The stored
per-page results (DiagnosisRollup, versioned) still serve the default period without filters
and the scorecard; the pages say when those predate newer activity.

Prints: the job's copy (the first run copies the whole history), the job that stores the
default pages' figures (wall time and peak Python heap under tracemalloc), a new process's
first answer (reading the columns) and their size, then for each case (the default period,
a year, a month five months back, and a campaign, a person and a channel filter) p50/p95 of
`repeats` GETs of each page and API answer, with this process's CPU time per request (the
test client runs the view in process; PostgreSQL's own CPU is not in it) and the first GET
(which also renders the charts' SVG, cached by specification), and the load average. Then the
computation alone for a year with its peak Python memory; with --direct the direct
computation (everything read from the log and the tables, as the tests compare with).
Target: p95 <= 300 ms.

History (24 Nov 2026, 10 GETs each, shared 2-core machine): the first kept-columns version
had a year's flow page at 372 ms p95 (239 ms CPU), where work waits 497 (369), the crunch
1018 (739) on SQLite at load 3; the "last mile" (altair specs unvalidated, the calendar's
day table, the crunch counted at once, the decisions read with their requests in one join)
brought CPU per request under 300 ms everywhere, a year's where work waits still ~280 ms.

Then (this round, profiled with cProfile on this database): where work waits' approvers
are attributed over columns (engine.approver_columns) from the decisions kept in memory;
each move's working position is read once (a visit ends where the next starts); held time
is summed by person id without a sort, once per stage; the copied moves are matched to the
period's tasks per task run, not per move; one query checks the columns (log_state) and the
log after the copy is not queried when nothing is newer; aging tasks, tasks and rounds per
kind are read as plain numbers (rounds counted by the database); the crunch's launches are
views, its channels a join, local days read from a per-zone table of hours; the flow API's
objects are validated once (as the crunch's); a new process reads the stored columns
(ColumnsCopy). EpochMicros on SQLite no longer rounds a time 0.9995 s past a second up.
Answers compared with the code before (c20215b) on both bench databases: flow, where work
waits and crunch for the default quarter, a year, a past month and each filter (crunch for
a half year too): the same, to the bit.

Measured 24 Nov 2026 06:40-07:17 UTC, `.venv/bin/python bench/flow.py 10 --reuse` (and with
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/headway_flowbench), before (load
4.0-4.8) -> after (SQLite load 6.8-7.9, PostgreSQL 5.4-6.6, i.e. busier after than before):
p50 / p95 ms (CPU p50 ms).
- SQLite, a year: flow page 311/527 (144) -> 204/417 (132); flow API 304/507 (142) ->
  196/358 (94); where work waits page 630/768 (266) -> 243/337 (143); bottlenecks API
  296/485 (219) -> 186/228 (105); crunch API 167/223 (152) -> 272/602 (91). Past month:
  flow API 167/314 (90) -> 79/228 (56), bottlenecks 50/58 (48) -> 117/138 (48). Campaign:
  where work waits page 96/159 (69) -> 125/394 (80). Person: bottlenecks 78/133 (76) ->
  104/173 (43). First answer of a new process 3.0 s -> 0.48 s (3.76 s when it rebuilds the
  columns from the tables). Computation alone for a year at load 3-3.5: flow 87 -> 65 ms
  CPU, where work waits 225 -> 98 ms; crunch 90 -> 55 ms at load 5.
- PostgreSQL, a year: flow page 330/576 (143) -> 310/525 (124); flow API 309/525 (139) ->
  194/376 (83); where work waits page 519/711 (212) -> 145/245 (117); bottlenecks API
  478/743 (180) -> 105/114 (79); crunch API 511/1051 (185) -> 175/305 (80). Past month:
  flow API 224/452 (93) -> 70/142 (47); where work waits 188/219 -> 121/189 (67).
  Campaign: where work waits page 375/412 -> 90/130; person: bottlenecks 325/429 -> 87/120;
  channel: flow page 457/536 -> 118/173, bottlenecks 320/599 -> 92/144. First answer of a
  new process 2.7 s -> 0.31 s (2.52 s rebuilding). Queries for a year's answer: flow 6 -> 3,
  where work waits 15 -> 9.
CPU per request for a year is now 80-145 ms on either database (where work waits page the
highest: its view and template add ~40 ms to the figures' ~100). At load 6-8 on 2 cores the
wall time is 1.5-3x the CPU time, so p95 of the year-long pages (flow page 417-525, flow API
358-376 ms) is still over 300 ms at that load; every API answer's p50 is under 200 ms and
where work waits (page and API) fits on PostgreSQL. What is left: the flow page's charts and
template (~50 ms CPU for a year, in the views), the status log's merge of the period's
ready moments into 820,000 moves (np.insert; ~10 ms), the crunch API's 581 KB answer
(~35 ms of validation and JSON), and the task count in log_state (a COUNT over 50,000 tasks
per request, ~5 ms on SQLite).

Then (the flow page's view, 24 Nov 2026, profiled with cProfile in process): its four charts
are kept per process for the same inputs (their tables' rows and options; a year computed per
request built four altair specifications each time, ~20 ms), with their tables' HTML drawn
once; the filter selects' markup (2,500 campaigns) is kept for the same choices and value and
their choices are set without Django's per-item normalising (~15 ms, on every page with the
filters); the cumulative flow's daily table is made only for its CSV. The same page and CSVs
(compared with the code before, tokens and the aging ages that move with the clock aside).
Measured 07:51-07:54 UTC with a short script (not kept) timing 20 GETs of a year's flow page and API
in process (as measure_pages), the code before (48060b6) and after alternating, twice each:
SQLite (load 4.5-4.9) flow page p50/p95 391-394/589-610 ms, 154-157 ms CPU -> 206-219/302-410,
102-108 CPU; PostgreSQL (load 4.1-5.1) 158-315/265-587, 135-138 CPU -> 115-121/196-256, 91-92
CPU. The flow API's answer is then made as plain values in FlowOut's order (2,200 schema
objects built with model_construct took ~7 ms); at 07:56 UTC (load 2.5-3.4, one run each)
SQLite 93/166 ms, 93 CPU -> 84/159, 84 CPU; PostgreSQL 106/178, 88 CPU -> 104/189, 83 CPU (the
page in that run 130 -> 88 and 125 -> 89 ms CPU). Of the answer the figures are ~80 ms
(flow_for) and its JSON ~3 ms. What is left on both: flow_for itself (status_log, task_rows' aging
titles query ~17 ms, log_state ~16 ms on SQLite), and the three filter-choice queries.

The scorecard for a chosen period (a year, a past month) is measured too since 24 Nov 08:20:
computed per request it took 3.4 s for a year on SQLite (2.2 s PostgreSQL; ~0.3 s a month).
The rollup job now also stores the 25 whole months before this one (scorecard_months: 6.7 s
SQLite, 7.3 s PostgreSQL, in the background) and a period reads them, computing only this
month once per state of the log.

Measured 24 Nov 2026 08:15-08:28 UTC on a nearly quiet machine (one helper editing, load
1.4-2.3), `.venv/bin/python bench/flow.py 10 --reuse` and the same with BENCH_DATABASE_URL=
postgres://postgres@127.0.0.1:5432/headway_flowbench, p95 ms of 10 GETs (SQLite / PostgreSQL):
default flow page 67 / 23, flow API 7 / 13, where work waits 15 / 19, bottlenecks API 4 / 6,
crunch API 147 / 161, scorecard 8-9 / 10-11; a year: flow page 86 / 147, flow API 132 / 183,
where work waits 133 / 152, bottlenecks API 107 / 180, crunch API 193 / 198, scorecard page
12 / 17 and API 5 / 9 (first request 369 / 180); a past month: flow page 104 / 125, flow API
103 / 122, where work waits 76 / 90, bottlenecks 46 / 55, crunch 24 / 29, scorecard 11 / 15;
campaign: flow page 28 / 39, where work waits 74 / 64; person: flow page 38 / 46, bottlenecks
42 / 48; channel: flow page 39 / 67, bottlenecks 60 / 119. Every case p95 <= 300 ms on both.
A new process's first answer 0.15-0.20 s SQLite, 0.21 s PostgreSQL (from the stored columns);
the first GET of a process's default flow page 1.9-2.1 s (it renders the charts' SVG once).
Computation for a year: flow p50 68 ms (peak Python memory 54 MiB), where work waits p50 100
ms (66 MiB); the background job's peak 66 MiB SQLite, 158 MiB PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from django_bench import django_for_bench, percentile

TASKS, PER_CAMPAIGN, EVENTS = 50_000, 20, 1_000_000
DAYS = 300


def build() -> Any:
    from headway.accounts.models import User
    from headway.activity.models import Event
    from headway.approvals.models import ApprovalChain, ApprovalRequest, ApprovalStep, Decision
    from headway.planning.models import Campaign, Channel, Dependency, Task
    from headway.workspaces.models import Membership, Role, Workspace

    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    t0 = now - dt.timedelta(days=DAYS)
    ws = Workspace.objects.create(name="Bench", slug="bench")
    people = [
        User.objects.create(email=f"p{k}@bench.example", name=f"Person {k}") for k in range(12)
    ]
    Membership.objects.bulk_create(
        Membership(workspace=ws, user=u, role=Role.OWNER if k == 0 else Role.MEMBER)
        for k, u in enumerate(people)
    )
    chain = ApprovalChain.objects.create(workspace=ws, name="Content", kind="content_draft")
    step = ApprovalStep.objects.create(chain=chain, position=0, name="Founder", limit=2)
    step.approvers.add(people[0])
    n_campaigns = TASKS // PER_CAMPAIGN
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            workspace=ws,
            name=f"Campaign {k}",
            status="launched",
            launch_date=(t0 + dt.timedelta(days=DAYS * k / n_campaigns + 20)).date(),
        )
        for k in range(n_campaigns)
    )
    channels = [
        Channel.objects.get_or_create(workspace=ws, key=f"bench-{k}", defaults={"name": f"Ch {k}"})[
            0
        ]
        for k in range(4)
    ]
    Campaign.channels.through.objects.bulk_create(
        Campaign.channels.through(campaign_id=c.pk, channel_id=channels[k % 4].pk)
        for k, c in enumerate(campaigns)
    )
    tasks = Task.objects.bulk_create(
        (
            Task(
                workspace=ws,
                campaign=c,
                title=f"Task {k}",
                owner=people[k % len(people)],
                position=k,
                due_date=c.launch_date,
            )
            for c in campaigns
            for k in range(PER_CAMPAIGN)
        ),
        batch_size=5000,
    )
    Dependency.objects.bulk_create(
        (
            Dependency(workspace=ws, predecessor=a, successor=b)
            for a, b in itertools.pairwise(tasks)
            if a.campaign_id == b.campaign_id
        ),
        batch_size=5000,
    )
    events: list[Event] = []
    requests: list[tuple[Task, dt.datetime, dt.datetime]] = []
    per_task = EVENTS // TASKS
    done_at: dict[int, dt.datetime] = {}
    created_at: dict[int, dt.datetime] = {}
    for k, task in enumerate(tasks):
        at = t0 + dt.timedelta(
            days=DAYS * (k // PER_CAMPAIGN) / n_campaigns, hours=k % PER_CAMPAIGN
        )

        def add(verb: str, changes: dict[str, object], when: dt.datetime, t: Task = task) -> None:
            events.append(
                Event(
                    workspace=ws,
                    actor=people[1],
                    verb=verb,
                    object_type="planning.task",
                    object_id=str(t.pk),
                    changes=changes,
                    created_at=when,
                )
            )

        add("created", {"title": [None, task.title]}, at)
        created_at[task.pk] = at
        status = "not_started"
        for _ in range(per_task - 2):
            at += dt.timedelta(hours=rng.uniform(2, 30))
            nxt = rng.choice(["in_progress", "blocked", "in_review", "in_progress", "updated"])
            if nxt == "updated":
                add("updated", {"duration_days": [1, 2]}, at)
                continue
            changes: dict[str, object] = {"status": [status, nxt]}
            if nxt == "blocked":
                changes["blocked_on"] = [None, people[rng.randrange(len(people))].pk]
            add("updated", changes, at)
            status = nxt
        at += dt.timedelta(hours=rng.uniform(2, 30))
        add("updated", {"status": [status, "done"]}, at)
        done_at[task.pk] = at
        if k % 4 == 0:
            requests.append((task, at - dt.timedelta(days=3), at))
        if len(events) >= 50_000:
            Event.objects.bulk_create(events, batch_size=10_000)
            events.clear()
    Event.objects.bulk_create(events, batch_size=10_000)
    Task.objects.bulk_update(
        [
            Task(pk=pk, done_at=when, status="done", created_at=created_at[pk])
            for pk, when in done_at.items()
        ],
        ["done_at", "status", "created_at"],
        batch_size=5000,
    )
    made = ApprovalRequest.objects.bulk_create(
        ApprovalRequest(
            workspace=ws,
            task=t,
            chain=chain,
            status="approved",
            waiting_since=since,
            due_at=since,
            decided_at=until,
        )
        for t, since, until in requests
    )
    Event.objects.bulk_create(
        Event(
            workspace=ws,
            verb="sent_for_approval",
            object_type="planning.task",
            object_id=str(r.task_id),
            changes={"request": [None, r.pk], "round": [None, 1]},
            created_at=r.waiting_since,
        )
        for r in made
    )
    Decision.objects.bulk_create(
        Decision(request=r, step=0, round=1, approver=people[0], verdict="approve") for r in made
    )
    # decisions are stamped when the work was decided, as the service does at that moment
    for r in made:
        Decision.objects.filter(request=r).update(created_at=r.decided_at)  # bench data only
    return ws


def measure(label: str, fn: object, repeats: int) -> None:
    """Wall times over `repeats` runs, then one more run under tracemalloc for the peak
    memory of the Python heap (tracemalloc slows Python down, so it is not timed)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    fn()  # type: ignore[operator]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"{label:<34} p50 {percentile(times, 50):7.0f} ms   p95 {percentile(times, 95):7.0f} ms"
        f"   peak Python memory {peak / 2**20:6.1f} MiB",
        flush=True,
    )


def reuse(name: str) -> Any:
    """Django on the database an earlier run built (building it takes a few minutes)."""
    folder = Path(__file__).resolve().parent.parent / "var" / name
    os.environ.update(
        DJANGO_SETTINGS_MODULE="headway.settings",
        DEBUG="false",
        ALLOWED_HOSTS="testserver,localhost",
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL")
        or f"sqlite:///{folder / 'bench.sqlite3'}",
    )
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    import django

    django.setup()
    from django.core.management import call_command

    from headway.workspaces.models import Workspace

    call_command("migrate", verbosity=0)  # tables added since it was built
    return Workspace.objects.get(slug="bench")


def postgres_for_bench(url: str) -> None:
    """A new PostgreSQL database at `url` (dropped first), migrated, Django set up on it."""
    import subprocess

    base, name = url.rsplit("/", 1)
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", f"{base}/postgres", "-qc", sql], check=True)
    reuse_env = {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "headway.settings"}
    os.environ.update(reuse_env, DEBUG="false", ALLOWED_HOSTS="testserver,localhost")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def store_figures(ws: Any) -> None:
    """The background job's work for this workspace, timed, with its peak Python memory."""
    from headway.insights.models import ColumnsCopy, DiagnosisRollup, TaskMove
    from headway.insights.services.moves import task_moves_copy
    from headway.insights.services.rollups import diagnosis_rollups_refresh

    start = time.perf_counter()
    copied = task_moves_copy(ws)
    print(
        f"moves copied from the log by the job: {copied:,} in {time.perf_counter() - start:.1f} s"
        f" ({TaskMove.objects.count():,} stored; a later run copies only new events)",
        flush=True,
    )
    tracemalloc.start()
    start = time.perf_counter()
    done = diagnosis_rollups_refresh(ws, force=True)  # also stores the columns (ColumnsCopy)
    took = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rows = DiagnosisRollup.objects.filter(workspace=ws).values_list("page", "seconds", "result")
    parts = ", ".join(f"{page} {sec:.1f} s ({len(res) / 1024:.0f} KB)" for page, sec, res in rows)
    parts += f", columns {len(ColumnsCopy.objects.get(workspace=ws).data) / 2**20:.1f} MiB"
    print(
        f"background job, {len(done)} pages stored: {took:.1f} s under tracemalloc "
        f"({parts}); peak Python memory {peak / 2**20:.0f} MiB",
        flush=True,
    )


def cases(ws: Any) -> dict[str, str]:
    """The periods and filters measured, as query strings: the default (the last quarter,
    stored by the job), a year, a month five months back, and one filter of each kind."""
    from headway.planning.models import Campaign, Channel

    today = ws.today()
    month_end = today - dt.timedelta(days=150)
    campaign = (
        Campaign.objects.filter(workspace=ws, launch_date__lte=today - dt.timedelta(days=30))
        .order_by("-launch_date")
        .values_list("pk", flat=True)
        .first()
    )
    person = ws.memberships.order_by("user_id").values_list("user_id", flat=True)[3]
    channel = Channel.objects.filter(workspace=ws, key="bench-1").values_list("pk", flat=True)[0]
    return {
        "default": "",
        "year": f"?from={today - dt.timedelta(days=364)}&to={today}",
        "past month": f"?from={month_end - dt.timedelta(days=30)}&to={month_end}",
        "campaign": f"?campaign={campaign}",
        "person": f"?person={person}",
        "channel": f"?channel={channel}",
    }


def measure_pages(ws: Any, repeats: int) -> None:
    """GETs of each page and API answer through Django's test client, logged in as the owner:
    wall time and this process's CPU time per request (the client runs the view in
    process), for each period and filter. Only the default period without filters reads the
    figures the job stored; every other answer is computed for its request."""
    from django.test import Client

    from headway.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="p0@bench.example"))
    slug = ws.slug
    pages = {
        "flow page": f"/w/{slug}/flow/",
        "flow API": f"/api/v1/workspaces/{slug}/flow",
        "where work waits page": f"/w/{slug}/waits/",
        "bottlenecks API": f"/api/v1/workspaces/{slug}/bottlenecks",
        "crunch API": f"/api/v1/workspaces/{slug}/crunch",
        "scorecard page": f"/w/{slug}/scorecard/",
        "scorecard API": f"/api/v1/workspaces/{slug}/scorecard",
    }
    periods_only = {"scorecard page", "scorecard API"}  # periods, month over month; no filters
    waits_filters = {"default", "year", "past month", "campaign"}  # the page's own filters
    crunch_cases = {"default", "year", "past month"}  # no filters
    print(
        f"{'GET':<24}{'case':<12}{'p50 ms':>8}{'p95 ms':>8}{'cpu p50':>9}{'first':>8}{'KB':>6}"
        "  load",
        flush=True,
    )
    for case, query in cases(ws).items():
        for label, url in pages.items():
            if label in periods_only and case not in crunch_cases:
                continue
            if label == "where work waits page" and case not in waits_filters:
                continue
            if label == "crunch API" and case not in crunch_cases:
                continue
            start = time.perf_counter()
            first = client.get(url + query)  # renders the charts' SVG, cached by specification
            cold = (time.perf_counter() - start) * 1000
            assert first.status_code == 200, (url + query, first.status_code)
            wall, cpu = [], []
            for _ in range(repeats):
                start, began = time.perf_counter(), time.process_time()
                response = client.get(url + query)
                wall.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - began) * 1000)
            print(
                f"{label:<24}{case:<12}{percentile(wall, 50):8.0f}{percentile(wall, 95):8.0f}"
                f"{percentile(cpu, 50):9.0f}{cold:8.0f}{len(response.content) / 1024:6.0f}"
                f"  {os.getloadavg()[0]:.1f}",
                flush=True,
            )


def cold_start(ws: Any) -> None:
    """A new process's first answer: it reads the columns the job stored (ColumnsCopy, one
    row) and what changed since; then, for comparison, a first answer that rebuilds them
    from the copied moves, rounds, tasks and links (no stored row: before the job's first
    run). Later requests read only what changed."""
    from headway.insights.selectors import moves
    from headway.insights.selectors.flow import flow_for, period_for

    took = {}
    for label, stored in (("stored copy", True), ("tables", False)):
        moves.forget_columns()
        if not stored:
            moves._LOADED.add(ws.pk)  # as if there were no stored row
        start = time.perf_counter()
        flow_for(ws, period_for(ws, days=365))
        took[label] = time.perf_counter() - start
    kept = moves.copied_columns(ws).nbytes + sum(
        a.nbytes for a in vars(moves.task_columns(ws)).values()
    )
    print(
        f"first answer of a new process: {took['stored copy']:.2f} s from the stored copy, "
        f"{took['tables']:.2f} s rebuilding the columns from the tables; columns kept in "
        f"memory {kept / 2**20:.0f} MiB; load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    repeats = int(args[0]) if args else 20
    started = time.perf_counter()
    if "--reuse" in sys.argv:
        ws = reuse("bench-flow")
    elif os.environ.get("BENCH_DATABASE_URL"):
        postgres_for_bench(os.environ["BENCH_DATABASE_URL"])
        ws = build()
    else:
        django_for_bench("bench-flow")
        ws = build()
    if "--build-only" in sys.argv:
        return
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after the bulk load
    from headway.activity.models import Event
    from headway.insights.selectors.bottlenecks import bottlenecks_for
    from headway.insights.selectors.flow import flow_for, period_for
    from headway.insights.selectors.scorecard import scorecard_for

    print(
        f"{Event.objects.count():,} events, {TASKS:,} tasks "
        f"({time.perf_counter() - started:.0f} s to build or open; "
        f"{os.environ['DATABASE_URL'].split(':')[0]}); load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        flush=True,
    )
    store_figures(ws)
    cold_start(ws)
    measure_pages(ws, repeats)
    year = period_for(ws, days=365)
    print("computation of the figures for a year, in process (kept columns):")
    measure("flow, last year", lambda: flow_for(ws, year), 5)
    measure("where work waits, last year", lambda: bottlenecks_for(ws, year), 5)
    if "--direct" not in sys.argv:
        return
    quarter = period_for(ws)
    print("direct computation (everything read from the log and the tables), once each:")
    measure("flow, last quarter", lambda: flow_for(ws, quarter, direct=True), 1)
    measure("flow, last year", lambda: flow_for(ws, year, direct=True), 1)
    measure("where work waits, last quarter", lambda: bottlenecks_for(ws, quarter, direct=True), 1)
    measure("where work waits, last year", lambda: bottlenecks_for(ws, year, direct=True), 1)
    measure("scorecard (7 months)", lambda: scorecard_for(ws), 1)


if __name__ == "__main__":
    main()

"""Attribution report benchmark: generated HubSpot contacts and deals exports (one month, a
third of the contacts back through a second campaign) stored through the importer into a fresh
SQLite database, then the attribution selector for that month, every model.

Run: .venv/bin/python bench/attribution_report.py [contacts ...]   (default 1000 10000)

Prints the import time of each file, then the median and worst of five runs of the selector
and of the page (in process, Django's test client), each worked out from the stored touches
(the cache and stored answer cleared before each run: what the first request after a CRM
import costs when the answers job has not run yet) and read from the stored answer (keyed by
results.attribution.crm_fingerprint and the parameters), then the first page after an import
once results_answers_job ran (as the worker runs it), with the load average.
BENCH_DATABASE_URL=postgres://... runs it on PostgreSQL (see django_bench.py).

Measured 2026-11-24 ~04:05 UTC, SQLite, load average ~5-5.6 on the shared 2-core machine,
11,000 contacts in March (13,932 touches, 1,374 won deals): the report worked out (what every
request cost before it was cached) median 4.98 s, worst 5.51 s; cached median 10.4 ms; the
page in process worked out median 4.84 s, cached median 106 ms (the page's own rendering).
At 1,000 contacts: worked out 403 ms, cached 8.9 ms.

2026-11-24 ~06:50 UTC, SQLite, the report stored (results.answers) and computed after an
import by results_answers_job in the worker; "worked out" now also forgets the stored answer
(the first request when the job has not run yet). 11,000 contacts: before (c51708d^, load
~4.2-4.4) the page worked out median 1.78 s, worst 1.80 s, cached 24.7 ms. After (load
~6.7-7.5): worked out 1.18 s, stored 16.9 ms; the first GET after an import once the job ran
median 38.4 ms, worst 54.7 ms, CPU 15.7 ms (the job: median 2.15 s, in the worker). 1,000
contacts: first GET after the job 27.9 ms (the job 171 ms).
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django_bench import bench_team, django_for_bench, percentile

SOURCES = [
    ("Paid Search", "google", "spring-launch-2026"),
    ("Paid Social", "LinkedIn", "small-space-webinar"),
    ("Email Marketing", "mailchimp", "march-newsletter"),
    ("Organic Search", "google", ""),
    ("Direct Traffic", "", ""),
]
HEADER = (
    '"Record ID","Email","Create Date","Lifecycle Stage","Original Traffic Source",'
    '"Original Traffic Source Drill-Down 1","Original Traffic Source Drill-Down 2",'
    '"Latest Traffic Source","Latest Traffic Source Drill-Down 1",'
    '"Latest Traffic Source Drill-Down 2","Date entered ""Lead (Lifecycle Stage Pipeline)""",'
    '"Date entered ""Opportunity (Lifecycle Stage Pipeline)"""\n'
)


def exports(contacts: int, offset: int) -> tuple[bytes, bytes]:
    rng = random.Random(contacts)
    start = datetime(2026, 3, 1, 8, 0)
    lines, deals = (
        [HEADER],
        [
            '"Record ID","Deal Name","Deal Stage","Amount","Close Date",'
            '"Create Date","Associated Contact"\n'
        ],
    )
    for n in range(contacts):
        created = start + timedelta(minutes=rng.randrange(0, 25 * 24 * 60))
        first = rng.choice(SOURCES)
        latest = rng.choice(SOURCES) if n % 3 == 0 else first
        opportunity = created + timedelta(hours=rng.randrange(2, 100))
        email = f"c{offset + n}@example.com"
        cells = [
            str(offset + n),
            email,
            f"{created:%Y-%m-%d %H:%M}",
            "Opportunity",
            *first,
            *latest,
            f"{created:%Y-%m-%d %H:%M}",
            f"{opportunity:%Y-%m-%d %H:%M}",
        ]
        lines.append(",".join(f'"{c}"' for c in cells) + "\n")
        if n % 4 == 0:
            closed = opportunity + timedelta(hours=rng.randrange(1, 48))
            stage = "Closed Won" if n % 8 == 0 else "Closed Lost"
            cells = [
                str(900000 + offset + n),
                f"Deal {n}",
                stage,
                str(rng.randrange(100, 5000)),
                f"{closed:%Y-%m-%d %H:%M}",
                f"{opportunity:%Y-%m-%d %H:%M}",
                email,
            ]
            deals.append(",".join(f'"{c}"' for c in cells) + "\n")
    return "".join(lines).encode(), "".join(deals).encode()


def main(sizes: list[int]) -> None:
    django_for_bench("attribution")
    from django.core.cache import cache
    from django.test import Client

    from headway.planning.services.campaigns import campaign_create
    from headway.results.attribution import attribution_report
    from headway.results.rollup_models import StoredAnswer
    from headway.results.services import import_store
    from headway.results.warm_jobs import results_answers_job

    def forget() -> None:  # as right after an import: nothing cached, nothing stored
        cache.clear()
        StoredAnswer.objects.filter(workspace=ws).delete()

    owner, ws, _ = bench_team()
    client = Client()
    client.force_login(owner)
    url = f"/w/{ws.slug}/results/attribution/?start=2026-03-01&end=2026-03-31"
    for utm in ("spring-launch-2026", "small-space-webinar", "march-newsletter"):
        campaign_create(actor=owner, workspace=ws, name=utm.title(), utm_campaign=utm)
    offset = 0
    for size in sizes:
        contacts, deals = exports(size, offset)
        offset += size
        for label, data in (("contacts", contacts), ("deals", deals)):
            began = time.perf_counter()
            import_store(actor=owner, workspace=ws, data=data, file_name=f"{label}.csv")
            print(
                f"{size:>7,} contacts: import of the {label} file "
                f"{time.perf_counter() - began:6.2f} s"
            )
        for cold in (True, False):
            runs = []
            for _ in range(5):
                if cold:
                    forget()
                began = time.perf_counter()
                report = attribution_report(ws, date(2026, 3, 1), date(2026, 3, 31))
                runs.append(time.perf_counter() - began)
            revenue = report.tables["revenue"]
            assert revenue.reconciles
            print(
                f"{size:>7,} contacts: attribution report (5 models, {report.contacts:,} "
                f"contacts in March, {report.touches:,} touches, {revenue.conversions:,} won "
                f"deals), {'worked out' if cold else 'stored'}: median "
                f"{percentile(runs, 50) * 1000:.1f} ms, worst {max(runs) * 1000:.1f} ms "
                f"(load average {_load()})"
            )
        for cold in (True, False):
            runs = []
            for _ in range(5):
                if cold:
                    forget()
                began = time.perf_counter()
                response = client.get(url)
                runs.append(time.perf_counter() - began)
                assert response.status_code == 200
            print(
                f"{size:>7,} contacts: attribution page in process, "
                f"{'worked out' if cold else 'stored'}: median "
                f"{percentile(runs, 50) * 1000:.1f} ms, worst {max(runs) * 1000:.1f} ms "
                f"(load average {_load()})"
            )
        runs, jobs, cpu = [], [], []
        for _ in range(5):
            forget()
            began = time.perf_counter()
            results_answers_job.call(workspace_id=ws.pk)  # what the worker does after an import
            jobs.append(time.perf_counter() - began)
            began, began_cpu = time.perf_counter(), time.process_time()
            assert client.get(url).status_code == 200
            runs.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
        print(
            f"{size:>7,} contacts: attribution page in process, first GET after an import "
            f"once the answers job ran: median {percentile(runs, 50) * 1000:.1f} ms, worst "
            f"{max(runs) * 1000:.1f} ms, CPU {percentile(cpu, 50) * 1000:.1f} ms (the job, in "
            f"the worker: median {percentile(jobs, 50) * 1000:.0f} ms; load average {_load()})"
        )


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])

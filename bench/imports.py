"""Import benchmark: a generated 1,000,000-row Google Ads export (Day segmented), read once for
the preview and streamed again for storing. Prints time and peak memory (RSS) of each step.

Run: .venv/bin/python bench/imports.py [rows] [--store]
(--store also stores the file through the importer into a fresh SQLite database under var/.)
"""

from __future__ import annotations

import io
import os
import random
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def google_ads_export(rows: int) -> bytes:
    """A Campaign report.csv as Google Ads writes it: title, date range, header, rows, totals."""
    rng = random.Random(15)
    campaigns = [f"Campaign {n:04d} - Search" for n in range(rows // 365 + 1)]
    start = date(2025, 1, 1)
    out = io.BytesIO()
    head = [
        "Campaign report",
        '"January 1, 2025 - December 31, 2025"',
        "Day,Campaign status,Campaign,Budget,Budget type,Campaign type,Impr.,Clicks,"
        "Currency code,Avg. cost,Cost,Conversions,Conv. value",
    ]
    out.write(("\r\n".join(head) + "\r\n").encode())
    for i in range(rows):
        day = start + timedelta(days=i % 365)
        impressions = rng.randint(100, 9000)
        clicks = rng.randint(0, 300)
        cost = rng.randint(0, 900000) / 100
        out.write(
            f'{day.isoformat()},Enabled,{campaigns[i // 365]},60.00,Daily,Search,"{impressions:,}",'
            f'{clicks},USD,0.48,"{cost:,.2f}",{rng.randint(0, 9)}.00, --\r\n'.encode()
        )
    out.write(b"Total: Account, --, --, --, --, --,0,0,USD,0.00,0.00,0.00,0.00\r\n")
    return out.getvalue()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    rows = int(numbers[0]) if numbers else 1_000_000
    from headway.results.sources import iter_rows, read

    data = google_ads_export(rows)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"generated {rows:,} rows, {len(data) / 1e6:.0f} MB; peak RSS so far {peak_mb():.0f} MB")
    began = time.perf_counter()
    parsed = read(data)
    took = time.perf_counter() - began
    print(
        f"read (preview: totals, campaigns, first rows): {took:.1f} s "
        f"for {parsed.rows_count:,} rows; "
        f"spend {parsed.totals['spend']:,}; peak RSS {peak_mb():.0f} MB"
    )
    began = time.perf_counter()
    count = sum(1 for _ in iter_rows(data))
    took = time.perf_counter() - began
    print(
        f"stream again (what storing reads): {took:.1f} s for {count:,} rows; "
        f"peak RSS {peak_mb():.0f} MB"
    )
    if "--store" in sys.argv:
        _store(data)


def _store(data: bytes) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from django_bench import django_for_bench

    django_for_bench("imports")
    from headway.accounts.services import user_create
    from headway.results.services import import_store
    from headway.workspaces.services import workspace_create

    owner = user_create(email="bench@example.com", name="Bench", password="x" * 20)
    workspace = workspace_create(actor=owner, name="Bench")
    began = time.perf_counter()
    stored = import_store(actor=owner, workspace=workspace, data=data, file_name="bench.csv")
    took = time.perf_counter() - began
    print(
        f"store (read, match, insert, one transaction, SQLite): {took:.1f} s for "
        f"{stored.import_.rows_count:,} rows; peak RSS {peak_mb():.0f} MB"
    )


if __name__ == "__main__":
    main()

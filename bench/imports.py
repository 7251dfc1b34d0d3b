"""Import benchmark: a generated 1,000,000-row Google Ads export (Day segmented), read once for
the preview and streamed again for storing. Prints time and peak memory (RSS) of each step.

Run: .venv/bin/python bench/imports.py [rows]
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
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
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


if __name__ == "__main__":
    main()

"""Mapped-file reading benchmark: a generated export of a tool Headway has no reader for
(semicolons, decimal commas, a currency column), read through a column mapping as the
preview reads it (`sources.read`: every row parsed, counted and summed; nothing stored).

Run: .venv/bin/python bench/mapped_import.py [rows ...]   (default 100000 1000000)

Prints, per size: the file's size, the wall and CPU time of the read, and the process's
peak resident memory (getrusage ru_maxrss, which includes the file's bytes). Storing shares
the importer's row writer, measured by bench/imports.py.

Measured 24 Nov 2026 02:09 UTC on the shared 2-core machine, load average 6.2-6.4:
- 100,000 rows (5 MB): 1.6 s wall, 0.8 s CPU, peak RSS 62 MB.
- 1,000,000 rows (48 MB): 19.2 s wall, 7.8 s CPU, peak RSS 148 MB.
"""

from __future__ import annotations

import io
import random
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from headway.results.sources import read
from headway.results.sources.mapped import MappingSpec

SPEC = MappingSpec(
    "x:tiktok-ads",
    "TikTok Ads",
    (
        ("Campaign name", "campaign"),
        ("By Day", "day"),
        ("Cost", "spend"),
        ("Impressions", "impressions"),
        ("Clicks", "clicks"),
        ("Currency", "currency"),
        ("Ad group ID", "ignore"),
    ),
    "paid_social",
)


def export(rows: int) -> bytes:
    rng = random.Random(15)
    start = date(2025, 1, 1)
    out = io.StringIO()
    out.write("Campaign name;By Day;Cost;Impressions;Clicks;Currency;Ad group ID\n")
    for i in range(rows):
        day = start + timedelta(days=i % 365)
        cost = f"{rng.randint(0, 900000) / 100:.2f}".replace(".", ",")
        out.write(
            f"Campaign {i // 365:04d};{day.isoformat()};{cost};{rng.randint(100, 9000)};"
            f"{rng.randint(0, 300)};EUR;{i % 97}\n"
        )
    return out.getvalue().encode()


def main(sizes: list[int]) -> None:
    for rows in sizes:
        data = export(rows)
        wall, cpu = time.perf_counter(), time.process_time()
        parsed = read(data, mapping=SPEC)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        assert parsed.rows_count == rows
        print(
            f"{rows:>9,} rows ({len(data) / 1e6:.0f} MB): read {wall:.1f} s wall, "
            f"{cpu:.1f} s CPU, peak RSS {peak:.0f} MB"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000])

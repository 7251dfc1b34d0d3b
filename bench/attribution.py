"""Attribution engine benchmark: generated contacts, each with one to four touches over a
month and one conversion worth a random amount, credited by every model.

Run: .venv/bin/python bench/attribution.py [contacts ...]   (default 1000 10000 100000)

Touches are keyed by (campaign, channel) as the page keys them. Prints, per size and model,
the wall time of one `attribute` call plus the two `regroup`s that read it by campaign and by
channel, and an estimate of the page's engine time (five models x three measures: each
model's time three times; the page's measures have fewer conversions than contacts).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from decimal import Decimal
from operator import itemgetter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from headway.engine.attribution import (
    Conversion,
    Model,
    Touch,
    attribute,
    regroup,
)

KEYS = ["spring", "webinar", "newsletter", "brand", "direct", "organic"]
CHANNELS = ["paid_search", "paid_social", "email", "direct", "organic_search"]
START = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def generate(contacts: int, seed: int = 15) -> tuple[list[Touch], list[Conversion]]:
    rng = random.Random(seed)
    touches, conversions = [], []
    for n in range(contacts):
        contact = str(n)
        first = START + dt.timedelta(minutes=rng.randrange(0, 30 * 24 * 60))
        at = first
        for _ in range(rng.randint(1, 4)):
            touches.append(Touch(contact, at, (rng.choice(KEYS), rng.choice(CHANNELS))))
            at += dt.timedelta(hours=rng.randrange(1, 240))
        cents = rng.randrange(0, 500_000)
        conversions.append(Conversion(contact, at, Decimal(cents).scaleb(-2)))
    return touches, conversions


def main(sizes: list[int]) -> None:
    for size in sizes:
        touches, conversions = generate(size)
        total = 0.0
        for model in Model:
            began = time.perf_counter()
            result = attribute(model, touches, conversions)
            for group in (0, 1):
                read = regroup(result, itemgetter(group))
                assert read.credited + read.untouched == result.total
            took = time.perf_counter() - began
            total += took * 3
            print(
                f"{size:>8,} contacts {len(touches):>8,} touches  {model.value:<15} {took:7.3f} s"
            )
        print(f"{size:>8,} contacts  the page's 15 passes (estimated)       {total:7.2f} s")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000, 100000])

"""Learnings library benchmark: full-text search over 20,000 learnings (SQLite FTS5), and the
hint a campaign form asks for (learnings of one template).

Run with `.venv/bin/python bench/learnings.py`. It builds its own SQLite database under
var/bench-learnings/; learnings are bulk-created (the FTS5 triggers index each row)."""

from __future__ import annotations

import random
import statistics
import time
from functools import partial

from django_bench import bench_team, django_for_bench, percentile, times_ms

LEARNINGS = 20_000
WORDS = [
    "creative",
    "approval",
    "video",
    "retargeting",
    "audience",
    "budget",
    "copy",
    "landing",
    "page",
    "email",
    "subject",
    "webinar",
    "registrations",
    "cost",
    "lead",
    "qualified",
    "launch",
    "late",
    "founder",
    "design",
    "paid",
    "social",
    "search",
    "event",
    "partner",
    "press",
    "newsletter",
    "open",
    "click",
    "conversion",
    "tracking",
    "pixel",
    "window",
    "weeks",
]


def main() -> None:
    django_for_bench("bench-learnings")
    from headway.planning.models import CampaignTemplate, Channel
    from headway.results.learnings import (
        LearningFilters,
        learnings_for_template,
        learnings_search,
    )
    from headway.results.reviews.models import Learning

    owner, ws, _ = bench_team()
    rng = random.Random(6)
    channels = list(Channel.objects.filter(workspace=ws))
    templates = list(CampaignTemplate.objects.filter(workspace=ws))
    start = time.perf_counter()
    Learning.objects.bulk_create(
        (
            Learning(
                workspace=ws,
                text=" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))),
                channel=rng.choice([*channels, None]),
                template=rng.choice([*templates, None]),
                audience=rng.choice(["", "cold prospecting", "site visitors", "customers"]),
                work_kind=rng.choice(["", "designer", "copywriter", "paid_ads"]),
                created_by=owner,
            )
            for _ in range(LEARNINGS)
        ),
        batch_size=2000,
    )
    print(f"bulk-created {LEARNINGS:,} learnings in {time.perf_counter() - start:.1f} s")
    cases = {
        "one word": LearningFilters(query="retargeting"),
        "two words": LearningFilters(query="creative approval"),
        "prefix": LearningFilters(query="regist"),
        "word + channel": LearningFilters(query="video", channel_id=channels[0].pk),
        "tags only": LearningFilters(template_id=templates[0].pk, work_kind="designer"),
    }
    for name, filters in cases.items():
        runs = times_ms(partial(learnings_search, ws, filters), 30)
        print(
            f"search {name:15} median {statistics.median(runs):6.1f} ms  "
            f"p95 {percentile(runs, 95):6.1f} ms  ({len(learnings_search(ws, filters))} shown)"
        )
    runs = times_ms(lambda: learnings_for_template(ws, templates[0].pk), 50)
    median, p95 = statistics.median(runs), percentile(runs, 95)
    print(f"hint for a template  median {median:6.1f} ms  p95 {p95:6.1f} ms")


if __name__ == "__main__":
    main()

"""Sign-in throttling benchmark: server time of a login POST that is refused by the throttle,
beside a normal successful one and a failed one, with 10,000 failures from other addresses
already recorded.

Run with `make bench` (or `.venv/bin/python bench/login.py`). Passwords use the production
hasher (Argon2), which is most of a normal sign-in's time; a throttled attempt skips it.
"""

from __future__ import annotations

import itertools
import logging
import statistics
from collections.abc import Callable
from functools import partial

from django_bench import django_for_bench, percentile, times_ms

BACKGROUND_FAILURES = 10_000
REPEATS = 30


def main() -> None:
    django_for_bench("bench-login")
    from django.test import Client
    from django.urls import reverse

    from headway.accounts.models import FailedLogin
    from headway.accounts.services import login_throttle, user_create

    password = "bench-pass-long-1"
    user = user_create(email="bench@example.com", name="Bench", password=password)
    FailedLogin.objects.bulk_create(
        FailedLogin(
            email=f"other{n}@example.com", ip_address=f"10.{n // 65536}.{n // 256 % 256}.{n % 256}"
        )
        for n in range(BACKGROUND_FAILURES)
    )
    url = reverse("accounts:login")
    logging.getLogger("django.request").setLevel(logging.ERROR)

    def post(pw: str, address: str, expect: int) -> None:
        response = Client().post(url, {"email": user.email, "password": pw}, REMOTE_ADDR=address)
        assert response.status_code == expect, response.status_code

    def wrong_from_a_new_address() -> None:
        post("wrong", f"198.51.100.{next(fresh)}", 400)

    fresh = itertools.count(1)
    for _ in range(5):
        post("wrong", "192.0.2.1", 400)
    cases: dict[str, Callable[[], object]] = {
        "throttle check alone (2 queries)": partial(
            login_throttle, email=user.email, address="192.0.2.2"
        ),
        "normal sign-in": partial(post, password, "192.0.2.2", 302),
        "wrong password": wrong_from_a_new_address,
        "throttled": partial(post, password, "192.0.2.1", 429),
    }
    print(
        f"Login POST through the test client, Argon2, {BACKGROUND_FAILURES:,} other failures "
        "(ms; median / p95):"
    )
    for name, fn in cases.items():
        times = times_ms(fn, REPEATS)
        print(f"  {name}: {statistics.median(times):.1f} / {percentile(times, 95):.1f}")


if __name__ == "__main__":
    main()

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headway.settings")
application = get_wsgi_application()

# Django imports the URLconf (every view module, the whole API) at the first request. Under
# `headway serve` (gunicorn --preload) this file runs in the master: importing it here does
# it once before the workers fork, not once in each worker at its first request (measured:
# ~3.5 s of CPU per worker in the middle of a benchmark's first concurrent burst).
get_resolver().reverse_dict  # noqa: B018 (loads the URLconf and fills the resolver)

# Everything loaded so far (Django, the apps, their modules) lives as long as the process:
# the collector need not scan it again. Without this, a full collection during a big page
# (a 1,000-task plan allocates a few hundred thousand objects) measured ~95 ms per page on
# average and most of the page's p95; with it, ~7 ms. Under `headway serve` (gunicorn
# --preload) this runs in the master, so the forked workers share these pages untouched.
gc.freeze()

# A young generation of 20,000 objects rather than 700: a 1,000-task page allocates a few
# hundred thousand (model instances, rows, markup), and with the default the collector ran
# some hundreds of times a page, costing ~18% of its CPU on average (measured in process at
# load ~6, 89.5 -> 73.4 ms and 99.3 -> 80.8 ms in two rounds). Cycles are still collected.
YOUNG_OBJECTS = 20_000
gc.set_threshold(YOUNG_OBJECTS, 20, 20)

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headway.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their modules) lives as long as the process:
# the collector need not scan it again. Without this, a full collection during a big page
# (a 1,000-task plan allocates a few hundred thousand objects) measured ~95 ms per page on
# average and most of the page's p95; with it, ~7 ms. Under `headway serve` (gunicorn
# --preload) this runs in the master, so the forked workers share these pages untouched.
gc.freeze()

"""Settings for the test suite: the real settings, with a key kept under var/ and fast hashing."""

import os

os.environ.setdefault("HEADWAY_TESTING", "1")
os.environ.setdefault("EMAIL_URL", "locmem://")

from headway.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Plan changes queue no health recompute (its jobs and escalation emails would surprise tests
# of other apps that run the worker); headway/insights tests turn it on where they need it.
HEALTH_RECOMPUTE_ON_CHANGE = False
# The demo's six months of history is 30 launches (about half a minute); tests that load the
# demo get four, enough to walk every insights page.
DEMO_HISTORY_CAMPAIGNS = 4

"""Headway's settings, all read from environment variables (see .env.example)."""

from __future__ import annotations

import os
from pathlib import Path

from headway.environ import (
    env_bool,
    env_database,
    env_email,
    env_int,
    env_list,
    env_timezone,
    env_url,
    secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HEADWAY_VAR_DIR", BASE_DIR / "var"))
TESTING = env_bool("HEADWAY_TESTING", False)

DEBUG = env_bool("DEBUG", False)
DEMO = env_bool("HEADWAY_DEMO", False)
SECRET_KEY = secret_key(debug=DEBUG or TESTING or DEMO, key_file=VAR_DIR / "secret_key")
BASE_URL = env_url("BASE_URL", "http://127.0.0.1:8000")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
TIME_ZONE = env_timezone("TIME_ZONE", "UTC")
USE_TZ = True
USE_I18N = True
LANGUAGE_CODE = "en-gb"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "headway.core",
    "headway.accounts",
    "headway.workspaces",
    "headway.activity",
    "headway.planning",
    "headway.approvals",
    "headway.publishing",
    "headway.notifications",
    "headway.insights",
    "headway.capacity",
    "headway.results",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "headway.api.middleware.ApiErrorsAsJsonMiddleware",
    "headway.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses HTML and JSON (not bodies under 200 bytes; static files come compressed
    # from whitenoise above it). BREACH: Django masks the CSRF token anew in every response
    # and, since 4.2, pads each gzip body with random bytes ("Heal the Breach"), so a secret
    # on a page cannot be guessed from compressed sizes.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "headway.urls"
WSGI_APPLICATION = "headway.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "headway" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "headway.workspaces.context_processors.workspaces",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {"default": env_database("DATABASE_URL", VAR_DIR / "headway.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each server thread keeps its connection. Opening one per request cost more than a
    # task create (measured: an authenticated GET 7.0 ms of server CPU, 1.5 ms of it without
    # the database): the backend's setup and PRAGMAs at every open, and, when the last
    # connection closed, a checkpoint of the WAL into the database file.
    DATABASES["default"].setdefault("CONN_MAX_AGE", 600)
else:
    # PostgreSQL: each server thread keeps its connection (CONN_MAX_AGE 60 from the URL's
    # parsing; opening one measured ~5 ms). Django's health check of a kept connection is a
    # `SELECT 1` round trip at the first query of every request (~1 ms of a create's wall time
    # at load ~7, measured with two servers alternating on one database): off unless
    # DATABASE_HEALTH_CHECKS=true. Without it, a request that finds its connection dropped
    # (the database restarted) fails once, and Django closes that connection after it.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DATABASE_HEALTH_CHECKS", False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW_MINUTES = env_int("LOGIN_FAILURE_WINDOW_MINUTES", 15, minimum=1)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
# Reverse proxies in front of Headway that append the client's address to X-Forwarded-For;
# 0 (the default) reads the address from the connection, as the header can then be forged.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3
INVITATION_DAYS = env_int("INVITATION_DAYS", 7, minimum=1)

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "uploads"  # never served as static files; see planning.views
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
APPROVAL_LINK_HOURS = env_int("APPROVAL_LINK_HOURS", 72, minimum=1)
APPROVAL_SWEEP_MINUTES = env_int("APPROVAL_SWEEP_MINUTES", 5, minimum=1)

_https = BASE_URL.startswith("https://")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _https)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = [BASE_URL]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = 31536000 if _https and not DEBUG else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _https else None

_email = env_email("EMAIL_URL", "console://")
EMAIL_BACKEND = str(_email.pop("EMAIL_BACKEND"))
globals().update(_email)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Headway <headway@localhost>")

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 5, minimum=1)
TASK_RETRY_BASE_SECONDS = env_int("TASK_RETRY_BASE_SECONDS", 30, minimum=1)

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "refusal_without_traceback": {"()": "headway.core.logfilters.RefusalWithoutTraceback"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # a 403 is one warning line, without the PermissionDenied traceback
        "django.request": {"filters": ["refusal_without_traceback"]},
    },
}

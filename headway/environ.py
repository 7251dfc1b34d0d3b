"""Typed readers for configuration from environment variables.

Each reader fails loudly, naming the variable, when a value cannot be understood, so a
misconfigured deployment stops at start-up instead of misbehaving later.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum of {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str, *, schemes: tuple[str, ...] = ("http", "https")) -> str:
    raw = os.environ.get(name, default).strip()
    parts = urlsplit(raw)
    if parts.scheme not in schemes or not parts.netloc:
        allowed = ", ".join(f"{s}://" for s in schemes)
        raise ImproperlyConfigured(f"{name}={raw!r} is not a URL starting with {allowed}")
    return raw.rstrip("/")


def env_timezone(name: str, default: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    raw = os.environ.get(name, default).strip()
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not an IANA time zone name such as 'Europe/London'."
        ) from None
    return raw


def env_database(name: str, default_sqlite: Path) -> dict[str, object]:
    """The Django DATABASES entry for the URL in `name`, or the SQLite file by default."""
    import dj_database_url

    raw = os.environ.get(name, "").strip()
    if not raw:
        return sqlite_database(default_sqlite)
    scheme = urlsplit(raw).scheme
    if scheme in ("sqlite", ""):
        if scheme == "":
            raise ImproperlyConfigured(
                f"{name}={raw!r} is not a database URL: use postgres://USER@HOST:PORT/NAME "
                "or sqlite:////absolute/path.db"
            )
        path = unquote(urlsplit(raw).path)
        return sqlite_database(Path(path) if path else default_sqlite)
    if scheme not in ("postgres", "postgresql", "pgsql"):
        raise ImproperlyConfigured(
            f"{name} uses the scheme {scheme!r}; Headway supports postgres:// and sqlite://"
        )
    try:
        config = dict(dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} could not be read: {exc}") from None
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}={raw!r} names no database after the host.")
    return config


def sqlite_database(path: Path) -> dict[str, object]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
    }


def env_email(name: str, default: str) -> dict[str, object]:
    """Django email settings from a URL: console://, locmem://, file:///dir or smtp(s)://."""
    raw = os.environ.get(name, default).strip()
    parts = urlsplit(raw)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(
            f"{name}={raw!r} must start with one of: " + ", ".join(f"{s}://" for s in backends)
        )
    settings: dict[str, object] = {"EMAIL_BACKEND": backends[parts.scheme]}
    if parts.scheme == "file":
        settings["EMAIL_FILE_PATH"] = unquote(parts.path)
    if parts.scheme in ("smtp", "smtps"):
        query = parse_qs(parts.query)
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 587)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={raw!r} has a port that is not a number.") from None
        settings.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=port,
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=parts.scheme == "smtps",
            EMAIL_USE_TLS=parts.scheme == "smtp" and query.get("tls", ["1"])[0] in _TRUE,
        )
    return settings


def secret_key(*, debug: bool, key_file: Path) -> str:
    """SECRET_KEY from the environment, else the one kept in `key_file`; in DEBUG, one is
    generated there the first time.

    The kept key is read whatever DEBUG is, so `headway token create` and the other commands
    sign and check exactly what the demo's server does.
    """
    raw = os.environ.get("SECRET_KEY", "").strip()
    if raw:
        if len(raw) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")
        return raw
    if key_file.exists():
        kept = key_file.read_text().strip()
        if len(kept) < 32:
            raise ImproperlyConfigured(
                f"{key_file} holds a key shorter than 32 characters: delete it or set SECRET_KEY."
            )
        return kept
    if not debug:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off: set it to a long random string "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            f"or keep one in {key_file}."
        )
    key_file.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(50)
    key_file.write_text(value)
    key_file.chmod(0o600)
    return value

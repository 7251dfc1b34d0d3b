from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from headway import environ


@pytest.mark.parametrize(
    ("name", "value", "reader", "message"),
    [
        (
            "DEBUG",
            "maybe",
            lambda: environ.env_bool("DEBUG", False),
            "DEBUG='maybe' is not a boolean",
        ),
        (
            "WORKERS",
            "two",
            lambda: environ.env_int("WORKERS", 2),
            "WORKERS='two' is not a whole number",
        ),
        (
            "BASE_URL",
            "example.com",
            lambda: environ.env_url("BASE_URL", "http://x"),
            "BASE_URL='example.com'",
        ),
        (
            "TIME_ZONE",
            "Mars/Olympus",
            lambda: environ.env_timezone("TIME_ZONE", "UTC"),
            "IANA time zone",
        ),
        (
            "EMAIL_URL",
            "pigeon://coop",
            lambda: environ.env_email("EMAIL_URL", "console://"),
            "EMAIL_URL='pigeon://coop'",
        ),
        (
            "DATABASE_URL",
            "mysql://db/x",
            lambda: environ.env_database("DATABASE_URL", Path("/tmp/x")),
            "scheme 'mysql'",
        ),
        (
            "DATABASE_URL",
            "just-a-name",
            lambda: environ.env_database("DATABASE_URL", Path("/tmp/x")),
            "not a database URL",
        ),
    ],
)
def test_a_malformed_value_fails_loudly_naming_the_variable(
    monkeypatch, name, value, reader, message
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(").replace(")", r"\)")):
        reader()


def test_well_formed_values_are_read(monkeypatch) -> None:
    monkeypatch.setenv("DEBUG", "Yes")
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example,")
    monkeypatch.setenv("EMAIL_URL", "smtp://me%40x.com:pw@mail.example:2525")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example:5433/headway")
    assert environ.env_bool("DEBUG", False) is True
    assert environ.env_list("ALLOWED_HOSTS", []) == ["a.example", "b.example"]
    email = environ.env_email("EMAIL_URL", "console://")
    assert (email["EMAIL_HOST"], email["EMAIL_PORT"], email["EMAIL_HOST_USER"]) == (
        "mail.example",
        2525,
        "me@x.com",
    )
    db = environ.env_database("DATABASE_URL", Path("/tmp/x"))
    assert (db["HOST"], db["PORT"], db["NAME"]) == ("db.example", 5433, "headway")


def test_secret_key_is_required_without_debug(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is required"):
        environ.secret_key(debug=False, key_file=tmp_path / "k")


def test_secret_key_is_generated_once_and_kept_in_debug(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = environ.secret_key(debug=True, key_file=tmp_path / "k")
    assert len(first) >= 50
    assert environ.secret_key(debug=True, key_file=tmp_path / "k") == first


def test_a_short_secret_key_is_refused(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="at least 32"):
        environ.secret_key(debug=False, key_file=tmp_path / "k")


def test_the_headway_command_refuses_a_bad_setting(tmp_path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "DEBUG": "perhaps", "HEADWAY_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "headway.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a boolean" in result.stderr


def test_a_kept_secret_key_is_used_without_debug(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    kept = environ.secret_key(debug=True, key_file=tmp_path / "k")
    assert environ.secret_key(debug=False, key_file=tmp_path / "k") == kept


def test_a_kept_secret_key_that_is_too_short_is_refused(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    (tmp_path / "k").write_text("short\n")
    with pytest.raises(ImproperlyConfigured, match="shorter than 32"):
        environ.secret_key(debug=False, key_file=tmp_path / "k")


def test_headway_commands_find_the_demos_secret_key(tmp_path) -> None:
    import os
    import subprocess
    import sys

    # given: the key the demo keeps under var/, and no key in the environment
    (tmp_path / "secret_key").write_text("k" * 50)
    env = {**os.environ, "DEBUG": "false", "HEADWAY_VAR_DIR": str(tmp_path)}
    for name in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "HEADWAY_TESTING", "DATABASE_URL"):
        env.pop(name, None)
    # when
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "headway.cli",
            "shell",
            "--verbosity=0",
            "-c",
            "from django.conf import settings; print(settings.SECRET_KEY)",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "k" * 50

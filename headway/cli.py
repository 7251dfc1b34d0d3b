"""The `headway` command: Django's management commands plus Headway's own."""

from __future__ import annotations

import importlib
import os
import sys

# These work on files alone, so they run without a database or configuration.
ENGINE_COMMANDS = {"plan", "forecast", "flow"}


def _run_engine_command(argv: list[str]) -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_TZ=True)
    module = importlib.import_module(f"headway.core.management.commands.{argv[1]}")
    module.Command().run_from_argv(argv)


def main() -> None:
    argv = list(sys.argv)
    if len(argv) > 1 and argv[1] in ENGINE_COMMANDS:
        _run_engine_command(argv)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headway.settings")
    if len(argv) > 1 and argv[1] == "serve":
        from headway.core.management.commands.serve import serve_from_cli

        serve_from_cli(argv[2:])
        return
    if len(argv) > 1 and argv[1] == "demo":
        # The demo is a local trial: it keeps a generated secret key under var/. It runs with
        # DEBUG off, as a deployment does, so its error pages are the ones users see.
        os.environ.setdefault("HEADWAY_DEMO", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

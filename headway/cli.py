"""The `headway` command: Django's management commands plus Headway's own."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headway.settings")
    if len(sys.argv) > 1 and sys.argv[1] == "demo":
        # The demo is a local trial: it keeps a generated secret key under var/.
        os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

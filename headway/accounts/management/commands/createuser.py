from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.accounts.services import user_create
from headway.core.errors import DomainError
from headway.workspaces.services import workspace_create


class Command(BaseCommand):
    help = "Creates an account, optionally with a new workspace that it owns."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--password", help="Asked for when omitted.")
        parser.add_argument("--workspace", help="Also create a workspace with this name.")
        parser.add_argument(
            "--staff", action="store_true", help="Let the account run the instance."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or getpass.getpass("Password: ")
        try:
            user = user_create(email=options["email"], name=options["name"], password=password)
            if options["workspace"]:
                ws = workspace_create(actor=user, name=options["workspace"])
                self.stdout.write(f"Created workspace {ws.name} ({ws.slug}).")
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'input'}: {exc.message}") from None
        if options["staff"]:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser", "updated_at"])
        self.stdout.write(f"Created {user.email}.")

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.accounts.models import ApiToken, User
from headway.accounts.selectors import tokens_for_user
from headway.accounts.services import token_create, token_revoke
from headway.core.errors import DomainError


class Command(BaseCommand):
    help = "Creates, lists or revokes personal API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it once.")
        create.add_argument("--user", required=True, help="The account's email.")
        create.add_argument("--name", default="command line")
        listing = sub.add_parser("list", help="List a user's tokens.")
        listing.add_argument("--user", required=True)
        revoke = sub.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("--user", required=True)
        revoke.add_argument("--id", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email=options["user"].strip().lower()).first()
        if user is None:
            raise CommandError(f"No account has the email {options['user']!r}.")
        try:
            getattr(self, f"_{options['action']}")(user, options)
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _create(self, user: User, options: dict[str, Any]) -> None:
        token, raw = token_create(actor=user, name=options["name"])
        self.stderr.write(
            f"Token {token.pk} “{token.name}” for {user.email}; it is not shown again:"
        )
        self.stdout.write(raw)

    def _list(self, user: User, options: dict[str, Any]) -> None:
        for t in tokens_for_user(user):
            state = "revoked" if t.revoked_at else "active"
            used = t.last_used_at.isoformat() if t.last_used_at else "never used"
            self.stdout.write(f"{t.pk:>5}  {t.prefix}…  {state:8} {used:32} {t.name}")

    def _revoke(self, user: User, options: dict[str, Any]) -> None:
        token = ApiToken.objects.filter(user=user, pk=options["id"]).first()
        if token is None:
            raise CommandError(f"{user.email} has no token with id {options['id']}.")
        token_revoke(actor=user, token=token)
        self.stdout.write(f"Revoked token {token.pk}.")

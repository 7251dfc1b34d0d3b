from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from headway.accounts.models import ApiToken, FailedLogin, User
from headway.activity.models import Verb
from headway.activity.services import event_record
from headway.core.errors import DomainError, Forbidden
from headway.core.tokens import token_digest

TOKEN_PREFIX = "hw_"


def email_normalise(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def user_create(*, email: str, name: str, password: str) -> User:
    """A new account; the email is unique regardless of case and the password must be strong."""
    email = email_normalise(email)
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(f"{email!r} is not a valid email address.", field="email") from None
    if not name.strip():
        raise DomainError("Enter your name.", field="name")
    if User.objects.filter(email=email).exists():
        raise DomainError(
            "An account with this email already exists: log in instead.", field="email"
        )
    candidate = User(email=email, name=name.strip())
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from None
    user = User.objects.create_user(email=email, name=name.strip(), password=password)
    event_record(actor=user, verb=Verb.CREATED, obj=user, changes={"email": [None, email]})
    return user


@dataclass(frozen=True)
class LoginThrottle:
    """Why a sign-in must wait, and for how long."""

    wait: dt.timedelta
    whole_address: bool  # the address failed for many emails, not only for this one


def _address_rows(address: str | None) -> QuerySet[FailedLogin]:
    if address is None:
        return FailedLogin.objects.filter(ip_address__isnull=True)
    return FailedLogin.objects.filter(ip_address=address)


def _wait(rows: QuerySet[FailedLogin], limit: int, now: dt.datetime) -> dt.timedelta | None:
    """Until the oldest of the last `limit` failures leaves the window, when there are that many."""
    window = dt.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    recent = list(
        rows.filter(created_at__gt=now - window)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    return recent[-1] + window - now


def login_throttle(*, email: str, address: str | None) -> LoginThrottle | None:
    """Whether a sign-in for `email` from `address` must wait.

    Failures count per email and address, so a stranger elsewhere cannot lock a user out, and
    per address over all emails with a looser limit, which slows password spraying. Either
    throttle lifts by itself when its failures age out of the window.
    """
    now = timezone.now()
    rows = _address_rows(address)
    wait = _wait(rows, settings.LOGIN_ADDRESS_FAILURE_LIMIT, now)
    if wait is not None:
        return LoginThrottle(wait=wait, whole_address=True)
    wait = _wait(rows.filter(email=email_normalise(email)), settings.LOGIN_FAILURE_LIMIT, now)
    return None if wait is None else LoginThrottle(wait=wait, whole_address=False)


def login_failure_record(*, email: str, address: str | None) -> None:
    """Counts a failed sign-in, dropping this address's failures that have left the window."""
    window = dt.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    _address_rows(address).filter(created_at__lte=timezone.now() - window).delete()
    FailedLogin.objects.create(email=email_normalise(email)[:254], ip_address=address)


def login_failures_clear(*, email: str, address: str | None) -> None:
    """Forgets the failures of a sign-in that then succeeded, for that email and address only."""
    _address_rows(address).filter(email=email_normalise(email)).delete()


@transaction.atomic
def token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new personal API token; the raw value is returned once and never stored."""
    name = name.strip()
    if not name:
        raise DomainError(
            "Give the token a name, such as the script that will use it.", field="name"
        )
    if len(name) > 100:
        raise DomainError("The token name is longer than 100 characters.", field="name")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name, prefix=raw[: len(TOKEN_PREFIX) + 6], token_hash=token_digest(raw)
    )
    event_record(actor=actor, verb=Verb.TOKEN_CREATED, obj=token, changes={"name": [None, name]})
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise Forbidden("You can revoke only your own tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        event_record(actor=actor, verb=Verb.TOKEN_REVOKED, obj=token)
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user holding the active token `raw`, recording when it was last used."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    token_used(token.pk, token.last_used_at)
    return token.user


def token_used(token_id: int, last_used_at: dt.datetime | None) -> None:
    """Records that the token was used now; at most once a minute, so that reads by script
    do not each write."""
    now = timezone.now()
    if last_used_at is None or now - last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)

"""Sign-in throttling per email and address, and per address over all emails."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from headway.accounts.addresses import client_address
from headway.accounts.models import FailedLogin
from headway.conftest import PASSWORD, Team

pytestmark = pytest.mark.django_db
STRANGER = "198.51.100.7"
USER_HOME = "203.0.113.20"


def _post(client: Client, email: str, password: str, address: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("accounts:login"),
        {"email": email, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def signed_in(response) -> bool:  # type: ignore[no-untyped-def]
    """The sign-in succeeded: the person is sent on to the home page, not shown the form."""
    return response.status_code == 302 and response["Location"] == "/"


@time_machine.travel("2026-03-02 09:00Z", tick=False)
def test_a_stranger_cannot_lock_a_user_out(client: Client, team: Team) -> None:
    # given: a stranger who failed for the owner's email until throttled
    for _ in range(6):
        refused = _post(client, team.owner.email, "guess", STRANGER)
    assert refused.status_code == 429
    # when: the owner signs in from their own address
    response = _post(Client(), team.owner.email, PASSWORD, USER_HOME)
    # then
    assert signed_in(response)


def test_the_pair_throttle_says_when_to_retry_and_lifts_after_the_window(
    client: Client, team: Team
) -> None:
    with time_machine.travel("2026-03-02 09:00Z", tick=False):
        for _ in range(5):
            assert _post(client, team.owner.email, "wrong", USER_HOME).status_code == 400
    with time_machine.travel("2026-03-02 09:05Z", tick=False):
        response = _post(client, team.owner.email, PASSWORD, USER_HOME)
        assert response.status_code == 429
        page = response.content.decode()
        assert "Too many failed attempts" in page and "Try again in 10 minutes" in page
        assert response["Retry-After"] == "600"
        # another email from the same address is not held back by this one
        assert signed_in(_post(Client(), team.admin.email, PASSWORD, USER_HOME))
    with time_machine.travel("2026-03-02 09:15:01Z", tick=False):
        assert signed_in(_post(client, team.owner.email, PASSWORD, USER_HOME))


@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=8)
def test_password_spraying_from_one_address_is_slowed(client: Client, team: Team) -> None:
    emails = [f"nobody{n}@example.com" for n in range(8)]
    with time_machine.travel("2026-03-02 09:00Z", tick=False):
        # given: one failure for each of eight emails, under the per-email limit each
        for email in emails:
            assert _post(client, email, "Winter2026!", STRANGER).status_code == 400
        # when: the same address tries a real account, even with its password
        response = _post(client, team.member.email, PASSWORD, STRANGER)
        # then
        assert response.status_code == 429
        assert "from your network address" in response.content.decode()
        assert not FailedLogin.objects.filter(email=team.member.email).exists()
        # and the member signing in from elsewhere is not affected
        assert signed_in(_post(Client(), team.member.email, PASSWORD, USER_HOME))
    with time_machine.travel("2026-03-02 09:16Z", tick=False):
        assert signed_in(_post(client, team.member.email, PASSWORD, STRANGER))


@time_machine.travel("2026-03-02 09:00Z", tick=False)
def test_a_success_forgets_only_that_emails_failures_from_that_address(
    client: Client, team: Team
) -> None:
    for _ in range(4):
        _post(client, team.owner.email, "wrong", USER_HOME)
    _post(client, team.owner.email, "wrong", STRANGER)
    _post(client, "someone@example.com", "wrong", USER_HOME)
    assert signed_in(_post(client, team.owner.email, PASSWORD, USER_HOME))
    left = sorted(FailedLogin.objects.values_list("email", "ip_address"))
    assert left == [("alpha-owner@example.com", STRANGER), ("someone@example.com", USER_HOME)]


def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7"
    )
    assert client_address(request) == "10.0.0.2"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_address(request) == "198.51.100.7"
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert client_address(request) == "1.2.3.4"
    with override_settings(TRUSTED_PROXY_COUNT=3):  # fewer entries than proxies: the connection
        assert client_address(request) == "10.0.0.2"
    forged = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip")
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_address(forged) == "10.0.0.2"


@time_machine.travel("2026-03-02 09:00Z", tick=False)
def test_a_forged_forwarded_for_does_not_escape_the_throttle(client: Client, team: Team) -> None:
    for n in range(6):
        response = _post(
            client, team.owner.email, "guess", STRANGER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        )
    assert response.status_code == 429
    assert set(FailedLogin.objects.values_list("ip_address", flat=True)) == {STRANGER}


@override_settings(TRUSTED_PROXY_COUNT=1)
@time_machine.travel("2026-03-02 09:00Z", tick=False)
def test_behind_a_trusted_proxy_clients_are_told_apart(client: Client, team: Team) -> None:
    proxy = "10.0.0.2"
    for _ in range(6):
        refused = _post(client, team.owner.email, "guess", proxy, HTTP_X_FORWARDED_FOR=STRANGER)
    assert refused.status_code == 429
    response = _post(Client(), team.owner.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR=USER_HOME)
    assert signed_in(response)

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from headway.accounts.models import User
from headway.activity.models import Event, Verb
from headway.conftest import PASSWORD, Team, make_user
from headway.workspaces.models import Membership, Role

pytestmark = pytest.mark.django_db


def _signup(client: Client, **overrides: str):
    data = {
        "name": "Ana Ruiz",
        "email": "ana@example.com",
        "password": PASSWORD,
        "workspace_name": "Ruiz Ceramics",
        **overrides,
    }
    return client.post(reverse("accounts:signup"), data)


def test_signup_creates_the_user_and_a_workspace_they_own(client: Client) -> None:
    response = _signup(client)
    user = User.objects.get(email="ana@example.com")
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER
    assert membership.workspace.name == "Ruiz Ceramics"
    assert response.headers["Location"] == f"/w/{membership.workspace.slug}/"
    assert Event.objects.filter(workspace=membership.workspace, verb=Verb.CREATED).exists()


def test_signup_rejects_a_taken_email_regardless_of_case(client: Client) -> None:
    make_user("ana@example.com")
    response = _signup(client, email="ANA@Example.com")
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_signup_rejects_a_weak_password_and_saves_nothing(client: Client) -> None:
    response = _signup(client, password="12345")
    assert response.status_code == 400
    assert "too short" in response.content.decode()
    assert not User.objects.exists()


def test_signup_without_a_workspace_name_says_where(client: Client) -> None:
    response = _signup(client, workspace_name="")
    assert response.status_code == 400
    assert 'id="id_workspace_name"' in response.content.decode()
    assert "This field is required" in response.content.decode()


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2() -> None:
    user = make_user("hash@example.com")
    assert user.password.startswith("argon2")
    assert user.check_password(PASSWORD)


def test_login_with_the_right_password(client: Client, team: Team) -> None:
    response = client.post(
        reverse("accounts:login"), {"email": team.owner.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == f"/w/{team.workspace.slug}/"  # signed in: to their workspace


def test_login_with_a_wrong_password_is_refused_clearly(client: Client, team: Team) -> None:
    response = client.post(
        reverse("accounts:login"), {"email": team.owner.email, "password": "nope"}
    )
    assert response.status_code == 400
    assert "do not match" in response.content.decode()


def test_repeated_failed_logins_are_throttled_then_released(client: Client, team: Team) -> None:
    url = reverse("accounts:login")
    with time_machine.travel("2026-03-02 09:00Z", tick=False):
        for _ in range(5):
            client.post(url, {"email": team.owner.email, "password": "wrong"})
        # Even the right password is refused while the account is locked.
        response = client.post(url, {"email": team.owner.email, "password": PASSWORD})
        assert response.status_code == 429
        assert response["Retry-After"] == str(15 * 60)
        assert "Too many failed attempts" in response.content.decode()
        assert "15 minutes" in response.content.decode()
    with time_machine.travel("2026-03-02 09:16Z", tick=False):
        response = client.post(url, {"email": team.owner.email, "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/"


def test_login_redirects_only_to_safe_next_urls(client: Client, team: Team) -> None:
    url = reverse("accounts:login")
    response = client.post(
        url, {"email": team.owner.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/"


def test_password_reset_sends_a_working_link(client: Client, team: Team) -> None:
    client.post(reverse("accounts:password-reset"), {"email": team.owner.email})
    assert len(mail.outbox) == 1
    link = next(w for w in mail.outbox[0].body.split() if "/accounts/reset/" in w)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    # the token moves out of the address into the session before the form shows
    assert form_page.redirect_chain[-1][0].endswith("/set-password/")
    assert 'name="new_password1"' in form_page.content.decode()
    new_password = "a-brand-new-secret-77"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    team.owner.refresh_from_db()
    assert team.owner.check_password(new_password)


def test_logout_needs_post(client: Client, team: Team) -> None:
    client.force_login(team.owner)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    dashboard = f"/w/{team.workspace.slug}/"
    response = client.get(dashboard)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={dashboard}"


def test_forms_refuse_posts_without_csrf_token(team: Team) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"email": team.owner.email, "password": PASSWORD}
    )
    assert response.status_code == 403


def test_security_headers_are_set(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.cookies["csrftoken"]["samesite"] == "Lax"

"""`createuser`: what it creates, what it says, and how it refuses bad input."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from headway.accounts.models import User
from headway.conftest import PASSWORD, make_user
from headway.workspaces.models import Membership, Role

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("createuser", *args, stdout=out)
    return out.getvalue()


def test_createuser_creates_an_account_that_can_sign_in() -> None:
    out = run("--email", "Sam@Example.com", "--name", "Sam Reed", "--password", PASSWORD)
    assert out == "Created sam@example.com.\n"
    user = User.objects.get(email="sam@example.com")
    assert user.name == "Sam Reed" and user.check_password(PASSWORD)
    assert not user.is_staff and not user.is_superuser
    assert not Membership.objects.filter(user=user).exists()


def test_createuser_with_a_workspace_makes_the_account_its_owner() -> None:
    out = run(
        "--email", "ana@example.com", "--name", "Ana", "--password", PASSWORD,
        "--workspace", "Harbor Pine",
    )  # fmt: skip
    membership = Membership.objects.select_related("workspace").get(user__email="ana@example.com")
    assert membership.role == Role.OWNER and membership.workspace.name == "Harbor Pine"
    assert out.splitlines() == [
        f"Created workspace Harbor Pine ({membership.workspace.slug}).",
        "Created ana@example.com.",
    ]


def test_createuser_staff_may_run_the_instance() -> None:
    run("--email", "ops@example.com", "--name", "Ops", "--password", PASSWORD, "--staff")
    user = User.objects.get(email="ops@example.com")
    assert user.is_staff and user.is_superuser


def test_createuser_asks_for_the_password_when_it_is_not_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prompts: list[str] = []

    def answer(prompt: str) -> str:
        prompts.append(prompt)
        return PASSWORD

    monkeypatch.setattr("getpass.getpass", answer)
    run("--email", "kim@example.com", "--name", "Kim")
    assert prompts == ["Password: "]
    assert User.objects.get(email="kim@example.com").check_password(PASSWORD)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "not-an-email", "--name", "X"], "email: 'not-an-email' is not a valid"),
        (["--email", "x@example.com", "--name", "  "], "name: Enter your name."),
        (["--email", "taken@example.com", "--name", "X"], "email: An account with this email"),
    ],
)
def test_createuser_names_the_field_at_fault(args: list[str], message: str) -> None:
    make_user("taken@example.com")
    with pytest.raises(CommandError) as caught:
        call_command("createuser", *args, "--password", PASSWORD)
    assert str(caught.value).startswith(message)
    assert User.objects.count() == 1


def test_createuser_refuses_a_weak_password() -> None:
    with pytest.raises(CommandError, match=r"^password: "):
        call_command("createuser", "--email", "w@example.com", "--name", "W", "--password", "abc")
    assert not User.objects.filter(email="w@example.com").exists()


def test_createuser_requires_an_email() -> None:
    with pytest.raises(CommandError, match="the following arguments are required: --email"):
        call_command("createuser", "--name", "X", "--password", PASSWORD)

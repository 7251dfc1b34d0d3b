"""Sign up, create a workspace, invite a member, accept as that member, see the shared workspace."""

from __future__ import annotations

import pytest

from headway.conftest import PASSWORD
from headway.workspaces.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_invite_and_join(page) -> None:  # type: ignore[no-untyped-def]
    # given a new visitor who signs up and names their workspace
    page.goto("/accounts/signup/")
    page.get_by_label("Your name").fill("Ana Ruiz")
    page.get_by_label("Email").fill("ana@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Workspace name").fill("Ruiz Ceramics")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/w/ruiz-ceramics/")
    assert page.get_by_role("heading", name="Ruiz Ceramics").is_visible()

    # when she invites a designer as a member and logs out
    page.get_by_role("link", name="People").click()
    page.get_by_label("Role", exact=True).select_option("member")
    page.get_by_role("button", name="Create invitation link").click()
    link = page.locator("#invite-link").inner_text()
    assert "/invite/" in link
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")

    # and the designer opens the link, creates an account and accepts
    page.goto(link.split("8000", 1)[-1] if "127.0.0.1:8000" in link else link)
    assert page.get_by_role("heading", name="Join Ruiz Ceramics").is_visible()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Your name").fill("Ben Cole")
    page.get_by_label("Email").fill("ben@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("button", name="Accept and join").click()

    # then he sees the shared workspace, with Ana in it
    page.wait_for_url("**/w/ruiz-ceramics/")
    assert page.get_by_text("You joined Ruiz Ceramics").is_visible()
    page.get_by_role("link", name="People").click()
    assert page.get_by_role("cell", name="Ana Ruiz").first.is_visible()
    assert Membership.objects.get(user__email="ben@example.com").role == "member"
    assert page.csp_problems == [], page.csp_problems


def test_role_change_in_place_with_the_keyboard(page, django_user_model) -> None:  # type: ignore[no-untyped-def]
    from headway.conftest import make_team

    team = make_team("kb", "Keyboard Co")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(team.owner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/w/keyboard-co/")
    page.goto("/w/keyboard-co/members/")
    select = page.get_by_label("Role of Kb Member")
    select.focus()
    select.select_option("manager")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_text("Saved").wait_for()
    assert page.url.endswith("/w/keyboard-co/members/")  # swapped in place, no reload
    assert Membership.objects.get(user=team.member).role == "manager"
    assert page.csp_problems == [], page.csp_problems

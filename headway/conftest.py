"""Shared fixtures: named personas in two workspaces, as the isolation and role tests use."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client

from headway.accounts.models import User
from headway.accounts.services import user_create
from headway.workspaces.models import Membership, Role, Workspace
from headway.workspaces.services import membership_add, workspace_create

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: pages keep derived lists under a key of the
    data's version, which a rolled-back earlier test can have reached with other data."""
    cache.clear()
    yield


def make_user(email: str, name: str | None = None) -> User:
    return user_create(email=email, name=name or email.split("@")[0].title(), password=PASSWORD)


@dataclass
class Team:
    """A workspace with one person in each role."""

    workspace: Workspace
    owner: User
    admin: User
    manager: User
    member: User
    freelancer: User
    client: User

    def membership(self, user: User) -> Membership:
        return Membership.objects.get(workspace=self.workspace, user=user)


def make_team(prefix: str, name: str) -> Team:
    owner = make_user(f"{prefix}-owner@example.com", f"{prefix.title()} Owner")
    workspace = workspace_create(actor=owner, name=name)
    people: dict[str, User] = {}
    for role in (Role.ADMIN, Role.MANAGER, Role.MEMBER, Role.FREELANCER, Role.CLIENT):
        user = make_user(f"{prefix}-{role}@example.com", f"{prefix.title()} {role.label}")
        membership_add(actor=owner, workspace=workspace, user=user, role=role)
        people[role.value] = user
    return Team(workspace=workspace, owner=owner, **people)


@pytest.fixture
def team(db: None) -> Team:
    return make_team("alpha", "Alpha Homeware")


@pytest.fixture
def other_team(db: None) -> Team:
    return make_team("beta", "Beta Bikes")


@pytest.fixture
def owner_client(team: Team) -> Client:
    client = Client()
    client.force_login(team.owner)
    return client


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client

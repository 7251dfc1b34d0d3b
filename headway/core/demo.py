"""The demo workspaces, created through the same services users call."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from headway.accounts.models import User
from headway.accounts.services import user_create
from headway.approvals.demo import demo_approvals
from headway.capacity.demo import demo_capacity
from headway.capacity.demo_scenarios import demo_scenarios_refresh
from headway.core.demo_agency import demo_agency, demo_second_client
from headway.insights.demo import demo_health
from headway.insights.demo_checkins import demo_checkins
from headway.insights.demo_history import demo_history
from headway.planning.demo import demo_planning
from headway.publishing.demo import demo_publishing
from headway.results.demo import demo_results
from headway.results.demo_reviews import demo_reviews
from headway.workspaces.models import Invitation, Membership, Role, Workspace, WorkspaceKind
from headway.workspaces.services import invitation_create, membership_add, workspace_create

DEMO_PASSWORD = "plan-ahead-2026"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    role: Role
    title: str


HARBOR_AND_PINE = "Harbor & Pine"
HARBOR_PEOPLE = [
    DemoPerson("maya@harborpine.example", "Maya Lindqvist", Role.OWNER, "Founder"),
    DemoPerson("jordan@harborpine.example", "Jordan Reyes", Role.MANAGER, "Marketing manager"),
    DemoPerson("priya@harborpine.example", "Priya Shah", Role.MEMBER, "Designer"),
    DemoPerson("tom@harborpine.example", "Tom Becker", Role.MEMBER, "Copywriter"),
    DemoPerson("lena@harborpine.example", "Lena Novak", Role.MEMBER, "Web manager"),
    DemoPerson("sam@harborpine.example", "Sam Ito", Role.MEMBER, "Social media coordinator"),
    DemoPerson("alex@studio-moreau.example", "Alex Moreau", Role.FREELANCER, "Freelance designer"),
    DemoPerson("chris@dube-ads.example", "Chris Dube", Role.FREELANCER, "Freelance paid ads"),
]
AGENCY_CLIENT = "Alder Cycles · Northlight Agency"
AGENCY_PEOPLE = [
    DemoPerson("dana@northlight.example", "Dana Brooks", Role.OWNER, "Agency account lead"),
    DemoPerson(
        "elliot@aldercycles.example", "Elliot Park", Role.CLIENT, "Client approver, Alder Cycles"
    ),
    DemoPerson("chris@dube-ads.example", "Chris Dube", Role.FREELANCER, "Freelance paid ads"),
]
# The agency's second, smaller client: its director owns the account and Dana manages it, so
# her workspace switcher lists two clients (journey J9).
SECOND_CLIENT = "Fernway Coffee · Northlight Agency"
SECOND_CLIENT_PEOPLE = [
    DemoPerson("rowan@northlight.example", "Rowan Hale", Role.OWNER, "Agency director"),
    DemoPerson("dana@northlight.example", "Dana Brooks", Role.MANAGER, "Agency account lead"),
    DemoPerson("chris@dube-ads.example", "Chris Dube", Role.FREELANCER, "Freelance paid ads"),
]


def _user(person: DemoPerson) -> User:
    existing = User.objects.filter(email=person.email).first()
    return existing or user_create(email=person.email, name=person.name, password=DEMO_PASSWORD)


def _workspace(name: str, kind: str, people: list[DemoPerson]) -> Workspace:
    owner = _user(people[0])
    workspace = Workspace.objects.filter(name=name).first()
    if workspace is None:
        workspace = workspace_create(actor=owner, name=name, kind=kind, owner_title=people[0].title)
    for person in people[1:]:
        user = _user(person)
        if not Membership.objects.filter(workspace=workspace, user=user).exists():
            membership_add(
                actor=owner, workspace=workspace, user=user, role=person.role, title=person.title
            )
    return workspace


def _pending_invitation(workspace: Workspace, email: str, role: Role) -> None:
    if not Invitation.objects.filter(workspace=workspace, email=email).exists():
        owner = Membership.objects.select_related("user").get(workspace=workspace, role=Role.OWNER)
        invitation_create(actor=owner.user, workspace=workspace, role=role, email=email)


@transaction.atomic
def demo_load() -> list[Workspace]:
    """Creates the demo workspaces and people; running it again changes nothing."""
    harbor = _workspace(HARBOR_AND_PINE, WorkspaceKind.ORGANISATION, HARBOR_PEOPLE)
    _pending_invitation(harbor, "noor@harborpine.example", Role.MEMBER)
    agency = _workspace(AGENCY_CLIENT, WorkspaceKind.CLIENT, AGENCY_PEOPLE)
    second = _workspace(SECOND_CLIENT, WorkspaceKind.CLIENT, SECOND_CLIENT_PEOPLE)
    demo_planning(harbor)
    demo_approvals(harbor)
    demo_publishing(harbor)
    demo_history(harbor)
    demo_capacity(harbor)
    demo_health(harbor)
    demo_checkins(harbor)
    demo_results(harbor)
    demo_reviews(harbor)
    demo_scenarios_refresh(harbor)  # last: the saved what-if reads the finished plan
    demo_agency(agency)
    demo_second_client(second)
    return [harbor, agency, second]


def demo_logins() -> list[DemoPerson]:
    seen: set[str] = set()
    people = []
    for person in HARBOR_PEOPLE + AGENCY_PEOPLE + SECOND_CLIENT_PEOPLE:
        if person.email not in seen:
            seen.add(person.email)
            people.append(person)
    return people

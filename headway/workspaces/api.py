import datetime as dt
from typing import Annotated

from annotated_types import MaxLen
from ninja import Router, Schema

from headway.api.schemas import SafeStr
from headway.core.errors import Forbidden
from headway.core.http import AuthedRequest, WorkspaceRequest
from headway.workspaces import selectors, services, visibility
from headway.workspaces.links import invitation_url
from headway.workspaces.models import Invitation, Membership, Role, WorkspaceKind

router = Router(tags=["workspaces"])


class WorkspaceOut(Schema):
    slug: str
    name: str
    kind: str
    time_zone: str
    role: str


class WorkspaceIn(Schema):
    name: Annotated[SafeStr, MaxLen(120)]
    kind: WorkspaceKind = WorkspaceKind.ORGANISATION


class MemberOut(Schema):
    id: int
    user_id: int
    name: str
    email: str
    role: str
    title: str


class MemberPatch(Schema):
    role: Role


class InvitationIn(Schema):
    role: Role = Role.MEMBER
    email: Annotated[SafeStr, MaxLen(254)] = ""


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    status: str
    expires_at: dt.datetime
    created_at: dt.datetime


class InvitationCreatedOut(InvitationOut):
    url: str


def _workspace_out(membership: Membership) -> WorkspaceOut:
    ws = membership.workspace
    return WorkspaceOut(
        slug=ws.slug, name=ws.name, kind=ws.kind, time_zone=ws.time_zone, role=membership.role
    )


def _member_out(m: Membership) -> MemberOut:
    return MemberOut(
        id=m.pk,
        user_id=m.user_id,
        name=m.user.name,
        email=m.user.email,
        role=m.role,
        title=m.title,
    )


@router.get("/workspaces", response=list[WorkspaceOut], summary="Your workspaces")
def workspaces_list(request: AuthedRequest) -> list[WorkspaceOut]:
    return [_workspace_out(m) for m in selectors.memberships_for_user(request.user)]


@router.post("/workspaces", response={201: WorkspaceOut}, summary="Create a workspace (you own it)")
def workspaces_create(request: AuthedRequest, payload: WorkspaceIn) -> tuple[int, WorkspaceOut]:
    ws = services.workspace_create(actor=request.user, name=payload.name, kind=payload.kind)
    return 201, _workspace_out(selectors.membership_for(request.user, ws.slug))


@router.get("/workspaces/{ws}", response=WorkspaceOut, summary="One workspace")
def workspaces_get(request: WorkspaceRequest, ws: str) -> WorkspaceOut:
    return _workspace_out(request.membership)


@router.get("/workspaces/{ws}/members", response=list[MemberOut], summary="Members and roles")
def members_list(request: WorkspaceRequest, ws: str) -> list[MemberOut]:
    if not visibility.is_internal(request.membership):
        raise Forbidden("Freelancers and clients cannot list the workspace's members.")
    return [_member_out(m) for m in selectors.members_list(request.workspace)]


@router.patch(
    "/workspaces/{ws}/members/{int:member_id}", response=MemberOut, summary="Change a member's role"
)
def members_update(
    request: WorkspaceRequest, ws: str, member_id: int, payload: MemberPatch
) -> MemberOut:
    membership = selectors.member_get(request.workspace, member_id)
    services.membership_change_role(actor=request.user, membership=membership, role=payload.role)
    return _member_out(membership)


@router.delete(
    "/workspaces/{ws}/members/{int:member_id}", response={204: None}, summary="Remove a member"
)
def members_remove(request: WorkspaceRequest, ws: str, member_id: int) -> tuple[int, None]:
    membership = selectors.member_get(request.workspace, member_id)
    services.membership_remove(actor=request.user, membership=membership)
    return 204, None


@router.get(
    "/workspaces/{ws}/invitations", response=list[InvitationOut], summary="Pending invitations"
)
def invitations_list(request: WorkspaceRequest, ws: str) -> list[Invitation]:
    if not request.membership.role_enum.administers:
        raise Forbidden("Only owners and admins can see invitations.")
    return list(selectors.invitations_pending(request.workspace))


@router.post(
    "/workspaces/{ws}/invitations",
    response={201: InvitationCreatedOut},
    summary="Invite someone: returns the single-use link once",
)
def invitations_create(
    request: WorkspaceRequest, ws: str, payload: InvitationIn
) -> tuple[int, InvitationCreatedOut]:
    invitation, raw = services.invitation_create(
        actor=request.user,
        workspace=request.workspace,
        role=payload.role,
        email=payload.email,
    )
    data = InvitationOut.from_orm(invitation).dict()
    return 201, InvitationCreatedOut(**data, url=invitation_url(raw))


@router.delete(
    "/workspaces/{ws}/invitations/{int:invitation_id}",
    response=InvitationOut,
    summary="Withdraw an invitation",
)
def invitations_revoke(request: WorkspaceRequest, ws: str, invitation_id: int) -> Invitation:
    invitation = selectors.invitation_get(request.workspace, invitation_id)
    return services.invitation_revoke(actor=request.user, invitation=invitation)

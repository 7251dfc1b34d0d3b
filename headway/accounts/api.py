import datetime as dt
from typing import Annotated

from annotated_types import MaxLen
from ninja import Router, Schema

from headway.accounts import selectors, services
from headway.accounts.models import ApiToken
from headway.api.schemas import SafeStr
from headway.core.http import AuthedRequest
from headway.workspaces.selectors import memberships_for_user

router = Router(tags=["account"])


class WorkspaceRef(Schema):
    slug: str
    name: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    name: str
    workspaces: list[WorkspaceRef]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenIn(Schema):
    name: Annotated[SafeStr, MaxLen(100)]


class TokenCreatedOut(TokenOut):
    token: str


@router.get("/me", response=MeOut, summary="The signed-in user and their workspaces")
def me(request: AuthedRequest) -> MeOut:
    user = request.user
    return MeOut(
        id=user.pk,
        email=user.email,
        name=user.name,
        workspaces=[
            WorkspaceRef(slug=m.workspace.slug, name=m.workspace.name, role=m.role)
            for m in memberships_for_user(user)
        ],
    )


@router.get("/tokens", response=list[TokenOut], summary="Your API tokens, with last use")
def tokens_list(request: AuthedRequest) -> list[ApiToken]:
    return list(selectors.tokens_for_user(request.user))


@router.post("/tokens", response={201: TokenCreatedOut}, summary="Create a token (shown once)")
def tokens_create(request: AuthedRequest, payload: TokenIn) -> tuple[int, TokenCreatedOut]:
    token, raw = services.token_create(actor=request.user, name=payload.name)
    data = TokenOut.from_orm(token).dict()
    return 201, TokenCreatedOut(**data, token=raw)


@router.delete("/tokens/{int:token_id}", response=TokenOut, summary="Revoke a token")
def tokens_revoke(request: AuthedRequest, token_id: int) -> ApiToken:
    token = selectors.token_get(request.user, token_id)
    return services.token_revoke(actor=request.user, token=token)

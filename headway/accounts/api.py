from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from headway.accounts import selectors, services
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
    name: str


class TokenCreatedOut(TokenOut):
    token: str


@router.get("/me", response=MeOut, summary="The signed-in user and their workspaces")
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    return {
        "id": user.pk,
        "email": user.email,  # type: ignore[union-attr]
        "name": user.name,  # type: ignore[union-attr]
        "workspaces": [
            {"slug": m.workspace.slug, "name": m.workspace.name, "role": m.role}
            for m in memberships_for_user(user)  # type: ignore[arg-type]
        ],
    }


@router.get("/tokens", response=list[TokenOut], summary="Your API tokens, with last use")
def tokens_list(request: HttpRequest) -> object:
    return selectors.tokens_for_user(request.user)  # type: ignore[arg-type]


@router.post("/tokens", response={201: TokenCreatedOut}, summary="Create a token (shown once)")
def tokens_create(request: HttpRequest, payload: TokenIn) -> tuple[int, dict[str, object]]:
    token, raw = services.token_create(actor=request.user, name=payload.name)  # type: ignore[arg-type]
    data = TokenOut.from_orm(token).dict()
    return 201, {**data, "token": raw}


@router.delete("/tokens/{int:token_id}", response=TokenOut, summary="Revoke a token")
def tokens_revoke(request: HttpRequest, token_id: int) -> object:
    token = selectors.token_get(request.user, token_id)  # type: ignore[arg-type]
    return services.token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]

"""Campaign templates (reusable plans) and the workspace's channels."""

from __future__ import annotations

from typing import Annotated, Any

from annotated_types import MaxLen
from ninja import Router, Schema

from headway.api.schemas import LongText, SafeJson, SafeStr
from headway.core.http import WorkspaceRequest
from headway.planning import selectors
from headway.planning.api.lookups import internal_only
from headway.planning.models import CampaignTemplate, Channel
from headway.planning.services import campaigns as campaign_services
from headway.planning.services import templates as template_services

router = Router(tags=["planning"])


class TemplateIn(Schema):
    name: Annotated[SafeStr, MaxLen(120)]
    description: LongText = ""
    spec: SafeJson


class TemplateOut(Schema):
    id: int
    name: str
    description: str
    spec: dict[str, Any]


class ChannelOut(Schema):
    id: int
    key: str
    name: str


class ChannelIn(Schema):
    name: Annotated[SafeStr, MaxLen(60)]


@router.get("/workspaces/{ws}/templates", response=list[TemplateOut], summary="Templates")
def templates_list(request: WorkspaceRequest, ws: str) -> list[CampaignTemplate]:
    internal_only(request)
    return selectors.workspace_templates(request.workspace)


@router.post(
    "/workspaces/{ws}/templates",
    response={201: TemplateOut},
    summary="Add a template (a broken network is refused with the fault named)",
)
def templates_create(
    request: WorkspaceRequest, ws: str, payload: TemplateIn
) -> tuple[int, CampaignTemplate]:
    return 201, template_services.template_create(
        actor=request.user,
        workspace=request.workspace,
        name=payload.name,
        spec=payload.spec,
        description=payload.description,
    )


@router.get("/workspaces/{ws}/channels", response=list[ChannelOut], summary="Channels")
def channels_list(request: WorkspaceRequest, ws: str) -> list[Channel]:
    return selectors.workspace_channels(request.workspace)


@router.post("/workspaces/{ws}/channels", response={201: ChannelOut}, summary="Add a channel")
def channels_create(request: WorkspaceRequest, ws: str, payload: ChannelIn) -> tuple[int, Channel]:
    return 201, campaign_services.channel_create(
        actor=request.user, workspace=request.workspace, name=payload.name
    )

"""Small builders for the editorial pipeline in tests."""

from __future__ import annotations

from typing import Any

from headway.conftest import Team
from headway.planning.services.campaigns import channels_ensure
from headway.publishing.models import ContentPiece
from headway.publishing.services import piece_create


def draft(team: Team, title: str = "Care guide", **kw: Any) -> ContentPiece:
    """A blog post the member owns, being drafted, on the workspace's first channel."""
    return piece_create(
        actor=team.manager,
        workspace=team.workspace,
        title=title,
        kind="blog_post",
        channel=channels_ensure(team.workspace)[0].pk,
        stage="drafting",
        owner=team.member.pk,
        **kw,
    )

"""Harbor & Pine's editorial pipeline: cadences, pieces over the coming weeks with a gap in
social next week, and Jordan's calendar feed."""

from __future__ import annotations

import datetime as dt

from headway.accounts.models import User
from headway.approvals.models import ApprovalChain
from headway.approvals.services import approval_start
from headway.planning.models import Campaign, Channel
from headway.publishing.models import ContentPiece
from headway.publishing.services import cadence_set, feed_create, piece_create
from headway.workspaces.models import Workspace


def demo_publishing(workspace: Workspace) -> None:
    """Adds the demo pipeline once; running it again changes nothing."""
    if ContentPiece.objects.filter(workspace=workspace).exists():
        return
    people = {
        u.email.split("@")[0]: u for u in User.objects.filter(memberships__workspace=workspace)
    }
    jordan, tom, sam = people["jordan"], people["tom"], people["sam"]
    ch = {c.key: c for c in Channel.objects.filter(workspace=workspace)}
    cadence_set(actor=jordan, workspace=workspace, channel=ch["blog"], per_period=1, period="week")
    cadence_set(
        actor=jordan,
        workspace=workspace,
        channel=ch["organic_social"],
        per_period=3,
        period="week",
    )
    cadence_set(
        actor=jordan, workspace=workspace, channel=ch["email"], per_period=1, period="month"
    )
    shoe = Campaign.objects.filter(workspace=workspace, name="Trail shoe launch").first()
    today = workspace.today()

    def at(days: int, hour: int) -> dt.datetime:
        return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour), workspace.tzinfo)

    plan = [
        ("Waxed-cotton care, part 1", "blog_post", "blog", "scheduled", tom, at(2, 9)),
        ("Behind the Ridge sole", "blog_post", "blog", "drafting", tom, at(9, 9)),
        ("Trail Tuesday photo", "social_post", "organic_social", "approved", sam, at(1, 12)),
        ("Customer trail story", "social_post", "organic_social", "in_review", sam, at(3, 12)),
        ("Weekend forecast reel", "video", "organic_social", "assigned", sam, at(5, 10)),
        # next week has one social post where the cadence wants three
        ("Ridge teaser", "social_post", "organic_social", "drafting", sam, at(8, 12)),
        ("Monthly newsletter", "email", "email", "drafting", tom, at(10, 8)),
        ("Gift guide idea", "blog_post", "blog", "idea", None, None),
    ]
    for title, kind, channel, stage, owner, slot in plan:
        piece_create(
            actor=jordan,
            workspace=workspace,
            title=title,
            kind=kind,
            channel=ch[channel].pk,
            stage=stage,
            owner=owner.pk if owner else None,
            publish_at=slot,
            campaign=shoe.pk if shoe and "Ridge" in title else None,
        )
    feed_create(actor=jordan, workspace=workspace, personal=True)
    review = ApprovalChain.objects.filter(workspace=workspace, kind="content_draft").first()
    story = ContentPiece.objects.filter(workspace=workspace, title="Customer trail story").first()
    if review is not None and story is not None:
        approval_start(actor=sam, piece=story, chain=review)

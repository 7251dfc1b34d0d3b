"""A launch opens the campaign's review: planning records every status change as an activity
event, and the one that says a campaign became launched is answered here."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from headway.activity.models import Event
from headway.planning.models import Campaign, CampaignStatus
from headway.results.reviews.services import review_open


def _launched(event: Event) -> bool:
    if event.object_type != "planning.campaign" or not event.object_id.isdigit():
        return False
    status = (event.changes or {}).get("status")
    return isinstance(status, list) and len(status) == 2 and status[1] == CampaignStatus.LAUNCHED


def review_on_launch(sender: object, *, instance: Event, created: bool = False, **kw: Any) -> None:
    """Runs in the launch's own transaction, so a refused launch opens no review."""
    if not created or kw.get("raw") or not _launched(instance):
        return
    campaign = (
        Campaign.objects.select_related("workspace").filter(pk=int(instance.object_id)).first()
    )
    if campaign is None:
        return
    launched_on = instance.created_at.astimezone(campaign.workspace.tzinfo).date()
    review_open(actor=instance.actor, campaign=campaign, launched_on=launched_on)


def connect() -> None:
    post_save.connect(review_on_launch, sender=Event, dispatch_uid="results-review-on-launch")

"""A launch opens the campaign's review: planning records every status change as an activity
event, and the one that says a campaign went out (launched, or straight to in review or
closed) is answered here."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from headway.activity.models import Event
from headway.planning.models import Campaign, CampaignStatus
from headway.results.reviews.services import review_open

#: Statuses a campaign reaches only once it is out: a campaign moved straight to one of the
#: later ones without being marked launched gets its review too.
LAUNCHED_OR_LATER = frozenset(
    {CampaignStatus.LAUNCHED, CampaignStatus.IN_REVIEW, CampaignStatus.CLOSED}
)


def _launched(event: Event) -> bool:
    if event.object_type != "planning.campaign" or not event.object_id.isdigit():
        return False
    status = (event.changes or {}).get("status")
    if not isinstance(status, list) or len(status) != 2:
        return False
    return status[1] in LAUNCHED_OR_LATER and status[0] not in LAUNCHED_OR_LATER


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

"""Demo results: Harbor & Pine's March exports, imported through the importer and matched."""

from __future__ import annotations

from pathlib import Path

from headway.planning.models import Campaign
from headway.planning.services.campaigns import campaign_update
from headway.results.models import Import, MatchKind
from headway.results.services import import_store, match_rule_create
from headway.workspaces.models import Membership, Role, Workspace

FILES = Path(__file__).resolve().parent / "demo_files"

#: Demo campaign -> (UTM value, names on the ad platforms, rule prefix)
_KEYS = {
    "Spring collection launch": (
        "spring-launch-2026",
        ["Spring Launch 2026"],
        "Spring Launch 2026",
    ),
    "Layering for winter hikes webinar": (
        "small-space-webinar",
        ["Small Space Webinar"],
        "Small Space Webinar",
    ),
    "Monthly newsletter": ("march-newsletter", ["March Newsletter"], ""),
}


def demo_results(workspace: Workspace) -> None:
    """Campaign keys, two rules, then every sample export imported (Brand and the Mother's
    Day promo are left unmatched, to be assigned on the import page)."""
    if Import.objects.filter(workspace=workspace).exists():
        return
    owner = Membership.objects.select_related("user").get(workspace=workspace, role=Role.OWNER).user
    for name, (utm, platform_names, prefix) in _KEYS.items():
        campaign = Campaign.objects.filter(workspace=workspace, name=name).first()
        if campaign is None:
            continue
        campaign_update(
            actor=owner,
            campaign=campaign,
            version=campaign.version,
            utm_campaign=utm,
            platform_names=platform_names,
        )
        if prefix:
            match_rule_create(
                actor=owner,
                workspace=workspace,
                campaign_id=campaign.pk,
                kind=MatchKind.STARTS_WITH,
                pattern=prefix,
            )
    for path in sorted(FILES.glob("*.csv")):
        import_store(actor=owner, workspace=workspace, data=path.read_bytes(), file_name=path.name)

"""An open escalation says what is wrong now: the campaign's current health reasons, the
reason it was opened with kept as "opened because …", and the campaign named once."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from headway.conftest import Team, client_for
from headway.insights.models import CampaignHealth, Escalation, HealthState
from headway.insights.services.escalations import escalation_follow_health
from headway.planning.tests.factories import chain

OLD = "The plan ends Fri 18 Dec, 4 working days after the launch."
OLD_MID = "the plan ends Fri 18 Dec, 4 working days after the launch."  # joined mid-sentence
NEW = "The plan ends Wed 23 Dec, 7 working days after the launch."


def _late_then_later(team: Team) -> Escalation:
    campaign, _ = chain(team, "Winter webinar", 1)
    campaign.owner = team.manager
    campaign.save(update_fields=["owner"])
    now = timezone.now()
    row = CampaignHealth.objects.create(
        workspace=team.workspace, campaign=campaign, state=HealthState.LATE,
        reasons=[{"code": "late", "text": OLD}], since=now, computed_at=now,
    )  # fmt: skip
    esc = escalation_follow_health(row, campaign)
    assert esc is not None
    # recomputed later: still late (no state change, so the escalation is not rewritten)
    row.reasons = [{"code": "late", "text": NEW}]
    row.save(update_fields=["reasons"])
    return esc


def test_the_dashboard_shows_the_current_reason_and_names_the_campaign_once(team: Team) -> None:
    _late_then_later(team)
    home = reverse("workspaces:dashboard", kwargs={"ws": team.workspace.slug})
    page = client_for(team.manager).get(home).text
    section = page.split('id="section-escalations"')[1].split("</section>")[0]
    assert NEW in section
    assert f"opened because {OLD_MID} (when opened)" in section and OLD not in section
    assert section.count("Winter webinar") == 1


def test_the_escalations_page_shows_the_current_reasons_and_why_it_was_opened(
    team: Team,
) -> None:
    _late_then_later(team)
    url = reverse("insights:escalations", kwargs={"ws": team.workspace.slug})
    page = client_for(team.manager).get(url).text
    row = page.split("Winter webinar</strong>")[1].split("Acknowledge")[0]
    assert NEW in row and f"Opened because {OLD_MID} (so it read when opened, " in row
    assert OLD not in row
    assert row.count("Winter webinar") == 0  # named once, in the row's heading


def test_once_resolved_it_keeps_the_words_it_had(team: Team) -> None:
    esc = _late_then_later(team)
    esc.state = "resolved"
    esc.save(update_fields=["state"])
    esc = Escalation.objects.select_related("campaign__health").get(pk=esc.pk)
    assert esc.current_text.endswith(OLD) and esc.opened_because == ""


def test_the_api_gives_the_current_reasons_beside_those_it_was_opened_with(team: Team) -> None:
    from django.test import Client

    from headway.accounts.services import token_create

    esc = _late_then_later(team)
    _, raw = token_create(actor=team.manager, name="api")
    body = (
        Client()
        .get(
            f"/api/v1/workspaces/{team.workspace.slug}/escalations",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )
        .json()
    )
    [row] = [r for r in body if r["id"] == esc.pk]
    assert row["reasons"][0]["text"] == OLD
    assert row["current_reasons"][0]["text"] == NEW
    assert row["current_text"] == f"Winter webinar is late: {NEW}"
    assert row["opened_because"] == OLD


def test_a_reason_joined_mid_sentence_starts_small_unless_a_title_or_acronym() -> None:
    from headway.insights.selectors.escalations import reason_mid_sentence

    assert reason_mid_sentence(OLD) == OLD_MID
    assert reason_mid_sentence("Go-live condition “Venue” is not met").startswith("go-live")
    assert reason_mid_sentence("“Edit the film” is blocked") == "“Edit the film” is blocked"
    assert reason_mid_sentence("API quota is spent") == "API quota is spent"
    assert reason_mid_sentence("") == ""

"""The agency's client workspaces, through the services. Alder Cycles: two campaigns, a poster
waiting on the client's sign-off, a social post under review by the client role, and the
agency's own work the client never sees (an internal review sent back for changes). Fernway
Coffee: a smaller second client, so the account lead has clients to switch between."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from headway.accounts.models import User
from headway.approvals.services import StepSpec, approval_decide, approval_start, chain_create
from headway.planning.models import Campaign, Holiday, Task
from headway.planning.services.attachments import attachment_add_link
from headway.planning.services.calendar import timeoff_add
from headway.planning.services.campaigns import campaign_create, channels_ensure
from headway.planning.services.links import condition_create, dependency_add
from headway.planning.services.tasks import task_create
from headway.planning.services.templates import templates_ensure
from headway.publishing.services import feed_create, piece_create
from headway.workspaces.models import Invitation, Role, Workspace
from headway.workspaces.services import invitation_create


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def demo_agency(workspace: Workspace) -> None:
    """Adds the client workspace's demo work once; running it again changes nothing."""
    if Campaign.objects.filter(workspace=workspace).exists():
        return
    people = {
        u.email.split("@")[0]: u for u in User.objects.filter(memberships__workspace=workspace)
    }
    dana, elliot, chris = people["dana"], people["elliot"], people["chris"]
    today = timezone.localdate()
    channels = {c.key: c for c in channels_ensure(workspace)}
    templates_ensure(workspace)
    Holiday.objects.get_or_create(
        workspace=workspace,
        date=_weekday(today + dt.timedelta(days=60)),
        defaults={"name": "Alder Cycles stocktake"},
    )
    timeoff_add(
        actor=dana,
        workspace=workspace,
        user_id=dana.pk,
        first_day=_weekday(today + dt.timedelta(days=20)),
        last_day=_weekday(today + dt.timedelta(days=20)),
        note="Agency offsite",
    )
    poster = _spring_rides(workspace, dana, chris, today)
    dealer_email = _dealer_days(workspace, dana, today)
    _approvals(workspace, dana, elliot, poster, dealer_email, channels["organic_social"].pk)
    feed_create(actor=dana, workspace=workspace, personal=False)
    if not Invitation.objects.filter(workspace=workspace).exists():
        invitation_create(
            actor=dana, workspace=workspace, role=Role.CLIENT, email="marketing@aldercycles.example"
        )


def _spring_rides(workspace: Workspace, dana: User, chris: User, today: dt.date) -> Task:
    """The client's campaign: the poster they sign off, and paid social by the freelancer."""
    rides = campaign_create(
        actor=dana,
        workspace=workspace,
        name="Spring ride series",
        launch_date=_weekday(today + dt.timedelta(days=30)),
        objective="Fill six Saturday group rides from the Alder Cycles shop.",
        status="in_progress",
    )
    poster = task_create(
        actor=dana, campaign=rides, title="Ride series hero poster", duration_days=3, owner=dana.pk
    )
    ads = task_create(
        actor=dana, campaign=rides, title="Paid social plan", duration_days=4, owner=chris.pk
    )
    launch = task_create(actor=dana, campaign=rides, title="First Saturday ride", kind="launch")
    dependency_add(actor=dana, predecessor=poster, successor=launch)
    dependency_add(actor=dana, predecessor=ads, successor=launch)
    attachment_add_link(
        actor=dana,
        task=Task.objects.get(pk=poster.pk),
        url="https://drive.example.com/alder/ride-series-poster-v2.pdf",
        name="Hero poster, second draft",
    )
    return Task.objects.get(pk=poster.pk)


def _dealer_days(workspace: Workspace, dana: User, today: dt.date) -> Task:
    """The agency's internal work for the client's dealers, which the client does not see."""
    dealers = campaign_create(
        actor=dana,
        workspace=workspace,
        name="Dealer open days",
        launch_date=_weekday(today + dt.timedelta(days=50)),
        objective="Bring dealers to the workshop for the new frame range.",
        metrics=[{"name": "Dealers attending", "target": 25, "unit": "dealers"}],
        status="planned",
    )
    email = task_create(
        actor=dana,
        campaign=dealers,
        title="Dealer invitation email",
        duration_days=2,
        owner=dana.pk,
    )
    signage = task_create(
        actor=dana, campaign=dealers, title="Open day signage", duration_days=3, owner=dana.pk
    )
    dependency_add(actor=dana, predecessor=email, successor=signage)
    condition_create(
        actor=dana,
        campaign=dealers,
        title="Dealer list confirmed",
        kind="readiness",
        party="internal",
        owner=dana.pk,
    )
    attachment_add_link(
        actor=dana,
        task=Task.objects.get(pk=email.pk),
        url="https://drive.example.com/alder/dealer-email-draft",
        name="Dealer email draft",
    )
    return Task.objects.get(pk=email.pk)


def _approvals(
    workspace: Workspace,
    dana: User,
    elliot: User,
    poster: Task,
    dealer_email: Task,
    social: int,
) -> None:
    sign_off = chain_create(
        actor=dana,
        workspace=workspace,
        name="Client sign-off",
        kind="design_asset",
        steps=[StepSpec("Alder Cycles", approvers=[elliot.pk], backup=dana.pk, limit=2)],
    )
    client_review = chain_create(
        actor=dana,
        workspace=workspace,
        name="Client content review",
        kind="content_draft",
        steps=[StepSpec("Any client approver", approvers=[], approver_role=Role.CLIENT)],
    )
    internal = chain_create(
        actor=dana,
        workspace=workspace,
        name="Agency internal review",
        kind="messaging",
        steps=[StepSpec("Account lead", approvers=[dana.pk], limit=1)],
    )
    approval_start(actor=dana, task=poster, chain=sign_off)
    recap = piece_create(
        actor=dana,
        workspace=workspace,
        title="Spring ride recap post",
        kind="social_post",
        channel=social,
        stage="drafting",
        owner=dana.pk,
    )
    approval_start(actor=dana, piece=recap, chain=client_review)
    piece_create(
        actor=dana,
        workspace=workspace,
        title="Dealer newsletter",
        kind="email",
        channel=social,
        stage="idea",
    )
    sent_back = approval_start(actor=dana, task=dealer_email, chain=internal)
    approval_decide(
        actor=dana, request=sent_back, verdict="changes", comment="Shorter subject line."
    )


def demo_second_client(workspace: Workspace) -> None:
    """Fernway Coffee, the agency's second client: one campaign in flight that the account lead
    manages with the freelancer's paid social, and one planned. Running it again changes
    nothing."""
    if Campaign.objects.filter(workspace=workspace).exists():
        return
    people = {
        u.email.split("@")[0]: u for u in User.objects.filter(memberships__workspace=workspace)
    }
    rowan, dana, chris = people["rowan"], people["dana"], people["chris"]
    today = timezone.localdate()
    channels_ensure(workspace)
    templates_ensure(workspace)
    blend = campaign_create(
        actor=dana,
        workspace=workspace,
        name="Autumn blend launch",
        launch_date=_weekday(today + dt.timedelta(days=25)),
        objective="Get the new autumn blend into regulars' cups in all three cafés.",
        metrics=[{"name": "Bags sold in launch week", "target": 400, "unit": "bags"}],
        status="in_progress",
    )
    label = task_create(
        actor=dana, campaign=blend, title="Bag label artwork", duration_days=3, owner=dana.pk
    )
    ads = task_create(
        actor=dana, campaign=blend, title="Local paid social", duration_days=4, owner=chris.pk
    )
    launch = task_create(actor=dana, campaign=blend, title="Blend on the menu", kind="launch")
    dependency_add(actor=dana, predecessor=label, successor=launch)
    dependency_add(actor=dana, predecessor=ads, successor=launch)
    card = campaign_create(
        actor=dana,
        workspace=workspace,
        name="Loyalty card relaunch",
        launch_date=_weekday(today + dt.timedelta(days=70)),
        objective="Move card holders from paper stamps to the app.",
        status="planned",
    )
    task_create(
        actor=dana, campaign=card, title="Sign-up flow copy", duration_days=2, owner=dana.pk
    )
    if not Invitation.objects.filter(workspace=workspace).exists():
        invitation_create(
            actor=rowan, workspace=workspace, role=Role.CLIENT, email="hello@fernwaycoffee.example"
        )

"""Gives every existing workspace the standard channels and the starter templates, which new
workspaces now receive when they are created, so that pages only read them."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from headway.planning.models import STANDARD_CHANNELS
from headway.planning.starter_templates import STARTER_TEMPLATES


def workspace_defaults(apps: Any, schema_editor: Any) -> None:
    Workspace = apps.get_model("workspaces", "Workspace")
    Channel = apps.get_model("planning", "Channel")
    CampaignTemplate = apps.get_model("planning", "CampaignTemplate")
    for workspace in Workspace.objects.all():
        existing = set(Channel.objects.filter(workspace=workspace).values_list("key", flat=True))
        Channel.objects.bulk_create(
            Channel(workspace=workspace, key=key, name=name)
            for key, name in STANDARD_CHANNELS
            if key not in existing
        )
        if not CampaignTemplate.objects.filter(workspace=workspace).exists():
            CampaignTemplate.objects.bulk_create(
                CampaignTemplate(workspace=workspace, name=name, description=text, spec=spec)
                for name, text, spec in STARTER_TEMPLATES
            )


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_initial"),
        ("workspaces", "0001_initial"),
    ]

    operations = [migrations.RunPython(workspace_defaults, migrations.RunPython.noop)]

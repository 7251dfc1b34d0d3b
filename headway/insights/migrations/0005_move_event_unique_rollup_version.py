"""TaskMove: one row per (workspace, event) (duplicates two overlapping copies made are
removed first, the lowest id kept; the unique index replaces the plain one).
DiagnosisRollup: a result version, so rows pickled by an older release are recomputed.
RoundStart: approval rounds' starts copied from the log, as TaskMove is; CopyMark: the last
event the copy has read (a first run after this migration reads the log again from the start,
skipping the moves already copied)."""

import django.db.models.deletion
from django.db import migrations, models


def drop_duplicate_moves(apps, schema_editor):  # type: ignore[no-untyped-def]
    TaskMove = apps.get_model("insights", "TaskMove")
    seen = (
        TaskMove.objects.values("workspace_id", "event_id")
        .annotate(n=models.Count("id"), keep=models.Min("id"))
        .filter(n__gt=1)
    )
    for row in seen.iterator():
        TaskMove.objects.filter(workspace_id=row["workspace_id"], event_id=row["event_id"]).exclude(
            pk=row["keep"]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("insights", "0004_task_moves"), ("workspaces", "0001_initial")]

    operations = [
        migrations.RunPython(drop_duplicate_moves, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="taskmove", name="insights_move_ws_event"),
        migrations.AddConstraint(
            model_name="taskmove",
            constraint=models.UniqueConstraint(
                fields=("workspace", "event_id"), name="insights_move_event"
            ),
        ),
        migrations.AddField(
            model_name="diagnosisrollup",
            name="version",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.CreateModel(
            name="RoundStart",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("event_id", models.BigIntegerField()),
                ("request_id", models.BigIntegerField()),
                ("round", models.IntegerField()),
                ("at", models.FloatField()),
                (
                    "workspace",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="workspaces.workspace",
                    ),
                ),
            ],
            options={
                "ordering": ["workspace", "event_id"],
                "indexes": [models.Index(fields=["workspace", "at"], name="insights_round_ws_at")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("workspace", "event_id"), name="insights_round_event"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CopyMark",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("event_id", models.BigIntegerField(default=0)),
                (
                    "workspace",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="workspaces.workspace",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("workspace",), name="insights_copy_mark_workspace"
                    )
                ],
            },
        ),
    ]

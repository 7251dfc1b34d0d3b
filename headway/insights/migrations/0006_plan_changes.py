"""PlanChange: tasks' plan changes copied from the log for the crunch."""

import django.db.models.deletion
from django.db import migrations, models


def copy_again(apps, schema_editor):  # type: ignore[no-untyped-def]
    """The job reads the log again from its start (skipping what it copied already), so the
    plan changes before the mark are copied too."""
    apps.get_model("insights", "CopyMark").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('insights', '0005_move_event_unique_rollup_version'),
        ('workspaces', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(copy_again, migrations.RunPython.noop),
        migrations.CreateModel(
            name='PlanChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('event_id', models.BigIntegerField()),
                ('task_id', models.BigIntegerField()),
                ('at', models.FloatField()),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='workspaces.workspace')),
            ],
            options={
                'ordering': ['workspace', 'event_id'],
                'constraints': [models.UniqueConstraint(fields=('workspace', 'event_id'), name='insights_change_event')],
            },
        ),
    ]

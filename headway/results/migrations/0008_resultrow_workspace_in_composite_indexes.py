"""ResultRow.workspace loses its single-column index: the two composite indexes start with
the workspace and serve every query on it, and a million-row import spent ~1 s of SQLite's
~12 s of inserting keeping the third index up to date. The index is dropped by its name (the
same on SQLite and PostgreSQL): altering the field would make SQLite copy the whole table."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "results_resultrow_workspace_id_33429f29"


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0007_stored_answers"),
        ("workspaces", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="resultrow",
                    name="workspace",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="result_rows",
                        to="workspaces.workspace",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {INDEX}",
                    reverse_sql=f"CREATE INDEX {INDEX} ON results_resultrow (workspace_id)",
                ),
            ],
        ),
    ]

"""Full-text search over learnings on SQLite: an FTS5 index of the learnings table kept in
step by triggers. PostgreSQL searches the table itself (SearchVector), so nothing runs there."""

from django.db import migrations

FORWARD = [
    """CREATE VIRTUAL TABLE results_learning_fts USING fts5(
        text, audience, work_kind, content='results_learning', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER results_learning_fts_ai AFTER INSERT ON results_learning BEGIN
        INSERT INTO results_learning_fts(rowid, text, audience, work_kind)
        VALUES (new.id, new.text, new.audience, new.work_kind);
    END""",
    """CREATE TRIGGER results_learning_fts_ad AFTER DELETE ON results_learning BEGIN
        INSERT INTO results_learning_fts(results_learning_fts, rowid, text, audience, work_kind)
        VALUES ('delete', old.id, old.text, old.audience, old.work_kind);
    END""",
    """CREATE TRIGGER results_learning_fts_au AFTER UPDATE ON results_learning BEGIN
        INSERT INTO results_learning_fts(results_learning_fts, rowid, text, audience, work_kind)
        VALUES ('delete', old.id, old.text, old.audience, old.work_kind);
        INSERT INTO results_learning_fts(rowid, text, audience, work_kind)
        VALUES (new.id, new.text, new.audience, new.work_kind);
    END""",
    "INSERT INTO results_learning_fts(results_learning_fts) VALUES ('rebuild')",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS results_learning_fts_au",
    "DROP TRIGGER IF EXISTS results_learning_fts_ad",
    "DROP TRIGGER IF EXISTS results_learning_fts_ai",
    "DROP TABLE IF EXISTS results_learning_fts",
]


class SQLiteOnlySQL(migrations.RunSQL):
    """RunSQL that runs on SQLite only (a no-op on PostgreSQL)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0002_reviews_learnings"),
    ]

    operations = [SQLiteOnlySQL(FORWARD, BACKWARD)]

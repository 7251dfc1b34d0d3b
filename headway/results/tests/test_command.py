"""`headway import FILE --workspace SLUG [--dry-run] [--json]`."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from headway.conftest import Team
from headway.results.models import ResultRow

pytestmark = pytest.mark.django_db
LINKEDIN = "/work/shared/fixtures/linkedin/campaign_performance_report.csv"


def _run(*args: str) -> dict[str, object]:
    out = StringIO()
    call_command("import", *args, stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def test_dry_run_prints_the_json_and_stores_nothing(team: Team) -> None:
    body = _run(LINKEDIN, "--workspace", team.workspace.slug, "--dry-run", "--json")
    assert body["source"] == "linkedin" and body["rows"] == 22
    assert body["period"] == {"start": "2026-03-01", "end": "2026-03-31"}
    assert body["totals"]["leads"] == 20  # type: ignore[index]
    assert [u["name"] for u in body["unmatched"]] == ["Small Space Webinar"]  # type: ignore[attr-defined]
    assert body["stored"] is False and ResultRow.objects.count() == 0


def test_import_stores_and_a_second_run_changes_nothing(team: Team) -> None:
    first = _run(LINKEDIN, "--workspace", team.workspace.slug, "--json")
    second = _run(LINKEDIN, "--workspace", team.workspace.slug, "--json")
    assert first["stored"] is True and second["already_imported"] is True
    assert ResultRow.objects.count() == 22


def test_bad_file_fails_with_line_and_column(team: Team, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b'Title,Send Date,Total Recipients\nNews,"Mar 05, 2026 10:30 am",many\n')
    out = StringIO()
    with pytest.raises(CommandError, match="Line 2, column 3"):
        call_command("import", str(bad), "--workspace", team.workspace.slug, "--json", stdout=out)
    assert json.loads(out.getvalue())["field"] == "file"


def test_unknown_workspace(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No workspace"):
        call_command("import", LINKEDIN, "--workspace", "nope")

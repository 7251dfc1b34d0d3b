"""`headway import FILE --workspace SLUG [--dry-run] [--json]`: read an export and store it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.core.errors import DomainError
from headway.results import services
from headway.results.mapping import mapping_named
from headway.results.mapping_models import ColumnMapping
from headway.workspaces.models import Workspace


class Command(BaseCommand):
    help = (
        "Imports an export (Google Ads, Meta Ads, LinkedIn, Mailchimp, GA4, HubSpot; CSV or "
        "XLSX) into a workspace. --dry-run previews without storing; --json prints "
        '{"source", "rows", "period", "totals", "matched", "unmatched", ...}.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--workspace", required=True, help="The workspace's slug.")
        parser.add_argument("--dry-run", action="store_true", help="Preview; store nothing.")
        parser.add_argument("--json", action="store_true")
        parser.add_argument(
            "--mapping",
            help="The name of a saved column mapping, for a layout Headway does not know "
            "(without it, the mapping remembered for the file's header is used).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace with the slug {options['workspace']!r}.")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from None
        try:
            mapping = (
                mapping_named(workspace, options["mapping"], data) if options["mapping"] else None
            )
            body = self._run(workspace, data, path.name, options["dry_run"], mapping)
        except DomainError as exc:
            if options["json"]:
                error = {"code": exc.code, "message": exc.message, "field": exc.field}
                self.stdout.write(json.dumps(error))
            raise CommandError(f"{path}: {exc.message}") from None
        if options["json"]:
            self.stdout.write(json.dumps(body, indent=2))
        else:
            self._summary(body)

    def _run(
        self,
        workspace: Workspace,
        data: bytes,
        name: str,
        dry_run: bool,
        mapping: ColumnMapping | None = None,
    ) -> dict[str, Any]:
        preview = services.import_preview(
            workspace=workspace, data=data, file_name=name, mapping=mapping
        )
        body = preview.as_json()
        body["stored"], body["import_id"] = False, None
        if not dry_run:
            stored = services.import_store(
                actor=None, workspace=workspace, data=data, file_name=name, mapping=mapping
            )
            body["stored"], body["import_id"] = stored.created, stored.import_.pk
            body["already_imported"] = not stored.created
        return body

    def _summary(self, body: dict[str, Any]) -> None:
        period = body["period"]
        self.stdout.write(
            f"{body['source_label']}: {body['rows']:,} rows, "
            f"{period['start'] or '?'} to {period['end'] or '?'}"
        )
        for name, value in body["totals"].items():
            self.stdout.write(f"  {name}: {value:,}")
        for m in body["matched"]:
            self.stdout.write(f"  matched  {m['name']} -> {m['campaign']['name']} ({m['reason']})")
        for m in body["unmatched"]:
            self.stdout.write(f"  unmatched {m['name']} (first at line {m['first_line']})")
        if body["already_imported"]:
            self.stdout.write("This file was imported before; nothing changed.")
        elif body["stored"]:
            self.stdout.write(f"Stored; replaced {body['replaces_rows']:,} earlier rows.")
        else:
            self.stdout.write("Dry run: nothing stored.")

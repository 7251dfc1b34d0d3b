"""Files that are not results exports, recognised from content and refused with a clear word.

Teams drop their plan exports (Asana's task CSV, Trello's board JSON) on the results import
page by mistake; read as a results file they would open the column-mapping step (Asana) or
count thousands of "columns" (Trello's JSON on one line). JSON in general is no export a
results reader takes.
"""

from __future__ import annotations

import json

from headway.results.sources.base import ImportFormatError, detect_encoding, norm

#: Asana's task export columns: the task's id and its section are Asana's own.
ASANA_COLUMNS = {"task id", "section/column"}
ASANA_ALSO = {"assignee", "due date", "completed at", "projects", "parent task"}
NOT_YET = "plans can't be imported yet"


class NotResults(ImportFormatError):
    """A file that is not a results export (a plan export, JSON): no mapping reads it."""


def _text_head(data: bytes, size: int = 65536) -> str:
    try:
        encoding = detect_encoding(data[:size])
    except ImportFormatError:
        encoding = "utf-8"
    return data[:size].decode(encoding, errors="ignore").lstrip("\ufeff\x00 \t\r\n")


def _json_kind(data: bytes, head: str) -> str:
    """What a JSON file is: a Trello board, an Asana export, or JSON in general."""
    try:
        value = json.loads(data.decode(detect_encoding(data), errors="ignore").lstrip("\ufeff"))
    except (ValueError, ImportFormatError, RecursionError):
        value = None
    if isinstance(value, dict):
        keys = set(value)
        url = str(value.get("url", ""))
        if "trello.com" in url or {"cards", "lists"} <= keys:
            return "trello"
        if isinstance(value.get("data"), list) and any(
            isinstance(t, dict) and "gid" in t and t.get("resource_type") == "task"
            for t in value["data"][:50]
        ):
            return "asana"
    elif value is None and ("trello.com" in head[:4096] or '"idBoard"' in head):
        return "trello"
    return "json"


def _csv_header(head: str) -> set[str]:
    first = head.splitlines()[0] if head else ""
    for delim in (",", ";", "\t"):
        if delim in first:
            return {norm(c) for c in first.split(delim)}
    return {norm(first)}


def refuse_non_results(data: bytes) -> None:
    """Raise NotResults when the file is a plan export or JSON, from what it holds."""
    head = _text_head(data)
    if head[:1] in ("{", "["):
        kind = _json_kind(data, head)
        if kind == "trello":
            raise NotResults(
                f"This is a Trello board export (cards), not a results export: {NOT_YET}. "
                "Export the campaign report from your ads, email or analytics tool as CSV or XLSX."
            )
        if kind == "asana":
            raise NotResults(
                f"This is an Asana project export (tasks), not a results export: {NOT_YET}. "
                "Export the campaign report from your ads, email or analytics tool as CSV or XLSX."
            )
        raise NotResults(
            "This is a JSON file, not a results export: Headway reads results as CSV or XLSX "
            "exported from your ads, email or analytics tool."
        )
    header = _csv_header(head)
    if header >= ASANA_COLUMNS and header & ASANA_ALSO:
        raise NotResults(
            f"This is an Asana project export (tasks), not a results export: {NOT_YET}. "
            "Export the campaign report from your ads, email or analytics tool as CSV or XLSX."
        )

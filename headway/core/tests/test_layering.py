"""Views and API modules read through selectors: no `Model.objects` in them, so every read
that crosses relations has one home, scoped to a workspace, with its query count fixed."""

from __future__ import annotations

import ast
from pathlib import Path

import headway

ROOT = Path(headway.__file__).resolve().parent


def view_and_api_modules() -> list[Path]:
    """Every module that answers a request: views and API routers of every app, including
    the ones that have grown into packages."""
    patterns = ["*/views.py", "*/views/*.py", "*/api.py", "*/api/*.py"]
    found = {p for pattern in patterns for p in ROOT.glob(pattern)}
    return sorted(p for p in found if "tests" not in p.parts)


def manager_lines(source: str) -> list[int]:
    """Lines of each `.objects` attribute in the module's code (comments and strings are
    not code, so they do not count)."""
    tree = ast.parse(source)
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "objects"
    )


def test_the_scan_covers_the_views_and_api_modules() -> None:
    names = {str(p.relative_to(ROOT)) for p in view_and_api_modules()}
    assert "planning/views/tasks.py" in names
    assert "approvals/api.py" in names or "approvals/api/__init__.py" in names
    assert any(n.startswith("planning/api") for n in names)


def test_the_scan_finds_a_manager_read_in_code_only() -> None:
    source = (
        '"""Task.objects in a docstring is fine."""\n'
        "# Task.objects in a comment too\n"
        "x = Task.objects.all()\n"
        "y = get_object_or_404(Campaign.objects.select_related('owner'), pk=1)\n"
    )
    assert manager_lines(source) == [3, 4]


def test_views_and_api_modules_read_through_selectors() -> None:
    uses = [
        f"{p.relative_to(ROOT.parent)}:{line}"
        for p in view_and_api_modules()
        for line in manager_lines(p.read_text())
    ]
    assert uses == [], "ORM reads outside selectors and services:\n" + "\n".join(uses)

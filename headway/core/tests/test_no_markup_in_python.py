"""Markup lives in templates: no module builds HTML in an f-string, where a value would go
into the page unescaped. The hot loops use headway.core.markup, which escapes every value."""

from __future__ import annotations

import ast
import re
from pathlib import Path

HEADWAY = Path(__file__).resolve().parents[2]
TAG = re.compile(r"<\s*/?[A-Za-z!]")


def _fstring_markup(path: Path, root: Path = HEADWAY.parent) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                v.value
                for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
            if TAG.search(text):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_no_module_builds_markup_in_an_f_string() -> None:
    modules = [p for p in HEADWAY.rglob("*.py") if "tests" not in p.parts and "e2e" not in p.parts]
    assert len(modules) > 50
    offenders = [hit for p in modules for hit in _fstring_markup(p)]
    assert offenders == []


def test_the_check_finds_markup_in_an_f_string(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('title = "x"\nrow = f"<td>{title}</td>"\nplain = f"{title:<12}"\n')
    assert _fstring_markup(sample, tmp_path) == ["sample.py:2"]

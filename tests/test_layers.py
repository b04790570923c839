"""The direction of imports (DESIGN.md, rules of the house): a domain app never imports the web
faces (office, portal, api), and the working-time rules import nothing of the project."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "motcua"
DOMAIN = ["core", "org", "catalog", "workdays", "dossiers", "feedback", "notifications", "reports"]
FACES = ("motcua.office", "motcua.portal", "motcua.api")


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("app", DOMAIN)
def test_a_domain_app_never_imports_a_web_face(app):
    wrong = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / app).rglob("*.py")
        for name in imports_of(path)
        if name.startswith(FACES)
    }
    assert not wrong


def test_the_working_time_rules_import_nothing_of_the_project():
    assert not {n for n in imports_of(ROOT / "workdays" / "rules.py") if n.startswith("motcua")}

"""The import order of docs/where-things-go.md, asserted on every module of the project:

    faces (office, portal, api, ops) → demo → reports, queueing
      → feedback, surveys, payments, documents → dossiers
      → org, catalog, workdays, notifications, access, signatures → core

An app imports only the apps of its own layer's allowance below it (every import: at module
level or inside a function, absolute or relative), so there is no cycle between apps; a domain
app never imports a web face, and no face imports another face. The pure rules
(`workdays/rules.py`, `dossiers/policy.py`) import nothing of Django's ORM, even through the
project modules they use."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "motcua"

BASE = {"core"}
SHARED = {*BASE, "org", "catalog", "workdays", "notifications", "access", "signatures"}
DOMAIN = {
    *SHARED,
    "dossiers",
    "feedback",
    "surveys",
    "payments",
    "queueing",
    "reports",
    "documents",
}
#: What each app may import (its own modules always).
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "history": set(),
    "org": BASE,
    "catalog": {*BASE, "org"},
    "workdays": {*BASE, "org"},
    "notifications": {*BASE, "org"},
    "access": {*BASE, "org"},
    "signatures": {*BASE, "org", "notifications"},
    "dossiers": SHARED,
    "feedback": {*SHARED, "dossiers"},
    "surveys": {*SHARED, "dossiers"},
    "payments": {*SHARED, "dossiers"},
    "queueing": {*SHARED, "dossiers", "surveys"},
    "reports": {*SHARED, "dossiers", "feedback", "surveys"},
    "documents": {*SHARED, "dossiers"},
    "demo": DOMAIN,
    "office": DOMAIN,
    "portal": DOMAIN,
    "api": DOMAIN,
    "ops": DOMAIN,
}
#: The project's own glue, which wires everything together.
PROJECT = {"settings", "urls", "wsgi", "asgi", "__main__", "context_processors", "formats"}
PURE = ["workdays/rules.py", "dossiers/policy.py"]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it, relative imports resolved."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def source_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.parts)


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "motcua" else None


def forbidden_imports(files: list[Path]) -> list[str]:
    wrong = []
    for path in files:
        app = app_of(module_name(path))
        if app is None or app in PROJECT:
            continue
        allowed = ALLOWED.get(app)
        if allowed is None:
            wrong.append(f"{path.relative_to(ROOT)}: the app {app!r} has no place in ALLOWED")
            continue
        for name in sorted(imports_of(path)):
            target = app_of(name)
            if target is None or target == app:
                continue
            if target not in allowed:
                wrong.append(f"{path.relative_to(ROOT)} imports {name} ({app} → {target})")
    return wrong


def test_every_app_has_its_place_in_the_order():
    apps = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists()}
    assert apps <= set(ALLOWED), f"add {sorted(apps - set(ALLOWED))} to ALLOWED"


def test_no_app_imports_beyond_its_layer():
    assert forbidden_imports(source_files()) == []


def test_the_order_has_no_cycle():
    """Taken as a graph, the allowances themselves are acyclic (faces and demo on top)."""
    order: list[str] = []
    pending = dict(ALLOWED)
    while pending:
        ready = [a for a, deps in pending.items() if deps <= set(order)]
        assert ready, f"a cycle among {sorted(pending)}"
        order.extend(sorted(ready))
        for a in ready:
            del pending[a]


def test_a_forbidden_import_is_caught(tmp_path):
    """The check itself fails when an outbox module reaches into a domain app, even from inside
    a function and through a relative import."""
    app = tmp_path / "motcua" / "notifications"
    app.mkdir(parents=True)
    bad = app / "bad.py"
    bad.write_text(
        "def f():\n    from ..dossiers.models import Dossier\n    return Dossier\n",
        encoding="utf-8",
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path / "motcua"
    try:
        assert forbidden_imports([bad]) == [
            "notifications/bad.py imports motcua.dossiers.models (notifications → dossiers)",
            "notifications/bad.py imports motcua.dossiers.models.Dossier "
            "(notifications → dossiers)",
        ]
    finally:
        ROOT = saved


@cache
def _project_closure(module: str) -> frozenset[str]:
    """The project modules ``module`` imports, transitively (itself included)."""
    seen = {module}
    frontier = [module]
    while frontier:
        current = frontier.pop()
        path = ROOT.parent / Path(*current.split("."))
        candidates = [path.with_suffix(".py"), path / "__init__.py"]
        file = next((c for c in candidates if c.exists()), None)
        if file is None:
            continue
        for name in imports_of(file):
            if name.startswith("motcua") and name not in seen:
                seen.add(name)
                frontier.append(name)
    return frozenset(seen)


@pytest.mark.parametrize("pure", PURE)
def test_the_pure_rules_import_nothing_of_the_orm(pure):
    module = module_name(ROOT / pure)
    orm = set()
    for name in _project_closure(module):
        path = ROOT.parent / Path(*name.split("."))
        file = next(
            (c for c in (path.with_suffix(".py"), path / "__init__.py") if c.exists()), None
        )
        if file is None:
            continue
        for imported in imports_of(file):
            if imported.startswith(("django.db", "django.contrib")) or imported.endswith(".models"):
                orm.add(f"{name} imports {imported}")
    assert not orm


def test_the_working_time_rules_import_nothing_of_the_project():
    assert not {n for n in imports_of(ROOT / "workdays" / "rules.py") if n.startswith("motcua")}

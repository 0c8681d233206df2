"""The layers of design.md: services import no telegram and no handlers; only the wiring imports handlers."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.lang.test_lang_purity import imported_after

ROOT = Path(__file__).resolve().parents[1]


def test_services_import_neither_telegram_nor_handlers() -> None:
    services = [f"bot.services.{path.stem}" for path in (ROOT / "bot" / "services").glob("*.py")
                if path.stem != "__init__"]
    assert len(services) >= 6
    loaded = imported_after("\n".join(f"import {name}" for name in services))
    assert not {module.split(".")[0] for module in loaded} & {"telegram", "handlers"}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_only_the_wiring_imports_handlers() -> None:
    outside = [path for package in ("bot", "storage", "bench") for path in (ROOT / package).rglob("*.py")
               if path != ROOT / "bot" / "app.py"]
    offenders = {str(path.relative_to(ROOT)) for path in outside
                 if any(name == "handlers" or name.startswith("handlers.") for name in _imports(path))}
    assert not offenders


# Handlers are thin adapters: the use cases (and every session) live in bot/services. The modules below are done;
# the others join THIN as their conversions land.
THIN = ("gate", "start", "staff", "staffing", "agenda", "reminders", "more", "asked", "documents", "visits",
        "budget", "followups", "facts", "events", "conversation", "router", "report")
# Still importing sqlalchemy while being converted; remove a name once its module is clean.
NOT_YET_THIN = {"pledges"}


def _uses_sessions(path: Path) -> bool:
    return any(isinstance(node, ast.Attribute) and node.attr == "sessionmaker"
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


def test_thin_handlers_neither_import_storage_nor_open_sessions() -> None:
    paths = [ROOT / "handlers" / f"{name}.py" for name in THIN]
    assert all(path.exists() for path in paths)
    storage_users = {path.stem for path in paths
                     if any(name == "storage" or name.startswith("storage.") for name in _imports(path))}
    assert not storage_users
    assert not {path.stem for path in paths if _uses_sessions(path)}


def test_handlers_import_no_sqlalchemy() -> None:
    handlers = [path for path in (ROOT / "handlers").glob("*.py") if path.stem not in NOT_YET_THIN]
    assert len(handlers) >= len(THIN)
    offenders = {path.stem for path in handlers
                 if any(name == "sqlalchemy" or name.startswith("sqlalchemy.") for name in _imports(path))}
    assert not offenders

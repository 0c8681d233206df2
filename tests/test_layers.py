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

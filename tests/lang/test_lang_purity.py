"""bot.lang is pure: no telegram, no sqlalchemy, nothing else of ours; heavy fallbacks load lazily."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULES = [path.stem for path in (ROOT / "bot" / "lang").glob("*.py") if path.stem != "__init__"]
OURS = ["amounts", "datecheck", "datefallback", "datefmt", "dateprep", "dates", "datescan", "intent_table",
        "intents", "moneyfmt", "names", "parse_date_cli", "textutil"]


def imported_after(code: str) -> set[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_language_layer_imports_nothing_it_must_not() -> None:
    assert set(OURS) <= set(MODULES)
    loaded = imported_after("\n".join(f"import bot.lang.{name}" for name in MODULES))
    forbidden = {"telegram", "sqlalchemy", "storage", "handlers"}
    assert not {module.split(".")[0] for module in loaded} & forbidden
    ours = {module for module in loaded if module.startswith("bot.")}
    assert ours <= {"bot", "bot.lang"} | {f"bot.lang.{name}" for name in MODULES}


def test_other_leaves_import_neither_telegram_nor_storage() -> None:
    """bot/domain, bot/present and bot/sheets are leaves too (design.md): tested with plain pytest."""
    leaves = [f"bot.{package}.{path.stem}" for package in ("domain", "present", "sheets")
              for path in (ROOT / "bot" / package).glob("*.py") if path.stem != "__init__"]
    loaded = imported_after("\n".join(f"import {name}" for name in leaves))
    assert not {module.split(".")[0] for module in loaded} & {"telegram", "sqlalchemy", "storage", "handlers"}


def test_parsing_korean_does_not_load_dateparser_or_rapidfuzz() -> None:
    loaded = imported_after(
        "from datetime import datetime\nfrom bot.lang.dates import parse_when, SEOUL\n"
        "parse_when('내일 오후 3시', datetime(2018, 7, 20, 10, tzinfo=SEOUL))"
    )
    assert "korean_datetime" in loaded
    assert "dateparser" not in loaded and "rapidfuzz" not in loaded

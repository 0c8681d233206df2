"""Drafts in the console chat, scripted through stdin: an older echo's 확인, 확인 after a restart, a question
asked while a form waits."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

from helpers import run_cli

from bot.database import migrate


def chat(cwd: Path, script: str, *args: str) -> str:
    result = run_cli(cwd, "chat", *args, input=script)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def _spending(cwd: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(cwd / "data" / "demo.db") as db:
        return list(db.execute("SELECT amount_won, purpose FROM spending_entries ORDER BY id"))


def _message_of(out: str, marker: str) -> int:
    """The m-number of the first keyboard printed after `marker`."""
    found = re.search(re.escape(marker) + r".*?\(m(\d+)\)", out, re.S)
    assert found, out
    return int(found.group(1))


def test_an_older_echo_confirms_its_own_draft(tmp_path: Path) -> None:
    script = "12만원 시책추진 간담회 다과 지출\n300만원 기관운영 직원격려 명절선물 지출\n"
    (tmp_path / "dry").mkdir()
    out = chat(tmp_path / "dry", script)  # the same script on a fresh demo database numbers its messages alike
    first = _message_of(out, "120천원")
    assert _message_of(out, "3,000천원") != first
    out = chat(tmp_path, script + f"#{first}.1\n")
    assert [row for row in _spending(tmp_path) if row[1] in ("다과", "명절선물")] == [(120_000, "다과")]


def test_a_draft_confirmed_after_a_restart_is_stored_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'own.db'}"
    asyncio.run(migrate(url))
    echo = chat(tmp_path, "9월 15일 오후 3시 서울식물원 개관식 알려줘\n", "--db", url)
    assert "맞나요" in echo
    chat(tmp_path, "확인\n", "--db", url)  # a new console over the same database: the draft is still there
    again = chat(tmp_path, "확인\n", "--db", url)  # nothing left to confirm: nothing stored twice
    assert "맞나요" not in again
    with sqlite3.connect(tmp_path / "own.db") as db:
        titles = [row[0] for row in db.execute("SELECT title FROM events")]
    assert titles.count("서울식물원 개관식") == 1


def test_a_question_while_a_form_waits_is_answered_and_the_form_offered_back(tmp_path: Path) -> None:
    out = chat(tmp_path, "/visit\n업무추진비 잔액 얼마야\n")
    assert "238,625" in out  # the question is answered
    assert "입력 중이던" in out and "이어서 하기" in out and "버리기" in out

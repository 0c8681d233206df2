"""Ledger spreadsheets: import from chat (admins) and the CLI, all or nothing; export."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from conftest import ADMIN_ID, STAFF_ID, Harness, replies
from helpers import run_cli
from sqlalchemy import func, select

from storage.models import SpendingEntry

HEADER = "일자,과목,분야,금액(원),건수,내용,비고\n"
GOOD = (HEADER + "2018-07-02,기관운영,직원격려,300000,2,명절 격려,\n"
        "2018-07-03,시책추진업무추진비,간담회,120000,1,정책자문 간담회,\n")
BAD = GOOD + "2018-07-04,없는과목,간담회,50000,1,다과,\n2018-07-05,기관운영,간담회,-3,1,다과,\n"


async def _count(h: Harness) -> int:
    async with h.runtime.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(SpendingEntry)) or 0)


async def test_admin_imports_a_ledger_from_chat(harness: Harness) -> None:
    answer = replies(await harness.upload(ADMIN_ID, "ledger.csv", GOOD.encode("utf-8-sig")))
    assert answer == ["장부 2건을 가져왔습니다."]
    summary = replies(await harness.send(ADMIN_ID, "/budget"))[0]
    assert "기관운영업무추진비: 277,200 / 84,496 / 192,704" in summary
    assert "시책추진업무추진비: 80,000 / 34,499 / 45,501" in summary and "246건" in summary


async def test_one_bad_row_imports_nothing_and_names_each_row(harness: Harness) -> None:
    answer = replies(await harness.upload(ADMIN_ID, "ledger.csv", BAD.encode("utf-8")))[0]
    assert answer.startswith("장부에 문제가 2곳 있어 아무것도 가져오지 않았습니다")
    assert "4행 과목" in answer and "없는과목" in answer and "5행 금액(원)" in answer
    assert await _count(harness) == 0


async def test_staff_cannot_import(harness: Harness) -> None:
    from test_gate import _join

    await _join(harness, STAFF_ID)
    assert "관리자만" in replies(await harness.upload(STAFF_ID, "ledger.csv", GOOD.encode()))[0]
    assert ".xlsx/.csv로 보내 주세요" in replies(await harness.upload(ADMIN_ID, "ledger.pdf", b"%PDF"))[0]
    assert await _count(harness) == 0


async def test_export_from_chat_opens_with_openpyxl(harness: Harness) -> None:
    await harness.upload(ADMIN_ID, "ledger.csv", GOOD.encode())
    calls = await harness.send(ADMIN_ID, "/budget export")
    (document,) = [c for c in calls if c.method == "sendDocument"]
    name, data = document.files["document"]
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = list(book["집행내역"].iter_rows(values_only=True))
    assert len(rows) == 3 and "명절 격려" in rows[1]
    assert name == "업무추진비_2018.xlsx"


def test_cli_import_and_export(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    assert run_cli(tmp_path, "seed", "--db", url).returncode == 0
    (tmp_path / "bad.csv").write_text(BAD, encoding="utf-8")
    bad = run_cli(tmp_path, "import", "budget", "bad.csv", "--db", url)
    assert bad.returncode == 1 and "아무것도 가져오지 않았습니다" in bad.stdout and "4행 과목" in bad.stdout, bad.stderr
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    good = run_cli(tmp_path, "import", "budget", "good.csv", "--db", url)
    assert good.returncode == 0 and "장부 2건을 가져왔습니다." in good.stdout
    out = run_cli(tmp_path, "export", "budget", "--db", url, "--out", "ledger.xlsx")
    assert out.returncode == 0, out.stderr
    book = openpyxl.load_workbook(tmp_path / "ledger.xlsx", read_only=True)
    assert len(list(book["집행내역"].iter_rows(values_only=True))) == 3
    missing = run_cli(tmp_path, "import", "budget", "nope.csv", "--db", url)
    assert missing.returncode == 2 and "파일이 없습니다" in missing.stderr

"""Imports are bounded and never block the bot (issue 11, item 13): the upload's size (before it is downloaded or
read), its rows, an .xlsx's unzipped size (before openpyxl opens it); reading off the event loop, large uploads
in the background while other users get answers; batched writes, all or nothing."""

from __future__ import annotations

import asyncio
import io
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

from conftest import ADMIN_ID, STAFF_ID, Harness, make_config, make_harness, replies
from helpers import run_cli, xlsx
from sqlalchemy import func, select

from bot.sheets.common import ImportLimits
from bot.sheets.ledger import read_ledger
from storage.models import SpendingEntry, SubProject

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))  # bench/imports.py builds the files

HEADER = ["일자", "과목", "분야", "금액(원)", "건수", "내용", "비고"]
NAMES = {"기관운영": "기관운영업무추진비", "시책추진": "시책추진업무추진비"}
FIELDS = {"간담회": "회의·간담회"}


def _ledger_csv(rows: int) -> bytes:
    lines = [",".join(HEADER)]
    lines += [f"2018-07-{1 + n % 28:02d},기관운영,간담회,1000,1,협의 다과 {n}," for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _bomb(unzipped: int) -> bytes:
    """A valid small workbook plus one sheet-like member of ``unzipped`` bytes of one repeated character: highly
    compressible (about 1,000:1), written in 1 MB pieces so building it needs little memory."""
    book = zipfile.ZipFile(io.BytesIO(xlsx([HEADER, ["7/20", "기관운영", "간담회", 1000, 1, "다과", None]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for member in book.infolist():
            bomb.writestr(member, book.read(member))
        with bomb.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as big:
            piece = b" " * (1 << 20)
            for _ in range(unzipped >> 20):
                big.write(piece)
    return out.getvalue()


def _forged(declared: int) -> bytes:
    """A workbook whose zip directory declares a member of ``declared`` bytes (1.6 GB) while the file is tiny:
    the directory is what the check reads, and Python's zipfile never inflates past a declared size."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([HEADER])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as forged:
        for member in source.infolist():
            forged.writestr(member, source.read(member))
        forged.writestr("xl/media/huge.bin", b"x")
        forged.getinfo("xl/media/huge.bin").file_size = declared  # written to the central directory at close
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_read_fast_and_in_little_memory() -> None:
    data = _bomb(64 << 20)
    assert len(data) < 200_000  # 64 MB of sheet XML in well under 200 KB
    tracemalloc.start()
    started = time.perf_counter()
    rows, problems = read_ledger(data, "bomb.xlsx", line_names=NAMES, field_names=FIELDS, year=2018,
                                 limits=ImportLimits(max_unzipped_bytes=20 << 20))
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert rows == [] and len(problems) == 1 and problems[0].row == 0
    assert "압축을 풀면 64MB" in problems[0].reason and "20MB까지" in problems[0].reason
    assert elapsed < 1.0 and peak < 5 << 20, (elapsed, peak)


def test_a_file_declaring_gigabytes_unzipped_is_refused_with_the_default_limits() -> None:
    data = _forged(1_600 * (1 << 20))
    assert len(data) < 20_000
    rows, problems = read_ledger(data, "forged.xlsx", line_names=NAMES, field_names=FIELDS, year=2018)
    assert rows == [] and "1,600MB" in problems[0].reason and "200MB까지" in problems[0].reason


def test_too_many_rows_and_too_many_bytes_name_the_limit() -> None:
    data = _ledger_csv(11)
    _, problems = read_ledger(data, "a.csv", line_names=NAMES, field_names=FIELDS, year=2018,
                              limits=ImportLimits(max_rows=10))
    assert [p.row for p in problems] == [0] and "10행까지" in problems[0].reason
    _, problems = read_ledger(data, "a.csv", line_names=NAMES, field_names=FIELDS, year=2018,
                              limits=ImportLimits(max_bytes=100))
    assert [p.row for p in problems] == [0] and "너무 큽니다" in problems[0].reason


async def test_chat_refuses_a_large_upload_before_downloading_it(sqlite_url: str) -> None:
    config = make_config(sqlite_url, imports={"max_upload_mb": 1, "max_rows": 10})
    async with make_harness(config) as h:
        calls = await h.upload(ADMIN_ID, "ledger.csv", b"x" * (3 << 19))
        assert "1.5MB" in replies(calls)[0] and "1MB까지" in replies(calls)[0]
        assert not [c for c in calls if c.method == "getFile"]
        answer = replies(await h.upload(ADMIN_ID, "ledger.csv", _ledger_csv(11)))[0]
        assert "10행까지" in answer


def test_cli_refuses_a_large_file_before_reading_it(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[imports]\nmax_upload_mb = 1\n", encoding="utf-8")
    (tmp_path / "big.csv").write_bytes(_ledger_csv(40_000))
    url = f"sqlite:///{tmp_path / 'b.db'}"
    result = run_cli(tmp_path, "import", "budget", "big.csv", "--db", url, "--config", "config.toml")
    assert result.returncode == 1 and "1MB까지" in result.stdout, result.stdout + result.stderr


async def _count(h: Harness, model: object) -> int:
    async with h.runtime.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


async def test_a_big_import_runs_in_the_background_while_others_get_answers(harness: Harness) -> None:
    from test_gate import _join

    await _join(harness, STAFF_ID)
    started = time.perf_counter()
    calls = await harness.upload(ADMIN_ID, "ledger.csv", _ledger_csv(50_000))
    assert "받았습니다" in replies(calls)[0] and await _count(harness, SpendingEntry) == 0
    other = replies(await harness.send(STAFF_ID, "/budget"))
    assert "업무추진비" in other[0]
    done: list[str] = []
    while not done and time.perf_counter() - started < 120:
        await asyncio.sleep(0.2)
        done = [t for t in replies(harness.request.calls) if "가져왔습니다" in t]
    texts = replies(harness.request.calls)
    assert done == ["장부 50,000건을 가져왔습니다."]
    assert texts.index(other[0]) < texts.index(done[0])  # the other user was answered first
    assert time.perf_counter() - started < 60
    assert await _count(harness, SpendingEntry) == 50_000
    summary = replies(await harness.send(ADMIN_ID, "/budget 2018.12.31"))[0]  # the card
    assert "기관운영업무추진비: 277,200 / 134,196 / 143,004" in summary


async def test_a_big_bad_import_in_the_background_changes_nothing(harness: Harness) -> None:
    data = _ledger_csv(20_000) + b"2018-07-02,none,x,1000,1,bad,\n"
    await harness.upload(ADMIN_ID, "ledger.csv", data)
    done: list[str] = []
    for _ in range(600):
        await asyncio.sleep(0.2)
        if done := [t for t in replies(harness.request.calls) if "아무것도 가져오지 않았습니다" in t]:
            break
    assert done and "20002행 과목" in done[0] and "20002행 분야" in done[0]
    assert await _count(harness, SpendingEntry) == 0


async def test_pledge_import_is_batched_and_idempotent(harness: Harness) -> None:
    from imports import pledges_file

    data = pledges_file(3_000)
    first = replies(await harness.upload(ADMIN_ID, "pledges.csv", data))
    done: list[str] = []
    for _ in range(600):
        if done := [t for t in replies(harness.request.calls) if "공약 파일을 가져왔습니다" in t]:
            break
        await asyncio.sleep(0.2)
    assert "받았습니다" in first[0]
    assert done == ["공약 파일을 가져왔습니다: 새 세부사업 3000개, 갱신 0개, 변경 없음 0개, 새 마일스톤 600개."]
    assert await _count(harness, SubProject) == 3_000
    again = replies(await harness.upload(ADMIN_ID, "pledges.csv", data))
    for _ in range(600):
        if [t for t in replies(harness.request.calls) if "변경 없음 3000개" in t]:
            break
        await asyncio.sleep(0.2)
    assert "받았습니다" in again[0] and await _count(harness, SubProject) == 3_000

"""CPU-bound work runs in worker processes (bot/workers.py): charts, spreadsheets and exports never run on the
event loop; a worker's error is the usual Korean message; the pool stops with the application."""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator, Iterator
from concurrent.futures.process import BrokenProcessPool

import pytest
from conftest import ADMIN_ID, Harness, make_config, make_harness, replies
from helpers import xlsx

from bot import workers
from bot.present import budget_chart
from handlers import texts


@pytest.fixture(autouse=True)
def process_mode() -> Iterator[None]:
    """Every test here in the default mode (process), whatever SECRETARIAT_BOT_WORKERS says."""
    workers.set_mode("process")
    yield
    workers.reset_mode()


@pytest.fixture
async def both(db_url: str) -> AsyncIterator[Harness]:
    async with make_harness(make_config(db_url)) as h:
        yield h


def _exploding_chart(*_: object) -> bytes:
    raise ValueError("the chart could not be drawn")


def _pid_of_caller() -> int:
    return os.getpid()


async def test_run_cpu_runs_in_another_process_and_raises_its_errors_here() -> None:
    assert await workers.run_cpu(_pid_of_caller) != os.getpid()
    assert workers.stats.last_pid not in (None, os.getpid())
    assert await workers.run_cpu(os.nice, 0) == min(19, os.nice(0) + workers.NICENESS)  # the loop comes first
    with pytest.raises(ValueError, match="could not be drawn"):
        await workers.run_cpu(_exploding_chart)
    workers.shutdown()
    assert not workers.running()


async def test_a_dead_worker_fails_its_call_and_the_next_call_gets_a_new_pool() -> None:
    with pytest.raises(BrokenProcessPool):
        await workers.run_cpu(os._exit, 3)
    assert await workers.run_cpu(_pid_of_caller) != os.getpid()
    workers.shutdown()


async def test_inline_runs_in_place() -> None:
    with workers.inline():
        assert await workers.run_cpu(_pid_of_caller) == os.getpid()
    assert not workers.running()


async def test_charts_are_drawn_in_a_worker_and_the_pool_stops_with_the_application(db_url: str) -> None:
    async with make_harness(make_config(db_url)) as h:
        before = workers.stats.calls["process"]
        calls = await h.send(ADMIN_ID, "/budget chart")
        (photo,) = [c for c in calls if c.method == "sendPhoto"]
        assert photo.files["photo"][1].startswith(b"\x89PNG")
        assert workers.stats.calls["process"] == before + 1
        assert workers.stats.last_pid not in (None, os.getpid())
        worker_pid = workers.stats.last_pid
        assert workers.running()
    assert not workers.running()  # post_shutdown stopped the pool, and its processes are gone
    assert worker_pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(worker_pid, 0)


async def test_an_error_inside_the_worker_is_the_usual_korean_message(
        both: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    # the handler looks the chart function up when called; the worker imports this module to run the stand-in
    monkeypatch.setattr(budget_chart, "budget_chart", _exploding_chart)
    calls = await both.send(ADMIN_ID, "/budget chart")
    to_user = [str(c.params["text"]) for c in calls if c.method == "sendMessage" and c.params["chat_id"] == ADMIN_ID]
    assert texts.SOMETHING_WENT_WRONG in to_user
    assert not [c for c in calls if c.method == "sendPhoto"]
    assert not any("Traceback" in text for text in to_user)


async def test_a_corrupt_workbook_read_in_the_worker_gets_its_clear_message(both: Harness) -> None:
    good = xlsx([["일자", "과목", "분야", "금액(원)", "건수", "내용", "비고"]])
    corrupt = good[: len(good) // 2]  # a zip cut short
    answer = replies(await both.upload(ADMIN_ID, "ledger.xlsx", corrupt))
    assert len(answer) == 1 and answer[0].startswith("엑셀(.xlsx) 파일을 열 수 없습니다."), answer
    assert workers.stats.last_pid not in (None, os.getpid())


async def test_imports_and_exports_run_in_the_worker(both: Harness) -> None:
    before = workers.stats.calls["process"]
    header = ["일자", "과목", "분야", "금액(원)", "건수", "내용", "비고"]
    book = xlsx([header, ["2018-07-02", "기관운영", "직원격려", 300000, 2, "명절 격려", None]])
    assert replies(await both.upload(ADMIN_ID, "ledger.xlsx", book)) == ["장부 1건을 가져왔습니다."]
    calls = await both.send(ADMIN_ID, "/budget export")
    (document,) = [c for c in calls if c.method == "sendDocument"]
    import openpyxl

    rows = list(openpyxl.load_workbook(io.BytesIO(document.files["document"][1]), read_only=True)["집행내역"]
                .iter_rows(values_only=True))
    assert "명절 격려" in rows[1]
    calendar = [c for c in await both.send(ADMIN_ID, "/calendar") if c.method == "sendDocument"]
    assert calendar and calendar[0].files["document"][1].startswith(b"BEGIN:VCALENDAR")
    # header check and rows (2), the ledger workbook, the calendar: each in the pool
    assert workers.stats.calls["process"] - before >= 4

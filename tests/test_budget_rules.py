"""The budget never promises what it does not count, and imports obey the chat's rules (issue 11, items 7 and 8):
one date rule (after the opening balances' date, in the fiscal year) and the same limits (a line's balance, the
single-entry ceiling budget.max_entry_won) for chat, import and export; an admin's approval is explicit."""

from __future__ import annotations

import io
import random
import re
from datetime import timedelta
from pathlib import Path

import openpyxl
from conftest import ADMIN_ID, STAFF_ID, Harness, make_config, make_harness, replies
from helpers import run_cli
from sqlalchemy import func, select

from bot.config import Config
from storage.models import SpendingEntry

HEADER = "일자,과목,분야,금액(원),건수,내용,비고\n"
OPENING_LEFT = {"기관운영": 193_004_000, "시책추진": 45_621_000}  # the report's balances on 6.30. (won)
ALLOCATION = {"기관운영": 277_200_000, "시책추진": 80_000_000}
APPROVE = "초과 지출 승인하고 가져오기"


async def _entries(h: Harness) -> int:
    async with h.runtime.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(SpendingEntry)) or 0)


async def _staff(h: Harness) -> None:
    from test_gate import _join

    await _join(h, STAFF_ID)


# -- item 7: one date rule, promises kept --------------------------------------------------------------------

async def test_entry_dated_in_the_opening_balance_is_refused_in_chat(harness: Harness) -> None:
    answer = replies(await harness.send(ADMIN_ID, "지출 5만원 기관운영 행사 다과 6/30"))
    assert len(answer) == 1 and "6.30.까지의 집행은 보고서 기준 잔액에 이미 들어 있습니다" in answer[0]
    assert "7.1. 이후 날짜로" in answer[0] and "아무것도 기록하지 않았습니다" in answer[0]
    assert await _entries(harness) == 0


async def test_entry_dated_in_the_opening_balance_is_refused_in_an_import(harness: Harness) -> None:
    data = (HEADER + "2018-07-02,기관운영,직원격려,300000,1,격려,\n2018-06-15,기관운영,직원격려,50000,1,다과,\n")
    answer = replies(await harness.upload(ADMIN_ID, "ledger.csv", data.encode()))[0]
    assert "아무것도 가져오지 않았습니다" in answer and "3행 일자" in answer and "6.30.까지의 집행은" in answer
    assert await _entries(harness) == 0


def _promise(echo: str) -> int:
    found = re.search(r"기록 후 \S+ 잔액: (-?[\d,]+)천원", echo)
    assert found, echo
    return int(found[1].replace(",", ""))


def _shown(done: str) -> int:
    found = re.search(r"/ 잔액 (-?[\d,]+)천원", done)
    assert found, done
    return int(found[1].replace(",", ""))


async def test_the_balance_shown_after_an_entry_is_the_one_its_echo_promised(harness: Harness) -> None:
    """Property over random amounts, dates (before, at and after the opening date, before and after today,
    in any order) and lines: every accepted entry shows the promised balance, and that balance is the
    allocation minus the opening spending minus every accepted entry of the line."""
    rng = random.Random(11)
    accepted = {"기관운영": 0, "시책추진": 0}
    days = ["2018.6.29", "2018.6.30", "2018.7.1", "2018.7.20", "2018.8.1", "2018.12.24", "2018.7.25", "2018.9.3"]
    for step in range(12):
        line = rng.choice(list(accepted))
        amount = rng.randrange(1, 400) * 1_000 + rng.choice([0, 500])
        day = days[step % len(days)] if step < len(days) else rng.choice(days)
        calls = await harness.send(ADMIN_ID, f"지출 {amount:,}원 {day} {line} 간담회 점검 다과")
        echo = replies(calls)[-1]
        if day in ("2018.6.29", "2018.6.30"):
            assert "보고서 기준 잔액에 이미 들어 있습니다" in echo
            continue
        done = replies(await harness.tap(ADMIN_ID, calls, "확인"))[-1]
        accepted[line] += amount
        assert _shown(done) == _promise(echo), (echo, done)
        assert _shown(done) == round((OPENING_LEFT[line] - accepted[line]) / 1000)
    summary = replies(await harness.send(ADMIN_ID, "/budget 2018.12.31"))[0]  # the card
    for line, total in accepted.items():
        left = round((OPENING_LEFT[line] - total) / 1000)
        assert re.search(rf"{line}업무추진비: [\d,]+ / [\d,]+ / {left:,} ", summary), summary


async def test_export_marks_what_the_balance_does_not_count(harness: Harness) -> None:
    """An entry stored before the rule (an old database) is listed as not counted, never as 정상."""
    from datetime import date

    from storage import budget as store

    async with harness.runtime.sessionmaker.begin() as session:
        line = (await store.lines(session, 2018))[0]
        field = (await store.fields(session, 2018))[0]
        await store.add_entry(session, store.EntryDraft(date(2018, 6, 20), 10_000, line.id, field.id, "옛 기록"),
                              2018, harness.clock.now(), ADMIN_ID)
    (document,) = [c for c in await harness.send(ADMIN_ID, "/budget export") if c.method == "sendDocument"]
    rows = list(openpyxl.load_workbook(io.BytesIO(document.files["document"][1]))["집행내역"].iter_rows(
        values_only=True))
    assert rows[1][-1] == "미반영(기준일 이전)"


# -- item 8: imports obey the chat's limits ------------------------------------------------------------------

TEN_TRILLION = HEADER + "2018-07-02,기관운영,직원격려,10조원,1,오타,\n"
TOGETHER = (HEADER + "2018-07-02,시책추진,간담회,30000000,1,간담회 1,\n"
            "2018-07-03,시책추진,간담회,30000000,1,간담회 2,\n2018-07-04,기관운영,간담회,10000,1,다과,\n")


async def test_a_ten_trillion_row_is_refused_unless_approved(harness: Harness) -> None:
    calls = await harness.upload(ADMIN_ID, "ledger.csv", TEN_TRILLION.encode())
    answer = replies(calls)[0]
    assert "아무것도 가져오지 않았습니다" in answer and "2행 금액(원)" in answer
    assert "잔액(193,004천원)보다 많은" in answer and "5,000만원을 넘는" in answer
    assert await _entries(harness) == 0
    labels = [b["text"] for row in calls[-1].params["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["초과 지출 승인하고 가져오기", "취소"]


async def test_rows_that_overdraw_together_are_refused_and_named(harness: Harness) -> None:
    answer = replies(await harness.upload(ADMIN_ID, "ledger.csv", TOGETHER.encode()))[0]
    assert "문제가 1곳" in answer
    assert "3행 금액(원): 이 파일의 앞 행들을 더하면 시책추진업무추진비 잔액(15,621천원)" in answer
    assert await _entries(harness) == 0


async def test_admin_approves_an_overdrawing_import_with_the_button_once(harness: Harness) -> None:
    calls = await harness.upload(ADMIN_ID, "ledger.csv", TOGETHER.encode())
    done = replies(await harness.tap(ADMIN_ID, calls, "초과 지출 승인하고 가져오기"))
    assert done[-1] == "장부 3건을 가져왔습니다." and await _entries(harness) == 3
    again = replies(await harness.tap(ADMIN_ID, calls, "초과 지출 승인하고 가져오기"))
    assert "오래되었거나 잘못된 버튼" in again[-1] and await _entries(harness) == 3
    summary = replies(await harness.send(ADMIN_ID, "/budget"))[0]
    assert "시책추진업무추진비: 80,000 / 94,379 / -14,379" in summary


async def test_cancel_on_the_approval_imports_nothing(harness: Harness) -> None:
    calls = await harness.upload(ADMIN_ID, "ledger.csv", TOGETHER.encode())
    assert "아무것도 가져오지 않았습니다" in replies(await harness.tap(ADMIN_ID, calls, "취소"))[-1]
    assert await _entries(harness) == 0


def test_cli_refuses_overdraw_unless_approved(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    assert run_cli(tmp_path, "seed", "--db", url).returncode == 0
    (tmp_path / "big.csv").write_text(TEN_TRILLION, encoding="utf-8")
    refused = run_cli(tmp_path, "import", "budget", "big.csv", "--db", url)
    assert refused.returncode == 1 and "아무것도 가져오지 않았습니다" in refused.stdout
    assert "--approve-overdraw" in refused.stdout
    approved = run_cli(tmp_path, "import", "budget", "big.csv", "--db", url, "--approve-overdraw")
    assert approved.returncode == 0 and "장부 1건을 가져왔습니다." in approved.stdout, approved.stdout


async def test_chat_applies_the_same_single_entry_ceiling(harness: Harness) -> None:
    await _staff(harness)
    refused = replies(await harness.send(STAFF_ID, "지출 6천만원 기관운영 행사 내빈 만찬"))
    assert "5,000만원을 넘는" in refused[0] and "아무것도 기록하지 않았습니다" in refused[0]
    calls = await harness.send(ADMIN_ID, "지출 6천만원 기관운영 행사 내빈 만찬")
    assert "⚠️" in replies(calls)[0] and "5,000만원을 넘는" in replies(calls)[0]
    assert "기록했습니다" in replies(await harness.tap(ADMIN_ID, calls, "초과 지출 승인"))[-1]
    assert await _entries(harness) == 1


async def test_the_ceiling_comes_from_the_config(sqlite_url: str) -> None:
    config: Config = make_config(sqlite_url, budget={"max_entry_won": 100_000})
    async with make_harness(config) as h:
        await _staff(h)
        refused = replies(await h.send(STAFF_ID, "지출 12만원 기관운영 행사 다과"))
        assert "10만원을 넘는" in refused[0]
        answer = replies(await h.upload(ADMIN_ID, "ledger.csv", (HEADER + "7/2,기관운영,간담회,120000,1,다과,\n")
                                        .encode()))[0]
        assert "10만원을 넘는" in answer and await _entries(h) == 0


async def test_the_approval_is_a_draft_that_works_once_after_a_restart(config: Config) -> None:
    """The ledger awaiting 초과 승인 is a draft, not the process's memory: a restart keeps it, the first press
    imports, the next (here, or from another application over the same database) imports nothing."""
    async with make_harness(config) as first:
        calls = await first.upload(ADMIN_ID, "ledger.csv", TOGETHER.encode())
    async with make_harness(config, first.request, seeded=False) as again, \
            make_harness(config, first.request, seeded=False) as other:
        assert replies(await again.tap(ADMIN_ID, calls, APPROVE))[-1] == "장부 3건을 가져왔습니다."
        assert "오래되었거나 잘못된 버튼" in replies(await other.tap(ADMIN_ID, calls, APPROVE))[-1]
        assert "오래되었거나 잘못된 버튼" in replies(await again.tap(ADMIN_ID, calls, "취소"))[-1]
        assert await _entries(again) == 3


async def test_an_expired_approval_says_so_and_imports_nothing(sqlite_url: str) -> None:
    async with make_harness(make_config(sqlite_url, conversation={"draft_hours": 1})) as h:
        calls = await h.upload(ADMIN_ID, "ledger.csv", TOGETHER.encode())
        h.clock.advance(timedelta(minutes=61))
        assert "시간이 지나" in replies(await h.tap(ADMIN_ID, calls, APPROVE))[-1]
        assert await _entries(h) == 0


async def test_another_members_press_on_the_approval_imports_nothing(harness: Harness) -> None:
    calls = await harness.upload(ADMIN_ID, "ledger.csv", TOGETHER.encode())
    await _staff(harness)
    assert "오래되었거나 잘못된 버튼" in replies(await harness.tap(STAFF_ID, calls, APPROVE))[-1]
    assert await _entries(harness) == 0
    assert replies(await harness.tap(ADMIN_ID, calls, APPROVE))[-1] == "장부 3건을 가져왔습니다."

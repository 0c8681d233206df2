"""업무추진비: the report's figures, logging with its checks, undo, corrections, pace — through the handlers."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import ADMIN_ID, STAFF_ID, Harness, replies
from sqlalchemy import func, select

from bot.domain.budget import pace
from storage.models import AuditEntry, Draft, SpendingDaily, SpendingEntry


async def _entries(h: Harness) -> int:
    async with h.runtime.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(SpendingEntry)) or 0)


async def _staff(h: Harness) -> None:
    from test_gate import _join

    await _join(h, STAFF_ID)


async def test_seeded_summary_reproduces_the_report(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "업무추진비 잔액")  # one figure asked: that figure, the card a tap away
    assert replies(calls) == ["업무추진비 잔액 238,625천원 (약 2억 3,863만원) — 7.20. 기준"]
    text = replies(await harness.tap(ADMIN_ID, calls, "자세히"))[-1]
    assert "계: 357,200 / 118,575 / 238,625 (33.2%), 243건" in text
    assert "기관운영업무추진비: 277,200 / 84,196 / 193,004 (30.4%)" in text
    assert "시책추진업무추진비: 80,000 / 34,379 / 45,621 (43.0%)" in text
    assert "잔액 합계 2억 3,862만 5천원" in text and "단위: 천원" in text
    fields = replies(await harness.send(ADMIN_ID, "/budget"))[0]
    assert fields == text
    (summary,) = [c for c in harness.request.of("sendMessage") if c.params["text"] == text][-1:]
    by_field = replies(await harness.tap(ADMIN_ID, [summary], "분야별"))[-1]
    assert "직원격려: 17,291 (30건)" in by_field and "회의·간담회: 101,284 (213건)" in by_field
    assert "위문: 0 (0건)" in by_field and "계: 118,575 (243건)" in by_field


async def test_logged_entry_moves_its_line_and_field(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "지출 100만원 기관운영 직원격려 7/20 격려 다과")
    echo = replies(calls)[0]
    assert echo.startswith("지출 기록 — 맞나요?") and "7.20.(금) 기관운영업무추진비 · 직원격려" in echo
    assert "1,000천원 (100만원), 1건" in echo and await _entries(harness) == 0
    done = replies(await harness.tap(ADMIN_ID, calls, "확인"))[-1]
    assert "예산 277,200천원 / 집행 85,196천원 / 잔액 192,004천원" in done
    calls = await harness.send(ADMIN_ID, "기관운영 얼마 남았어?")
    assert replies(calls)[0] == "기관운영 잔액 192,004천원 (약 1억 9,200만원) — 7.20. 기준"
    text = replies(await harness.tap(ADMIN_ID, calls, "자세히"))[-1]
    assert "집행 85,196천원 / 잔액 192,004천원" in text
    summary = await harness.send(ADMIN_ID, "/budget")
    assert "기관운영업무추진비: 277,200 / 85,196 / 192,004" in replies(summary)[0]
    assert "시책추진업무추진비: 80,000 / 34,379 / 45,621" in replies(summary)[0]
    fields = replies(await harness.tap(ADMIN_ID, summary, "분야별"))[-1]
    assert "직원격려: 18,291 (31건)" in fields and "회의·간담회: 101,284 (213건)" in fields
    async with harness.runtime.sessionmaker() as session:
        audit = await session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "spending.add"))
    assert audit == 1


async def test_a_day_before_a_counter_like_word_is_the_entry_date(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "지출 300만원 시책추진 간담회 7/19 명절 선물")
    echo = replies(calls)[0]
    assert echo.startswith("지출 기록 — 맞나요?") and "7.19.(목) 시책추진업무추진비" in echo, echo
    assert "3,000천원 (300만원), 1건" in echo and "명절 선물" in echo
    await harness.tap(ADMIN_ID, calls, "확인")
    async with harness.runtime.sessionmaker() as session:
        (entry,) = (await session.scalars(select(SpendingEntry))).all()
    assert (entry.spent_on, entry.amount_won, entry.payments) == (date(2018, 7, 19), 3_000_000, 1)


async def test_as_of_date_switch(harness: Harness) -> None:
    await harness.tap(ADMIN_ID, await harness.send(ADMIN_ID, "지출 12만원 시책추진 간담회 7/20 복지정책 간담회 다과"),
                      "확인")
    calls = await harness.send(ADMIN_ID, "6월말 기준 잔액")
    assert replies(calls)[0] == "업무추진비 잔액 238,625천원 (약 2억 3,863만원) — 6.30. 기준"
    june = replies(await harness.tap(ADMIN_ID, calls, "자세히"))[-1]
    assert "6.30.(토) 기준" in june and "시책추진업무추진비: 80,000 / 34,379 / 45,621" in june
    calls = await harness.send(ADMIN_ID, "시책추진 집행률")
    rate = replies(calls)[0]
    assert rate.startswith("시책추진 집행률 43.1% — 7.20. 기준\n예산 80,000천원 중 34,499천원 집행"), rate
    july = replies(await harness.tap(ADMIN_ID, calls, "자세히"))[-1]
    assert "집행 34,499천원" in july and "7.20.(금) 기준" in july


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("지출 -5만원 기관운영", "0보다 커야"),
        ("지출 0원 기관운영 행사", "0원은"),
        ("지출 20조원 기관운영 행사", "너무 큽니다"),
        ("지출 5만원 기관운영 행사 2017년 12월 5일", "2018회계연도"),
        ("지출 5만원 기관운영 행사 2월 30일", "없는 날짜"),
    ],
)
async def test_invalid_spending_changes_nothing(harness: Harness, text: str, expected: str) -> None:
    answer = replies(await harness.send(ADMIN_ID, text))
    assert any(expected in a for a in answer), answer
    assert await _entries(harness) == 0


async def test_unknown_line_offers_the_closest_names_and_stores_nothing(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "지출 12만원 없는과목")
    text = replies(calls)[0]
    assert "'없는과목' 과목을 찾지 못했습니다" in text and "이거 말씀이세요?" in text
    labels = [b["text"] for row in calls[0].params["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["기관운영업무추진비", "시책추진업무추진비", "취소"]
    assert "아무것도 저장하지 않았습니다" in replies(await harness.tap(ADMIN_ID, calls, "취소"))[-1]
    assert await _entries(harness) == 0


async def test_overdraw_refused_for_staff_and_allowed_by_admin(harness: Harness) -> None:
    await _staff(harness)
    refused = replies(await harness.send(STAFF_ID, "지출 3억 기관운영 행사 내빈 만찬"))
    assert "관리자만 승인" in refused[0] and "아무것도 기록하지 않았습니다" in refused[0]
    assert await _entries(harness) == 0
    calls = await harness.send(ADMIN_ID, "지출 3억 기관운영 행사 내빈 만찬")
    assert "⚠️" in replies(calls)[0]
    done = replies(await harness.tap(ADMIN_ID, calls, "초과 지출 승인"))[-1]
    assert "잔액 -106,996천원" in done and await _entries(harness) == 1


async def test_undo_own_last_entry_within_a_day(harness: Harness) -> None:
    await _staff(harness)
    await harness.tap(STAFF_ID, await harness.send(STAFF_ID, "지출 5만원 시책추진 행사 다과"), "확인")
    assert "되돌렸습니다" in replies(await harness.send(STAFF_ID, "/budget undo"))[0]
    assert "되돌릴 것이 없습니다" in replies(await harness.send(STAFF_ID, "/budget undo"))[0]
    async with harness.runtime.sessionmaker() as session:
        daily = await session.scalar(select(func.sum(SpendingDaily.amount_won)))
        voided = await session.scalar(select(SpendingEntry.voided))
    assert daily == 0 and voided is True
    summary = replies(await harness.send(STAFF_ID, "/budget"))[0]
    assert "시책추진업무추진비: 80,000 / 34,379 / 45,621" in summary


async def test_admin_corrections_and_allocations_staff_cannot(harness: Harness) -> None:
    await _staff(harness)
    await harness.tap(STAFF_ID, await harness.send(STAFF_ID, "지출 5만원 시책추진 행사 다과"), "확인")
    assert "관리자만" in replies(await harness.send(STAFF_ID, "/budget fix 1 7만원"))[0]
    assert "관리자만" in replies(await harness.send(STAFF_ID, "/budget set 기관운영 300,000"))[0]
    assert "70천원" in replies(await harness.send(ADMIN_ID, "/budget fix 1 7만원"))[0]
    assert "#1 7.20. 70천원 시책추진 '다과'" in replies(await harness.send(ADMIN_ID, "/budget entries"))[0]
    assert "300,000천원" in replies(await harness.send(ADMIN_ID, "/budget set 기관운영 300,000"))[0]
    summary = replies(await harness.send(ADMIN_ID, "/budget"))[0]
    assert "기관운영업무추진비: 300,000 / 84,196 / 215,804" in summary
    assert "시책추진업무추진비: 80,000 / 34,449 / 45,551" in summary
    assert "취소했습니다" in replies(await harness.send(ADMIN_ID, "/budget void 1"))[0]
    assert "없거나 이미 취소" in replies(await harness.send(ADMIN_ID, "/budget void 1"))[0]


async def test_guided_spending_form(harness: Harness) -> None:
    assert "금액을 입력하세요" in replies(await harness.send(ADMIN_ID, "/spend"))[0]
    assert "금액을 알아보지 못했습니다" in replies(await harness.send(ADMIN_ID, "많이"))[0]
    lines = await harness.send(ADMIN_ID, "12만원")
    fields = await harness.tap(ADMIN_ID, lines, "시책추진업무추진비")
    purpose = await harness.tap(ADMIN_ID, fields, next(
        b["text"] for c in fields for row in (c.params.get("reply_markup") or {}).get("inline_keyboard", [])
        for b in row if b["text"].startswith("회의·간담회")))
    assert "내용(지출 목적)" in replies(purpose)[-1]
    echo = await harness.send(ADMIN_ID, "복지정책 간담회 다과")
    assert "7.20.(금) 시책추진업무추진비 · 회의·간담회" in replies(echo)[0]
    await harness.tap(ADMIN_ID, echo, "확인")
    assert await _entries(harness) == 1


async def test_no_figures_in_groups_without_allow_groups(harness: Harness) -> None:
    text = replies(await harness.send(ADMIN_ID, "/budget", chat_id=-77, chat_type="group"))[0]
    assert "단체방" in text and "357,200" not in text


async def test_pace_alert_to_admins_at_most_weekly(harness: Harness) -> None:
    from storage.models import Reminder

    async with harness.runtime.sessionmaker() as session:
        alerts = (await session.scalars(select(Reminder).where(Reminder.kind == "alert"))).all()
    assert len(alerts) == 1 and alerts[0].audience == "admins"  # raised at start-up: 기관운영 is 24.7%p behind
    assert "기관운영업무추진비 집행률 30.4%" in alerts[0].text and "24.7%p 느립니다" in alerts[0].text
    await harness.tap(ADMIN_ID, await harness.send(ADMIN_ID, "지출 5만원 시책추진 행사 다과"), "확인")
    async with harness.runtime.sessionmaker() as session:
        again = await session.scalar(select(func.count()).select_from(Reminder).where(Reminder.kind == "alert"))
    assert again == 1  # not again within the week


def test_pace_projection_and_days_left() -> None:
    june = pace(277_200_000, 84_196_000, date(2018, 6, 30))
    assert round(june.share_of_year * 100, 1) == 49.6
    assert round(june.points, 1) == -19.2  # 30.4% spent against 49.6% of the year
    assert june.projection == round(84_196_000 / 181 * 365)
    assert june.days_left == int((277_200_000 - 84_196_000) / (84_196_000 / 181))
    assert pace(80_000_000, 0, date(2018, 6, 30)).days_left is None


@pytest.mark.parametrize("asked", ["2017년 12월 1일 기준 잔액", "2019년 1월 5일 기준 잔액"])
async def test_an_as_of_date_outside_the_ledger_is_said_not_answered_for_another_day(harness: Harness,
                                                                                     asked: str) -> None:
    (answer,) = replies(await harness.send(ADMIN_ID, asked))
    assert "기준 수치는 없습니다" in answer and "6.30." in answer and "357,200" not in answer


async def test_an_as_of_date_later_this_year_is_that_day_not_last_years(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "9월 20일 기준 잔액")
    assert replies(calls)[0].endswith("— 9.20. 기준")
    answer = replies(await harness.tap(ADMIN_ID, calls, "자세히"))[-1]
    assert "9.20.(목) 기준" in answer and "6.30.(토) 기준" not in answer.splitlines()[0]


async def test_a_forged_as_of_button_outside_the_ledger_is_stale(harness: Harness) -> None:
    message = (await harness.send(ADMIN_ID, "업무추진비 잔액"))[-1]
    calls = await harness.press(ADMIN_ID, message, "bud:v:s:99991231")
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert "오래되었거나 잘못된 버튼" in calls[0].params["text"]


@pytest.mark.parametrize(("asked", "answer"), [
    ("기관운영 잔액", "기관운영 잔액 193,004천원 (약 1억 9,300만원) — 7.20. 기준"),
    ("시책추진 얼마 썼어?", "시책추진 집행 34,379천원 (약 3,438만원) — 7.20. 기준"),
    ("업무추진비 집행률",
     "업무추진비 집행률 33.2% — 7.20. 기준\n예산 357,200천원 중 118,575천원 집행 · 연간 경과 대비 21.9%p 느림"),
    ("업무추진비 몇 건 썼어", "업무추진비 집행 243건 (118,575천원) — 7.20. 기준"),
    ("/budget 직원격려 집행액", "직원격려 집행 17,291천원 (약 1,729만원), 30건 — 7.20. 기준"),
])
async def test_one_budget_figure_in_one_or_two_lines_with_the_card_a_tap_away(harness: Harness, asked: str,
                                                                             answer: str) -> None:
    calls = await harness.send(ADMIN_ID, asked)
    assert replies(calls) == [answer]
    assert [[b["text"] for b in row] for row in calls[0].params["reply_markup"]["inline_keyboard"]] == [["자세히"]]
    card = replies(await harness.tap(ADMIN_ID, calls, "자세히"))[-1]
    assert len(card.splitlines()) >= 5 and "출처" in card


async def test_a_follow_up_gets_the_part_asked_of_the_same_line(harness: Harness) -> None:
    assert replies(await harness.send(ADMIN_ID, "기관운영 잔액"))[0].startswith("기관운영 잔액 193,004천원")
    rate = replies(await harness.send(ADMIN_ID, "집행률은?"))
    assert rate == ["기관운영 집행률 30.4% — 7.20. 기준\n"
                    "예산 277,200천원 중 84,196천원 집행 · 연간 경과 대비 24.7%p 느림"]
    spent = replies(await harness.send(ADMIN_ID, "그럼 얼마 썼어?"))[0]
    assert spent.startswith("기관운영 집행 84,196천원")
    count = replies(await harness.send(ADMIN_ID, "몇 건이야"))[0]
    assert count.startswith("업무추진비 전체 243건 — 7.20. 기준") and "과목별 건수는 없습니다" in count


async def test_the_subject_is_kept_in_the_database_per_chat(harness: Harness) -> None:
    await harness.send(ADMIN_ID, "시책추진 잔액")
    async with harness.runtime.sessionmaker() as session:
        kept = (await session.scalars(select(Draft).where(Draft.kind == "topic"))).all()
    assert [(d.owner_id, d.chat_id, d.payload["feature"]) for d in kept] == [(ADMIN_ID, ADMIN_ID, "budget")]
    elsewhere = replies(await harness.send(ADMIN_ID, "집행률은?", chat_id=-100, chat_type="group"))
    assert not any(text.startswith("시책추진") for text in elsewhere)  # another chat: not this subject
    here = replies(await harness.send(ADMIN_ID, "집행률은?"))[0]
    assert here.startswith("시책추진 집행률 43.0%")


async def test_budget_views_keep_to_six_buttons_and_leave_out_the_one_on_screen(harness: Harness) -> None:
    summary = await harness.send(ADMIN_ID, "/budget")
    labels = [b["text"] for row in summary[0].params["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["기관운영", "시책추진", "분야별", "월별 추이", "차트", "기준일 변경"]
    line = await harness.tap(ADMIN_ID, summary, "기관운영")
    labels = [b["text"] for row in line[-1].params["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["시책추진", "전체", "분야별", "월별 추이", "차트", "기준일 변경"]

"""A query that names an impossible date is told so, never answered with today's figures or this month's list."""

from __future__ import annotations

import pytest
from conftest import ADMIN_ID, REPORT_NOW, Harness, replies

from bot.lang.intents import parse_intent

NOW_TEXTS = ("7.20.(금) 기준", "238,625", "기록이 없습니다")


@pytest.mark.parametrize(("text", "reason"), [
    ("2월 30일 기준 잔액", "2월 30일은 없는 날짜입니다. 예: 2월 28일"),
    ("2월 30일 기준 업무추진비 잔액은?", "2월 30일은 없는 날짜입니다"),
    ("4월 31일 집행 현황", "4월 31일은 없는 날짜입니다"),
    ("13월 기준 잔액", "13월은 없는 달입니다"),
    ("/budget 2월 30일", "2월 30일은 없는 날짜입니다"),
    ("2월 30일 일정 보여줘", "2월 30일은 없는 날짜입니다"),
    ("9월 31일 현장방문 목록", "9월 31일은 없는 날짜입니다"),
    ("2월 30일 간담회 목록", "2월 30일은 없는 날짜입니다"),
    ("/visits 2월 30일", "2월 30일은 없는 날짜입니다"),
    ("/meetings 2월 30일", "2월 30일은 없는 날짜입니다"),
    ("/visits export 2월 30일", "2월 30일은 없는 날짜입니다"),
])
async def test_impossible_date_in_a_query_is_refused(harness: Harness, text: str, reason: str) -> None:
    calls = await harness.send(ADMIN_ID, text)
    (answer,) = replies(calls)
    assert answer.startswith(reason) and "날짜를 고쳐" in answer
    assert not any(fragment in answer for fragment in NOW_TEXTS)
    assert not [c for c in calls if c.method in ("sendDocument", "sendPhoto")]


async def test_a_possible_date_still_picks_the_day_or_month(harness: Harness) -> None:
    assert replies(await harness.send(ADMIN_ID, "6월말 기준 잔액"))[0].endswith("— 6.30. 기준")
    assert "6.30.(토) 기준" in replies(await harness.send(ADMIN_ID, "/budget 6월말"))[0]
    assert "7.20.(금) 기준" in replies(await harness.send(ADMIN_ID, "/budget"))[0]
    assert replies(await harness.send(ADMIN_ID, "/visits 6월"))[0].startswith("🚶 현장방문 (6.1.(금)~6.30.(토))")
    assert replies(await harness.send(ADMIN_ID, "/meetings"))[0].startswith("🤝 간담회·면담 (7.1.(일)~7.31.(화))")


def test_optional_date_keeps_only_reportable_failures() -> None:
    from bot.lang.dates import optional_date  # the one shared reading of a query's date

    assert optional_date("잔액", REPORT_NOW) is None
    assert optional_date("언젠가 잔액", REPORT_NOW) is None
    refused = optional_date("2월 30일 잔액", REPORT_NOW, past=True)
    assert refused is not None and not refused.ok and refused.code == "invalid_date"
    intent = parse_intent("2월 30일 기준 잔액", REPORT_NOW)
    assert intent.date is not None and not intent.date.ok and intent.date.reason == refused.reason

"""One-line logs that say enough are echoed, not stalled on a question about their least important field: a
visit's category and a meeting's type are inferred from the words (else 기타, changeable from the echo), a spending
line's field from its purpose words, and a question about what is really missing first echoes what was read."""

from __future__ import annotations

from conftest import ADMIN_ID, Harness, replies
from sqlalchemy import select

from bot.lang.normalize import normalize
from bot.lang.textutil import strip_trailing_particle
from bot.offline import ApiCall
from storage.models import Meeting, SpendingEntry, Visit


def _buttons(calls: list[ApiCall]) -> list[str]:
    return [button["text"] for call in calls
            for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", []) for button in row]


async def test_a_visit_naming_no_category_is_echoed_as_other_and_changed_from_the_echo(harness: Harness) -> None:
    echo = await harness.send(ADMIN_ID, "그제 오후 4시 은평구 연신내 먹자골목 현장방문 다녀왔습니다")
    text = replies(echo)[-1]
    assert "맞나요" in text and "분류: 기타" in text and "7.18.(수) 16:00" in text
    assert "분류 변경" in _buttons(echo)
    asked = await harness.tap(ADMIN_ID, echo, "분류 변경")
    assert "어떤 현장방문인가요" in replies(asked)[-1]
    again = await harness.tap(ADMIN_ID, asked, "일자리")
    assert "분류: 일자리" in replies(again)[-1] and "맞나요" in replies(again)[-1]
    typed = await harness.send(ADMIN_ID, "분류 전통시장")
    assert "분류: 전통시장" in replies(typed)[-1]
    wrong = await harness.send(ADMIN_ID, "분류 아무거나")
    assert "다음 중 하나로" in replies(wrong)[-1]
    await harness.tap(ADMIN_ID, typed, "확인")
    async with harness.runtime.sessionmaker() as session:
        assert (await session.scalars(select(Visit.category))).all() == ["전통시장"]


async def test_a_visit_category_comes_from_its_words(harness: Harness) -> None:
    pumps = replies(await harness.send(ADMIN_ID, "어제 노원구 빗물 배수펌프장 현장점검 다녀왔어요"))[-1]
    assert "맞나요" in pumps and "분류: 계절성 안전" in pumps and "7.19.(목)" in pumps
    await harness.send(ADMIN_ID, "/cancel")
    arcade = replies(await harness.send(ADMIN_ID, "7/18 중구 방산 공구상가 현장방문"))[-1]
    assert "분류: 전통시장" in arcade and "공구상가" in arcade


async def test_a_meeting_type_comes_from_the_person_met_else_other(harness: Harness) -> None:
    district = replies(await harness.send(ADMIN_ID, "어제 오후 5시 노원구청장님과 면담 안건은 경전철 연장"))[-1]
    assert "맞나요" in district and "유형: 시장-구청장 면담" in district and "7.19.(목) 17:00" in district
    await harness.send(ADMIN_ID, "/cancel")
    chair = replies(await harness.send(ADMIN_ID, "그저께 교통위원장님이랑 면담했습니다"))[-1]
    assert "맞나요" in chair and "유형: 시의원 개별면담" in chair
    await harness.send(ADMIN_ID, "/cancel")
    other = await harness.send(ADMIN_ID, "오늘 오전 9시 폭염 대책 간담회 했어요")
    assert "유형: 기타" in replies(other)[-1] and "유형 변경" in _buttons(other)
    asked = await harness.tap(ADMIN_ID, other, "유형 변경")
    assert "어떤 간담회·면담인가요" in replies(asked)[-1]
    chosen = await harness.tap(ADMIN_ID, asked, "시-구 간담회")
    assert "유형: 시-구 간담회" in replies(chosen)[-1]
    await harness.tap(ADMIN_ID, chosen, "확인")
    async with harness.runtime.sessionmaker() as session:
        assert (await session.scalars(select(Meeting.meeting_type))).all() == ["시-구 간담회"]


async def test_a_spending_question_first_echoes_what_was_read(harness: Harness) -> None:
    asked = await harness.send(ADMIN_ID, "야근 직원 격려 피자 6만 5천원 결제했어요")
    text = replies(asked)[-1]
    assert text.startswith("지출 6만 5천원 · 7.20.(금) · 직원격려 · ") and text.endswith("어느 과목인가요?")
    assert "과목을 찾지" not in text and "결제" not in text
    echo = await harness.tap(ADMIN_ID, asked, "기관운영업무추진비")
    assert "맞나요" in replies(echo)[-1] and "기관운영업무추진비 · 직원격려" in replies(echo)[-1]
    await harness.send(ADMIN_ID, "/cancel")
    dinner = replies(await harness.send(ADMIN_ID, "그제 의장단 조찬 31만 시책추진"))[-1]
    assert "맞나요" in dinner and "7.18.(수) 시책추진업무추진비 · 회의·간담회" in dinner
    await harness.send(ADMIN_ID, "/cancel")
    line_like = replies(await harness.send(ADMIN_ID, "홍보운영비 3만원 다과"))[-1]
    assert "'홍보운영비' 과목을 찾지 못했습니다" in line_like and line_like.startswith("지출 3만원 · ")


async def test_a_mistyped_day_word_dates_the_entry(harness: Harness) -> None:
    echo = await harness.send(ADMIN_ID, "기관운영 8만원 위원회 간담회 다과 그재")
    text = replies(echo)[-1]
    assert "7.18.(수) 기관운영업무추진비" in text and "그재" not in text
    await harness.tap(ADMIN_ID, echo, "확인")
    async with harness.runtime.sessionmaker() as session:
        days = (await session.scalars(select(SpendingEntry.spent_on))).all()
    assert [day.isoformat() for day in days] == ["2018-07-18"]


def test_day_words_are_repaired_only_for_a_slipped_vowel() -> None:
    assert normalize("어재 강북구 방문").text == "어제 강북구 방문"
    assert normalize("오눌 일정").text == "오늘 일정"
    assert normalize("그저깨는 회의").text == "그저께는 회의"
    for real in ("모래 운반", "네일 가게", "어제 일정", "매일 점검"):
        assert normalize(real).text == real


def test_a_particle_that_cannot_follow_the_syllable_is_part_of_the_word() -> None:
    assert strip_trailing_particle("공구상가") == "공구상가"
    assert strip_trailing_particle("강북구가") == "강북구"
    assert strip_trailing_particle("주민센터를") == "주민센터"


async def test_a_standing_committee_is_kept_in_full_without_a_directory(harness: Harness) -> None:
    short = replies(await harness.send(ADMIN_ID, "7/19 환수위 간담회 했음, 안건 하천 정비"))[-1]
    assert "맞나요" in short and "상대: 환경수자원위원회" in short and "유형: 상임위원회별 간담회" in short
    await harness.send(ADMIN_ID, "/cancel")
    unknown = replies(await harness.send(ADMIN_ID, "어제 미래혁신위원회 간담회 했어요"))[-1]
    assert "맞나요" in unknown and "미래혁신위원회" in unknown and "유형: 기타" in unknown


async def test_a_done_report_at_a_later_hour_today_is_kept_as_done(harness: Harness) -> None:
    lunch = await harness.send(ADMIN_ID, "오늘 점심 종로구청장이랑 오찬 면담했어요")
    text = replies(lunch)[-1]
    assert "맞나요" in text and "7.20.(금) 12:00 (완료)" in text and "미래" not in text
    await harness.tap(ADMIN_ID, lunch, "확인")
    async with harness.runtime.sessionmaker() as session:
        assert (await session.scalars(select(Meeting.planned))).all() == [False]
    tomorrow = replies(await harness.send(ADMIN_ID, "내일 점심 종로구청장이랑 오찬 면담했어요"))[-1]
    assert "맞나요" not in tomorrow


async def test_a_section_of_the_han_river_park_names_its_district(harness: Harness) -> None:
    said = "\n".join(replies(await harness.send(ADMIN_ID, "그저께 한강공원 반포 수영장 안전점검 다녀왔어")))
    assert "한강공원 (서초구)" in said and "반포" in said and "어느 자치구" not in said
    asked = "\n".join(replies(await harness.send(ADMIN_ID, "어제 한강공원 순찰 현장방문")))
    assert "어느 자치구인가요?" in asked  # no section named: which district is still asked

"""Report facts: every seeded fact answers differently worded questions, with its source and as-of date last;
several matches give buttons, none gives the closest topics and no figure; admin updates keep history; stale
facts are flagged; figures agree with the structured data they repeat."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import date, datetime

import pytest
from conftest import ADMIN_ID, SEOUL, STAFF_ID, Harness, make_config, make_harness, replies
from helpers import run_cli

from storage import facts as fact_store
from storage.db import make_engine, make_sessionmaker
from storage.facts import FactDraft
from storage.migrate import upgrade
from storage.seed import FACTS_FILE, SEED_FILE

FACTS = tomllib.loads(FACTS_FILE.read_text(encoding="utf-8"))["facts"]
REPORT = tomllib.loads(SEED_FILE.read_text(encoding="utf-8"))

# (question, words the answer must hold): at least two differently worded questions per fact
QUESTIONS = [
    ("비서실 주요 기능이 뭐야?", "정책 지원"), ("비서실은 무슨 일을 해?", "가교 역할"),
    ("비서실 정원 몇 명?", "정원 19"), ("현원은?", "현원 19"),
    ("시장 업무추진비 집행현황", "357,200"), ("과목별 집행 알려줘", "84,196"),
    ("민주주의 서울 제안 건수", "1,486건"), ("시민 제안 얼마나 늘었어?", "24%"),
    ("함께서울 정책박람회 언제?", "10월"), ("정책박람회 프로그램", "정책공론장"),
    ("시민참여예산 규모", "655억원"), ("참여예산 시정형은 얼마?", "시정형 450억원"),
    ("시민투표 기간", "8.6.~9.1."), ("사업제안 몇 건이었어?", "3,288건"),
    ("찾아가는 시민발언대 어디 가?", "문화비축기지"), ("시민청 발언대", "상시"),
    ("여론조사 몇 건 해?", "40건"), ("서울로7017 외국인 만족도 조사", "연 40건"),
    ("시의회 협력 방식", "의장단"), ("언론 발표 전 사전 설명 원칙", "먼저 설명"),
    ("4개년 계획 비전", "미래를 여는 서울"), ("더 깊은 변화위원회 몇 명?", "56명"),
    ("핵심과제 몇 개야", "150여개"), ("4개년 계획 발표 언제", "9월"),
    ("공약 구성", "242개 세부사업"), ("정책영역별 공약 수", "48개 핵심공약"),
    ("SA등급 몇 년 연속?", "'15년~'18년"), ("매니페스토 평가 기준", "공약이행률"),
    ("현장방문 계획", "계절성"), ("서울식물원 개관 언제", "서울식물원(9월)"),
    ("동고동락 어디서 해?", "강북구"), ("옥탑방 생활 기간", "7~8월"),
    ("구청장협의회", "시-구 간담회"), ("자치구 숙원사업 해결", "시장-구청장 면담"),
    ("서울-평양 교류", "경평축구"), ("남북교류협력기금", "남북협력담당관"),
    ("지역상생 사업 실적", "21개 사업"), ("농부의 시장 몇 회?", "47회"),
    ("폐교 캠핑장 몇 개소", "7개소"), ("상생상회 언제 열어?", "8월"), ("지역특산물 판매 공간", "상생상회"),
    ("도쿄 자매결연 몇 주년", "30주년"), ("러시아 교류 도시", "블라디보스토크"),
    ("자매도시 몇 곳이야?", "62개"), ("아세안 수도 몇 개로 늘려?", "9개"), ("델리 결연 언제?", "9월"),
    ("서울정책 아카이브 몇 건?", "217건"), ("EBRD 협약 언제", "9월"), ("온라인 학습 과목 수", "21과목"),
    ("정책 해외진출 현황", "60개 정책"), ("디지털시장실 어디 수출", "타슈켄트"),
    ("국제기구 유치", "환경보건센터"), ("FAO 사무소", "식량농업기구"),
]


def test_every_fact_is_asked_at_least_twice() -> None:
    from bot.lang.facts import FactEntry, rank

    entries = [FactEntry(f["key"], f["topic"], tuple(f["questions"])) for f in FACTS]
    asked: dict[str, int] = {}
    for question, _ in QUESTIONS:
        best = rank(question, entries)
        assert best, question
        asked[best[0].key] = asked.get(best[0].key, 0) + 1
    assert {f["key"] for f in FACTS} == set(asked) and min(asked.values()) >= 2, asked


@pytest.mark.parametrize(("question", "expected"), QUESTIONS)
async def test_questions_get_the_figure_with_source_last(harness: Harness, question: str, expected: str) -> None:
    """A question about one figure gets it first, in a line or two, with '자세히' for the whole card (whose
    last line is the source); any other question gets the card itself."""
    calls = await harness.send(ADMIN_ID, question)
    text = replies(calls)[0]
    assert expected in text, text
    labels = [b["text"] for r in (calls[0].params.get("reply_markup") or {}).get("inline_keyboard", []) for b in r]
    if "자세히" in labels:
        lines = text.splitlines()
        assert len(lines) <= 2 and " 기준" in lines[0], text
        text = replies(await harness.tap(ADMIN_ID, calls, "자세히"))[-1]
    last = text.splitlines()[-1]
    assert "출처" in last and ("기준" in last or "18.7" in text), last


# (question, the figure that comes first, the one line it is alone on)
ONE_FIGURE = [
    ("시민참여예산 규모", "시민참여예산제 운영규모 655억원 — 7.10. 기준"),
    ("사업제안 몇 건이었어?", "시민참여예산제 사업제안 건수 3,288건 — 7.10. 기준"),
    ("자매도시 몇 곳이야?", "자매우호도시 62개 도시 — 7.10. 기준"),
    ("더 깊은 변화위원회 몇 명?", "민선7기 시정운영 4개년 계획 더 깊은 변화위원회 위원 56명 — 7.10. 기준"),
    ("함께서울 정책박람회 언제?", "함께서울 정책박람회 개최 10월 — 7.10. 기준"),
    ("세부사업 몇 개", "242개"),
]
# Read both as the pledges' count and as the report's pledge-structure fact, within the margin of each other:
# the router asks which (as for "영역별 세부사업 몇 개야?" in tests/test_router.py); the fact, chosen, answers alike.
ASKED_FIRST = {"세부사업 몇 개"}


@pytest.mark.parametrize(("question", "first"), ONE_FIGURE)
async def test_one_figure_comes_first_in_one_or_two_lines(harness: Harness, question: str, first: str) -> None:
    calls = await harness.send(ADMIN_ID, question)
    if question in ASKED_FIRST:
        assert replies(calls) == ["이거 말씀이세요?"]
        calls = [c for c in await harness.tap(ADMIN_ID, calls, "보고서 자료") if c.method == "sendMessage"]
    text = replies(calls)[0]
    assert first in text.splitlines()[0] and len(text.splitlines()) <= 2, text
    keyboard = calls[0].params["reply_markup"]["inline_keyboard"]
    assert [[b["text"] for b in row] for row in keyboard] == [["자세히"]]
    card = replies(await harness.tap(ADMIN_ID, calls, "자세히"))[-1]
    assert len(card.splitlines()) > 2 and "출처" in card.splitlines()[-1]


async def test_a_follow_up_gets_the_part_asked_not_the_card_again(harness: Harness) -> None:
    first = replies(await harness.send(ADMIN_ID, "시민참여예산 규모"))[0]
    assert first.startswith("시민참여예산제 운영규모 655억원")
    count = replies(await harness.send(ADMIN_ID, "몇 건이야"))[0]
    assert count.startswith("시민참여예산제 사업제안 건수 3,288건") and "1,199명" not in count
    people = replies(await harness.send(ADMIN_ID, "그럼 몇 명이야?"))[0]
    assert people.startswith("시민참여예산제 사업심사 참여 1,199명")
    assert "운영규모" not in count + people  # not the same card again


async def test_a_follow_up_with_no_subject_before_is_not_guessed(harness: Harness) -> None:
    text = replies(await harness.send(ADMIN_ID, "몇 건이야"))[0]
    assert "찾지 못했습니다" in text and "3,288" not in text


async def test_several_matches_give_buttons(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "도쿄 자매결연 몇 주년")
    labels = [b["text"] for r in calls[0].params["reply_markup"]["inline_keyboard"] for b in r]
    assert labels == ["관련: 자매우호도시 (62개 도시)"]
    other = replies(await harness.tap(ADMIN_ID, calls, labels[0]))[-1]
    assert "62개 도시" in other


async def test_no_match_offers_topics_and_no_figure(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "서울 인구는 몇 명이야?")
    text = replies(calls)[0]
    assert "찾지 못했습니다" in text and not any(ch.isdigit() for ch in text.split("/facts")[0])
    assert len(calls[0].params["reply_markup"]["inline_keyboard"]) == 3


async def test_facts_command_lists_and_searches(harness: Harness) -> None:
    listing = await harness.send(ADMIN_ID, "/facts")
    assert all(f"{i}. {fact['topic']}" in replies(listing)[0] for i, fact in enumerate(FACTS, start=1))
    shown = [b["text"] for r in listing[0].params["reply_markup"]["inline_keyboard"] for b in r]
    assert len(shown) == 6 and shown[-1] == "더 보기 ▶"  # five topics a page, the rest a tap away
    topics = shown[:-1]
    calls = listing
    while "더 보기 ▶" in [b["text"] for r in calls[-1].params["reply_markup"]["inline_keyboard"] for b in r]:
        calls = await harness.tap(ADMIN_ID, calls, "더 보기 ▶")
        page = [b["text"] for r in calls[-1].params["reply_markup"]["inline_keyboard"] for b in r]
        assert len(page) <= 6 and "◀ 이전" in page
        topics += [label for label in page if label not in ("◀ 이전", "더 보기 ▶")]
    assert topics == [fact["topic"] for fact in FACTS]  # every fact reachable, in order, labels whole
    back = await harness.tap(ADMIN_ID, calls, "◀ 이전")
    assert back[-1].method == "editMessageReplyMarkup"
    assert "62개" in replies(await harness.send(ADMIN_ID, "/facts 자매도시"))[0]


async def test_admin_update_keeps_history_staff_cannot(harness: Harness) -> None:
    from test_gate import _join

    await _join(harness, STAFF_ID)
    assert "관리자만" in replies(await harness.send(STAFF_ID, "/fact set sister-cities"))[0]
    await harness.send(ADMIN_ID, "/fact set sister-cities")
    await harness.send(ADMIN_ID, "현재 63개 도시와 자매우호도시 협정 체결 (델리 추가)")
    await harness.send(ADMIN_ID, "2018.9 서울시 국제협력과 자료")
    assert "오늘이나 그 전" in replies(await harness.send(ADMIN_ID, "2018년 9월 30일"))[0]  # the future: asked again
    saved = replies(await harness.send(ADMIN_ID, "2018년 7월 15일"))
    assert saved[0].startswith("저장했습니다") and "63개" in saved[1] and "2018.7.15." in saved[1]
    assert "63개" in replies(await harness.send(STAFF_ID, "자매도시 몇 곳이야?"))[0]
    history = replies(await harness.send(STAFF_ID, "/fact history 자매도시"))[0]
    assert "현재 63개" in history and "62개 도시" in history and "2018.7 주요업무 보고 Ⅱ-5-①" in history


async def test_admin_adds_a_fact(harness: Harness) -> None:
    for line in ("/fact add", "서울시 인구", "서울 인구, 인구 수", "서울시 인구 983만 명(2018년 6월 말)",
                 "서울 열린데이터광장", "2018-06-30"):
        answer = replies(await harness.send(ADMIN_ID, line))
    assert answer[0].startswith("저장했습니다")
    assert "983만 명" in replies(await harness.send(ADMIN_ID, "서울 인구는 몇 명이야?"))[0]


async def test_a_stale_fact_carries_the_warning(harness: Harness) -> None:
    harness.clock.set(datetime(2019, 8, 1, 10, tzinfo=SEOUL))
    text = replies(await harness.send(ADMIN_ID, "자매도시 몇 곳이야?"))[0]
    assert text.startswith("자매우호도시 62개 도시 — 7.10. 기준") and "⚠️ 1년 넘게 지난 자료입니다" in text
    calls = await harness.send(ADMIN_ID, "자매도시")
    text = replies(calls)[0]
    assert "⚠️ 1년 넘게 지난 자료입니다" in text and text.splitlines()[-1].startswith("기준: 2018.7.10.")
    harness.clock.set(datetime(2018, 12, 1, 10, tzinfo=SEOUL))
    assert "⚠️" not in replies(await harness.send(ADMIN_ID, "자매도시 몇 곳이야?"))[0]


async def test_import_of_a_bad_file_changes_nothing(harness: Harness) -> None:
    header = "키,주제,질문어,답변,출처,기준일\n"
    bad = header + "sister-cities,자매도시,자매도시,현재 70개,자료,2019-01-01\nbad key!,x,,y,z,어제\n"
    answer = replies(await harness.upload(ADMIN_ID, "facts.csv", bad.encode()))[0]
    assert "아무것도 가져오지 않았습니다" in answer and "3행 키" in answer
    assert "62개" in replies(await harness.send(ADMIN_ID, "자매도시 몇 곳이야?"))[0]
    good = header + "sister-cities,자매우호도시,\"자매도시, 우호도시\",현재 70개 도시,국제협력과,2019-01-01\n"
    assert "1건" in replies(await harness.upload(ADMIN_ID, "facts.csv", good.encode()))[0]
    assert "70개" in replies(await harness.send(ADMIN_ID, "자매도시 몇 곳이야?"))[0]


def _figures(key: str) -> dict[str, int]:
    fact = next(f for f in FACTS if f["key"] == key)
    return {f["label"]: f["value"] for f in fact["figures"]}


def test_staffing_totals_add_up() -> None:
    staffing = REPORT["staffing"]
    figures = _figures("staffing")
    assert figures["정원"] == staffing["totals"]["authorized"] == sum(r["authorized"] for r in staffing["rows"]) == 19
    assert figures["현원"] == staffing["totals"]["filled"] == 19
    assert figures["일반직 정원"] + figures["별정직 정원"] == 19 == 6 + 13
    assert figures["일반직 정원"] == staffing["subtotals"]["일반직"]["authorized"]


def test_regional_projects_add_up_to_21() -> None:
    figures = _figures("regional-cooperation")
    fields = ("안전한 먹거리 확보", "농어촌 체험·교류", "유휴자원 발굴·활용", "도농연계 일자리 창출",
              "지속적 소통·협력")
    assert sum(figures[f] for f in fields) == figures["사업"] == 21 and figures["분야"] == len(fields) == 5


def test_facts_agree_with_the_structured_data() -> None:
    budget = REPORT["budget"]
    figures = _figures("budget-lines")
    assert (figures["예산액"], figures["집행액"], figures["잔액"], figures["집행건수"]) == (
        budget["totals"]["budget"], budget["totals"]["spent"], budget["totals"]["left"], budget["totals"]["payments"])
    reported = {r["scope"]: r for r in REPORT["pledges"]["reported"]}
    pledges = _figures("pledge-structure")
    assert (pledges["분야"], pledges["핵심공약"], pledges["세부사업"]) == (12, 66, 242) == tuple(
        reported["전체"][k] for k in ("areas", "core_pledges", "sub_projects"))
    assert (pledges["정책대상 핵심공약"], pledges["정책대상 세부사업"]) == (
        reported["정책대상"]["core_pledges"], reported["정책대상"]["sub_projects"])
    assert (pledges["정책영역 핵심공약"], pledges["정책영역 세부사업"]) == (
        reported["정책영역"]["core_pledges"], reported["정책영역"]["sub_projects"])
    events = {e["key"]: e for e in REPORT["events"]}
    assert events["citizens-vote"]["start"] == "2018-08-06" and events["citizens-vote"]["end"] == "2018-09-01"
    assert "8.6.~9.1." in next(f for f in FACTS if f["key"] == "participatory-budget")["answer"]
    assert events["delhi-sister-city"]["start"] == "2018-09" and _figures("sister-cities")["델리 결연 월"] == 9
    assert events["seoul-botanic-park-opening"]["start"] == "2018-09"
    assert _figures("field-visit-plan")["서울식물원 개관 월"] == 9
    assert _figures("policy-sharing")["EBRD 협약 월"] == int(events["ebrd-agreement"]["start"][5:])
    assert _figures("policy-sharing")["IDB 협약 월"] == int(events["idb-agreement"]["start"][5:])
    assert _figures("sangsaeng-sanghoe")["개관 월"] == int(events["sangsaeng-sanghoe-opening"]["start"][5:])
    assert _figures("four-year-plan")["발표 월"] == int(events["four-year-plan"]["start"][5:])


def test_cli_import_facts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(tmp_path, *args)

    url = f"sqlite:///{tmp_path / 'f.db'}"
    seeded = cli("seed", "--db", url)
    assert seeded.returncode == 0 and f"facts {len(FACTS)}" in seeded.stdout
    (tmp_path / "bad.csv").write_text("키,주제,질문어,답변,출처,기준일\nx,,a,b,c,2019-01-01\n", encoding="utf-8")
    bad = cli("import", "facts", "bad.csv", "--db", url)
    assert bad.returncode == 1 and "2행 주제" in bad.stdout


async def test_budget_facts_stay_out_of_group_chats(harness: Harness) -> None:
    text = replies(await harness.send(ADMIN_ID, "시장 업무추진비 집행현황", chat_id=-300, chat_type="group"))[0]
    assert "단체방" in text and "357,200" not in text
    # Every fact is data: a group sees none without access.allow_groups (README, "Access and group chats").
    other = replies(await harness.send(ADMIN_ID, "자매도시 몇 곳이야?", chat_id=-300, chat_type="group"))[0]
    assert "1:1" in other and "62개" not in other


async def test_facts_in_group_chats_with_allow_groups(sqlite_url: str) -> None:
    async with make_harness(make_config(sqlite_url, access={"allow_groups": True})) as h:
        said = replies(await h.send(ADMIN_ID, "자매도시 몇 곳이야?", chat_id=-300, chat_type="group"))
    assert "62개" in said[0]


async def _add_fact(harness: Harness, topic: str, answer: str) -> list[str]:
    for line in ("/fact add", topic, "인구, 인구 수", answer, "서울 열린데이터광장", "2018-06-30"):
        said = replies(await harness.send(ADMIN_ID, line))
    return said


async def test_adding_the_same_topic_twice_keeps_both(harness: Harness) -> None:
    harness.clock.set(datetime(2018, 7, 25, 10, tzinfo=SEOUL))  # the bot's clock, not the real date, dates the key
    first = await _add_fact(harness, "서울시 인구", "서울시 인구 983만 명(2018년 6월 말)")
    second = await _add_fact(harness, "서울시 인구", "서울시 인구 1,000만 명(정정 전 값)")
    assert first[0] == "저장했습니다 (키: 서울시-인구-180725)."
    assert second[0] == "저장했습니다 (키: 서울시-인구-180725-2)."
    async with harness.runtime.sessionmaker() as session:
        kept = await fact_store.by_key(session, "서울시-인구-180725")
        added = await fact_store.by_key(session, "서울시-인구-180725-2")
    assert kept is not None and kept.answer == "서울시 인구 983만 명(2018년 6월 말)"
    assert added is not None and added.answer == "서울시 인구 1,000만 명(정정 전 값)"


async def test_add_new_never_overwrites_an_existing_key(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        await upgrade(engine)
        maker = make_sessionmaker(engine)
        now = datetime(2018, 7, 20, 10, tzinfo=SEOUL)
        draft = FactDraft("x-180720", "X", ("x",), "첫 값", (), "자료", date(2018, 7, 10))
        async with maker.begin() as session:
            keys = [(await fact_store.add_new(session, replace(draft, answer=a), now, ADMIN_ID)).key
                    for a in ("첫 값", "둘째 값", "셋째 값")]
        assert keys == ["x-180720", "x-180720-2", "x-180720-3"]
        async with maker() as session:
            answers = [(await fact_store.by_key(session, key)).answer for key in keys]  # type: ignore[union-attr]
        assert answers == ["첫 값", "둘째 값", "셋째 값"]
    finally:
        await engine.dispose()

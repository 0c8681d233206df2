"""Length limits at the edge (the same on SQLite and PostgreSQL), Telegram's size limits on everything the
bot sends, and a refused reply that is never saved as something else."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from conftest import ADMIN_ID, Harness, make_config, make_harness, replies
from sqlalchemy import String, func, select
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest
from telegram.ext import ExtBot
from test_pledges import HEADER, VALID, row

from bot.lang.limits import FIELD_LIMITS, field_problem, limit
from bot.offline import ApiCall, OfflineRequest
from bot.present.fit import ALERT_LIMIT, CAPTION_LIMIT, TEXT_LIMIT, cut, split, utf16_len
from storage import models
from storage.models import Event, Fact, PledgeNote, SpendingEntry, SubProject, Visit

# -- the limits table ---------------------------------------------------------------------------------------


def test_every_limit_fits_its_database_column() -> None:
    for name, spec in FIELD_LIMITS.items():
        for column in spec.columns:
            model, attribute = column.split(".")
            column_type = getattr(models, model).__table__.c[attribute].type
            if isinstance(column_type, String) and column_type.length is not None:
                assert spec.chars <= column_type.length, f"{name}: {spec.chars} > {column} {column_type.length}"


def test_limit_message_names_field_and_figures() -> None:
    assert field_problem("pledge_note", "가" * 5000) == "메모는 1,000자까지 입력할 수 있습니다 (지금 5,000자)."
    assert field_problem("pledge_reason", "가" * limit("pledge_reason")) is None
    assert "NUL" in str(field_problem("event_title", "개관식\x00"))
    assert field_problem("event_place", None) is None


# -- fitting a text -------------------------------------------------------------------------------------------


def test_utf16_counts_emoji_twice_and_cut_respects_it() -> None:
    assert utf16_len("📅가") == 3
    text = "📅" * 3000  # 3,000 characters but 6,000 units
    fitted = cut(text, TEXT_LIMIT)
    assert utf16_len(fitted) <= TEXT_LIMIT and fitted.endswith("…")


def test_split_breaks_at_lines_and_bounds_the_parts() -> None:
    lines = [f"{i:03d} " + "가" * 90 for i in range(120)]
    parts = split("\n".join(lines))
    assert len(parts) > 1 and all(utf16_len(p) <= TEXT_LIMIT for p in parts)
    assert "\n".join(parts) == "\n".join(lines)  # nothing lost, no line broken
    huge = split("나" * 50_000)
    assert len(huge) == 4 and all(utf16_len(p) <= TEXT_LIMIT for p in huge) and "생략" in huge[-1]


# -- the offline Bot API refuses what Telegram refuses ---------------------------------------------------------


@pytest.fixture
async def raw_bot() -> AsyncIterator[tuple[ExtBot[None], OfflineRequest]]:
    request = OfflineRequest()
    bot: ExtBot[None] = ExtBot("0:offline", request=request, get_updates_request=request)
    async with bot:
        yield bot, request


async def test_offline_request_refuses_like_telegram(raw_bot: tuple[ExtBot[None], OfflineRequest]) -> None:
    bot, request = raw_bot
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(1, "가" * 4097)
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(1, "😀" * 2049)  # 2,049 characters, 4,098 UTF-16 units
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(1, "버튼", reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("보기", callback_data="가" * 22)]]))  # 66 bytes
    with pytest.raises(BadRequest, match=r"(?i)button_text_invalid"):
        await bot.send_message(1, "버튼", reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton(" ", callback_data="x")]]))
    with pytest.raises(BadRequest, match="caption"):
        await bot.send_document(1, b"x", filename="a.txt", caption="가" * (CAPTION_LIMIT + 1))
    with pytest.raises(BadRequest):
        await bot.answer_callback_query("1", text="가" * (ALERT_LIMIT + 1))
    assert len(request.refused) == 6 and not request.of("sendMessage")
    assert (await bot.send_message(1, "가" * 4096)).text == "가" * 4096


async def test_the_bots_send_path_fits_every_text(harness: Harness) -> None:
    bot = harness.app.bot
    long = "\n".join(f"{i}. " + "가" * 100 for i in range(100))
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("확인", callback_data="ok")]])
    before = len(harness.request.calls)
    last = await bot.send_message(ADMIN_ID, long, reply_markup=markup)
    sent = harness.request.calls[before:]
    assert len(sent) == 3 and all(utf16_len(str(c.params["text"])) <= TEXT_LIMIT for c in sent)
    assert [("reply_markup" in c.params) for c in sent] == [False, False, True]
    assert last.text == sent[-1].params["text"]
    await bot.answer_callback_query("1", text="나" * 500)
    assert utf16_len(harness.request.calls[-1].params["text"]) == ALERT_LIMIT
    assert not harness.request.refused


def _within_limits(calls: list[ApiCall]) -> None:
    for call in calls:
        if call.method in ("sendMessage", "editMessageText"):
            assert 0 < utf16_len(str(call.params["text"])) <= TEXT_LIMIT


# -- pledges: a 5,000-character status reason, a refused memo ----------------------------------------------------


@pytest.fixture
async def both(db_url: str) -> AsyncIterator[Harness]:
    """The harness on SQLite and on PostgreSQL, where a too-long value used to raise "value too long"."""
    async with make_harness(make_config(db_url)) as h:
        yield h


async def _open_card(h: Harness) -> list[ApiCall]:
    await h.upload(ADMIN_ID, "pledges.csv", VALID.encode())
    return await h.send(ADMIN_ID, "S1")


async def _notes(h: Harness) -> list[str | None]:
    async with h.runtime.sessionmaker() as session:
        return list((await session.scalars(select(PledgeNote.text).order_by(PledgeNote.id))).all())


async def test_long_status_reason_refused_with_its_limit(both: Harness) -> None:
    await _open_card(both)
    before = await _notes(both)
    answer = replies(await both.send(ADMIN_ID, "상태 지연 — " + "가" * 5000))
    assert answer == ["상태 사유는 500자까지 입력할 수 있습니다 (지금 5,000자). (그만두려면 /cancel)"]
    assert await _notes(both) == before
    card = replies(await both.send(ADMIN_ID, "상태 지연 — 부지 협의 지연"))
    assert card[0] == "저장했습니다." and "(부지 협의 지연)" in card[-1]


async def test_card_with_a_stored_5000_character_reason_still_shows(harness: Harness) -> None:
    """A reason stored before the limit existed (SQLite kept it): the card is still shown, in parts."""
    await _open_card(harness)
    async with harness.runtime.sessionmaker.begin() as session:
        sub = await session.scalar(select(SubProject).where(SubProject.code == "S1"))
        assert sub is not None
        from storage import pledges as store

        await store.set_status(session, sub, "지연", "사유 " * 2500, harness.clock.now(), ADMIN_ID)
    card = await harness.send(ADMIN_ID, "S1")
    _within_limits(card)
    assert "상태: 지연" in replies(card)[0] and not harness.request.refused
    assert any("inline_keyboard" in (c.params.get("reply_markup") or {}) for c in card)


async def test_refused_memo_then_a_budget_question_is_not_saved_as_the_memo(both: Harness) -> None:
    card = await _open_card(both)
    before = await _notes(both)
    prompt = await both.tap(ADMIN_ID, card, "메모")
    assert "메모를 입력하세요" in replies(prompt)[-1]
    refused = replies(await both.send(ADMIN_ID, "메모 " + "가" * 1500))
    assert refused == ["메모는 1,000자까지 입력할 수 있습니다 (지금 1,500자). (그만두려면 /cancel)"]
    answer = replies(await both.send(ADMIN_ID, "업무추진비 잔액"))
    assert answer[0] == "(입력 중이던 메모는 취소했습니다)"
    assert "잔액" in answer[1] and "238,625" in answer[1]
    assert await _notes(both) == before
    await both.send(ADMIN_ID, "9월 추경 반영 요청")  # the question was dropped: the next text is no memo either
    assert await _notes(both) == before


async def test_a_valid_memo_right_after_the_prompt_is_saved(harness: Harness) -> None:
    card = await _open_card(harness)
    await harness.tap(ADMIN_ID, card, "메모")
    saved = replies(await harness.send(ADMIN_ID, "9월 추경 반영 요청"))
    assert saved[0] == "저장했습니다."
    assert (await _notes(harness))[-1] == "9월 추경 반영 요청"
    await harness.tap(ADMIN_ID, card, "진행률 입력")
    assert replies(await harness.send(ADMIN_ID, "진행률 45%"))[0] == "저장했습니다."


@pytest.mark.parametrize("button", ["메모", "상태 변경", "진행률 입력", "자체평가"])
async def test_a_question_in_place_of_a_pledge_answer_is_not_stored(harness: Harness, button: str) -> None:
    card = await _open_card(harness)
    before = await _notes(harness)
    await harness.tap(ADMIN_ID, card, button)
    answer = replies(await harness.send(ADMIN_ID, "자매도시 몇 곳이야?"))
    assert answer[0].startswith("(입력 중이던") and "취소했습니다" in answer[0]
    assert "자매" in answer[1]
    assert await _notes(harness) == before


# -- the other awaited replies ---------------------------------------------------------------------------------


async def test_a_budget_question_in_place_of_a_spending_amount_is_answered(harness: Harness) -> None:
    await harness.send(ADMIN_ID, "/spend")
    form = await harness.open_form(ADMIN_ID)
    assert form is not None and (form.kind, form.step) == ("spend", "amount")
    answer = replies(await harness.send(ADMIN_ID, "업무추진비 잔액"))
    assert "238,625" in answer[0] and answer[-1] == "입력 중이던 지출 기록이 있습니다"
    async with harness.runtime.sessionmaker() as session:
        assert not (await session.scalars(select(SpendingEntry.purpose))).all()


async def test_a_question_in_place_of_an_as_of_date_is_answered(harness: Harness) -> None:
    shown = await harness.send(ADMIN_ID, "/budget")
    await harness.tap(ADMIN_ID, shown, "기준일 변경")
    answer = replies(await harness.send(ADMIN_ID, "지연 공약 몇 개야?"))
    assert "지연" in answer[0] and answer[-1] == "입력 중이던 기준일 입력이 있습니다"
    still = replies(await harness.send(ADMIN_ID, "6월말 기준 잔액"))
    assert "6.30" in still[0] or "6월" in still[0]


async def test_a_question_in_place_of_an_event_time_changes_nothing(harness: Harness) -> None:
    echo = await harness.send(ADMIN_ID, "9월 15일 오후 3시 서울식물원 개관식 알려줘")
    await harness.tap(ADMIN_ID, echo, "날짜·시간 변경")
    asked = await harness.send(ADMIN_ID, "업무추진비 얼마 남았어?")
    answer = replies(asked)
    assert "238,625" in answer[0] and answer[-1] == "입력 중이던 일정이 있습니다"  # answered, the draft waits
    assert "새 날짜나 시각" in replies(await harness.tap(ADMIN_ID, asked, "이어서 하기"))[-1]
    async with harness.runtime.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Event).where(
            Event.title.like("%서울식물원 개관식%"), Event.seed_key.is_(None))) == 0


async def test_a_question_in_place_of_a_fact_answer_is_not_stored(harness: Harness) -> None:
    await harness.send(ADMIN_ID, "/fact add")
    await harness.send(ADMIN_ID, "해외 협약")
    await harness.send(ADMIN_ID, "협약, 해외협약")
    answer = replies(await harness.send(ADMIN_ID, "업무추진비 잔액 얼마야?"))
    assert answer[0] == "(입력 중이던 사실 입력은 취소했습니다)"
    async with harness.runtime.sessionmaker() as session:
        assert not (await session.scalars(select(Fact).where(Fact.topic == "해외 협약"))).all()


async def test_a_question_in_place_of_a_visit_purpose_is_not_stored(harness: Harness) -> None:
    await harness.send(ADMIN_ID, "/visit")
    # walk the form to its free-text step whatever it asks first
    for _ in range(6):
        form = await harness.open_form(ADMIN_ID)
        assert form is not None
        if form.step == "about":
            break
        last = harness.request.calls[-1]
        buttons = (last.params.get("reply_markup") or {}).get("inline_keyboard", [])
        if form.step == "when":
            await harness.send(ADMIN_ID, "어제 오후 2시")
        elif buttons:
            await harness.press(ADMIN_ID, last, buttons[0][0]["callback_data"])
    form = await harness.open_form(ADMIN_ID)
    assert form is not None and form.step == "about"
    answer = replies(await harness.send(ADMIN_ID, "업무추진비 잔액 얼마야?"))
    assert "238,625" in answer[0] and answer[-1] == "입력 중이던 현장방문 기록이 있습니다"
    async with harness.runtime.sessionmaker() as session:
        assert not (await session.scalars(select(Visit))).all()


# -- long texts at the edge, on both databases --------------------------------------------------------------------


async def test_long_fields_refused_in_chat_on_both_databases(both: Harness) -> None:
    title = replies(await both.send(ADMIN_ID, "9월 15일 오후 3시 " + "개관식" * 100 + " 알려줘"))
    assert title[0].startswith("일정 제목은 200자까지 입력할 수 있습니다")
    spend = replies(await both.send(ADMIN_ID, "지출 12만원 시책추진 간담회 7/20 " + "다과" * 300))
    assert spend[0].startswith("내용은 500자까지 입력할 수 있습니다") and "아무것도 기록하지 않았습니다" in spend[0]
    visit = replies(await both.send(ADMIN_ID, "어제 오후 2시 강북구 쪽방촌 현장방문, 메모 " + "점검" * 1100))
    assert "메모는 2,000자까지 입력할 수 있습니다" in visit[0]
    meeting = replies(await both.send(ADMIN_ID, "오늘 10시 상임위원장단 간담회 — 안건 " + "추경" * 1100))
    assert "안건은 2,000자까지 입력할 수 있습니다" in meeting[0]
    async with both.runtime.sessionmaker() as session:
        assert not (await session.scalars(select(SpendingEntry))).all()
        assert not (await session.scalars(select(Visit))).all()
    assert not both.request.refused


async def test_long_fact_answer_refused_in_the_form(both: Harness) -> None:
    await both.send(ADMIN_ID, "/fact add")
    await both.send(ADMIN_ID, "해외 협약")
    await both.send(ADMIN_ID, "협약, 해외협약")
    refused = replies(await both.send(ADMIN_ID, "협약 " * 1500))
    assert refused[0].startswith("답변은 3,500자까지 입력할 수 있습니다")
    source = replies(await both.send(ADMIN_ID, "협약 12건"))
    assert "출처" in source[-1]
    assert replies(await both.send(ADMIN_ID, "보고서 " * 60))[0].startswith("출처는 200자까지")


# -- imports: null bytes and long cells, row and column named ---------------------------------------------------


async def test_null_byte_and_long_cells_in_imports_are_refused(both: Harness) -> None:
    nul = HEADER + row("N1", title="(예시) 널\x00문자")
    answer = replies(await both.upload(ADMIN_ID, "pledges.csv", nul.encode()))[0]
    assert "2행 세부사업" in answer and "NUL" in answer and "아무것도 가져오지 않았습니다" in answer
    council = "이름,지역구,위원회,정당,의장단\n(예시) 김의원,강북구," + "위원회" * 40 + ",,\n"
    refused = replies(await both.upload(ADMIN_ID, "council.csv", council.encode()))[0]
    assert "2행" in refused and "소속 위원회는 100자까지 입력할 수 있습니다" in refused
    ledger = ("일자,과목,분야,금액(원),건수,내용,비고\n"
              "2018-07-19,시책추진업무추진비,시책추진,120000,1,다과,비고\x00\n")
    refused = replies(await both.upload(ADMIN_ID, "ledger.csv", ledger.encode()))[0]
    assert "2행 비고" in refused and "NUL" in refused
    async with both.runtime.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(SubProject)) == 0
        assert not (await session.scalars(select(SpendingEntry))).all()


# -- long lists and texts never break Telegram's limits ------------------------------------------------------------


async def test_agenda_with_many_long_items_fits(harness: Harness) -> None:
    for day in range(1, 29):
        echo = await harness.send(ADMIN_ID, f"8월 {day}일 오후 3시 " + "🏛" * 60 + "가" * 130 + " 알려줘")
        await harness.tap(ADMIN_ID, echo, "확인")
    agenda = await harness.send(ADMIN_ID, "8월 일정")
    _within_limits(agenda)
    assert not harness.request.refused and "8월" in replies(agenda)[0]


async def test_long_fact_answer_is_shown_whole(harness: Harness) -> None:
    await harness.send(ADMIN_ID, "/fact add")
    await harness.send(ADMIN_ID, "해외 협약 목록")
    await harness.send(ADMIN_ID, "해외협약목록")
    await harness.send(ADMIN_ID, "\n".join(f"{i}. " + "🤝" * 30 for i in range(100)))  # 3,490 chars, 6,490 units
    await harness.send(ADMIN_ID, "보고서")
    done = await harness.send(ADMIN_ID, "2018-07-10")
    assert not harness.request.refused, replies(done)
    shown = await harness.send(ADMIN_ID, "해외협약목록")
    _within_limits(shown)
    assert not harness.request.refused and "99. " in "".join(replies(shown))


async def test_long_titles_in_pledge_lists_page_within_limits(harness: Harness) -> None:
    long = "가" * 290
    rows = "".join(row(f"L{i:02d}", title=f"(예시) {long} {i}") for i in range(40))
    await harness.upload(ADMIN_ID, "pledges.csv", (HEADER + rows).encode())
    board = await harness.send(ADMIN_ID, "/pledges")
    axis = await harness.tap(ADMIN_ID, board, "정책대상별")
    area = await harness.tap(ADMIN_ID, axis, "자영업자")
    pledge = await harness.tap(ADMIN_ID, area, "1. (예시) 핵심공약 P1")
    _within_limits(board + axis + area + pledge)
    assert not harness.request.refused


async def test_long_personal_reminder_refused_with_its_limit(both: Harness) -> None:
    answer = replies(await both.send(ADMIN_ID, "30분 뒤에 " + "회의자료 " * 120 + "챙기라고 알려줘"))
    assert answer[0].startswith("알림 내용은 500자까지 입력할 수 있습니다")
    weekly = replies(await both.send(ADMIN_ID, "매주 금요일 17시 " + "주간보고 " * 120 + "알려줘"))
    assert weekly[0].startswith("알림 내용은 500자까지 입력할 수 있습니다")


async def test_a_fact_with_a_long_korean_key_keeps_valid_buttons(harness: Harness) -> None:
    await harness.send(ADMIN_ID, "/fact add")
    await harness.send(ADMIN_ID, "서울시 해외 도시 정책 협력 협약 체결 현황 및 후속 조치 계획")
    await harness.send(ADMIN_ID, "해외정책협약")
    await harness.send(ADMIN_ID, "협약 12건")
    await harness.send(ADMIN_ID, "보고서")
    await harness.send(ADMIN_ID, "2018-07-10")
    listed = await harness.send(ADMIN_ID, "/facts")
    assert not harness.request.refused
    shown = await harness.tap(ADMIN_ID, listed, "서울시 해외 도시 정책 협력 협약 체결 현황 및 후속 조치 계획")
    assert "협약 12건" in "".join(replies(shown))


async def test_a_command_ends_an_awaited_reply(harness: Harness) -> None:
    card = await _open_card(harness)
    before = await _notes(harness)
    await harness.tap(ADMIN_ID, card, "메모")
    assert "잔액" in replies(await harness.send(ADMIN_ID, "/budget"))[0]
    after = replies(await harness.send(ADMIN_ID, "9월 추경 반영 요청"))
    assert "저장했습니다." not in after and await _notes(harness) == before
    await harness.send(ADMIN_ID, "/spend")  # a command that asks keeps its own question
    form = await harness.open_form(ADMIN_ID)
    assert form is not None and (form.kind, form.step, form.paused) == ("spend", "amount", False)


async def _row_counts(h: Harness) -> dict[str, int]:
    async with h.runtime.sessionmaker() as session:
        counts = {table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
                  for table in models.Base.metadata.sorted_tables}
        # Not a stored item: the note of the subject last answered (a follow-up "몇 건이야" is about it).
        counts["drafts"] -= int(await session.scalar(select(func.count()).select_from(models.Draft).where(
            models.Draft.kind == "topic")) or 0)
        return counts


async def test_no_awaited_reply_kind_stores_a_question(harness: Harness) -> None:
    """Every typed step of every form (drafts in the database) and every reply still awaited the old way: a
    question in its place is answered, the form is offered back, and nothing but the draft is written."""
    from bot.app import FEATURES
    from bot.services.conversation import Conversation

    flows = harness.app.bot_data["flows"]
    steps = sorted((kind, step) for kind, flow in flows.items() for step in flow.text_steps)
    legacy = sorted({kind for module in FEATURES for kind in getattr(module, "REPLIES", {})})
    assert len(steps) + len(legacy) >= 15
    questions = {"자매도시 몇 곳이야?": "자매", "업무추진비 얼마 남았어?": "238,625"}
    talk = Conversation(harness.runtime, ADMIN_ID, ADMIN_ID)
    for kind, step in steps:
        for question, expected in questions.items():
            if kind == "budget_as_of" and "업무추진비" in question:
                continue  # a budget question is the as-of date's own kind: read as its answer (and refused)
            payload = {"event_id": 1, "reminder_id": 1, "action": "en", "kind": "v", "record_id": 1}
            await talk.start(kind, payload, step)
            before = await _row_counts(harness)
            answer = replies(await harness.send(ADMIN_ID, question))
            assert expected in answer[0] and answer[-1].startswith("입력 중이던"), (kind, step, answer)
            after = await _row_counts(harness)
            assert {k: v for k, v in after.items() if k != "drafts"} == \
                {k: v for k, v in before.items() if k != "drafts"}, (kind, step)
            await talk.drop_forms()
    for kind in legacy:
        for question, expected in questions.items():
            before = await _row_counts(harness)
            harness.app.user_data[ADMIN_ID]["awaiting"] = kind
            answer = replies(await harness.send(ADMIN_ID, question))
            assert answer[0].startswith("(입력 중이던") and expected in answer[1], (kind, answer)
            assert await _row_counts(harness) == before, kind

"""The access gate: strangers get one refusal with their id and nothing else; invites; groups."""

from __future__ import annotations

from datetime import timedelta

from conftest import ADMIN_ID, STAFF_ID, STRANGER_ID, Harness, make_config, make_harness, replies
from sqlalchemy import func, select

from storage import people
from storage.models import AuditEntry, InviteCode, Person


async def _invite_code(h: Harness) -> str:
    calls = await h.send(ADMIN_ID, "/invite")
    text = replies(calls)[0]
    assert "https://t.me/secretariat_bot?start=" in text
    return text.split("?start=")[1].split()[0]


async def _join(h: Harness, user_id: int) -> list[str]:
    code = await _invite_code(h)
    return replies(await h.send(user_id, f"/start {code}"))


def _refusal_only(calls: list, user_id: int) -> None:
    texts = replies(calls)
    assert len(texts) == 1, texts
    assert "비서실 직원만" in texts[0] and str(user_id) in texts[0]


async def test_stranger_command_is_refused_with_id(harness: Harness) -> None:
    _refusal_only(await harness.send(STRANGER_ID, "/help"), STRANGER_ID)


async def test_stranger_free_text_is_refused(harness: Harness) -> None:
    _refusal_only(await harness.send(STRANGER_ID, "인력 현황"), STRANGER_ID)


async def test_stranger_plain_start_is_refused(harness: Harness) -> None:
    _refusal_only(await harness.send(STRANGER_ID, "/start"), STRANGER_ID)


async def test_stranger_button_press_is_refused_with_alert(harness: Harness) -> None:
    (message,) = [c for c in await harness.send(ADMIN_ID, "/staff") if c.method == "sendMessage"]
    calls = await harness.press(STRANGER_ID, message, "staff:rm:222")
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert calls[0].params["show_alert"] is True
    assert str(STRANGER_ID) in calls[0].params["text"]


async def test_stranger_inline_query_gets_refusal_and_no_results(harness: Harness) -> None:
    calls = await harness.inline(STRANGER_ID, "잔액")
    assert [c.method for c in calls] == ["answerInlineQuery"]
    assert calls[0].params["results"] == []
    assert str(STRANGER_ID) in calls[0].params["button"]["text"]


async def test_update_without_user_is_dropped(harness: Harness) -> None:
    from telegram import Update

    update = {"update_id": 5, "channel_post": {"message_id": 1, "date": 0, "text": "/help",
                                               "chat": {"id": -100, "type": "channel", "title": "c"}}}
    before = len(harness.request.calls)
    await harness.app.process_update(Update.de_json(update, harness.app.bot))
    assert harness.request.calls[before:] == []


async def test_invite_flow_registers_staff_once(harness: Harness) -> None:
    harness.names[STAFF_ID] = "김주무관"
    texts = await _join(harness, STAFF_ID)
    assert "김주무관님" in texts[0]
    # Now a member: the gate lets them through.
    assert "인력 현황" in replies(await harness.send(STAFF_ID, "인력 현황"))[0]
    async with harness.app.bot_data["runtime"].sessionmaker() as session:
        person = await session.get(Person, STAFF_ID)
        assert person is not None and person.role == people.STAFF and person.active
        joins = await session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "person.join", AuditEntry.entity_id == str(STAFF_ID)))
        assert joins == 1


async def test_reused_invite_is_refused(harness: Harness) -> None:
    code = await _invite_code(harness)
    await harness.send(STAFF_ID, f"/start {code}")
    texts = replies(await harness.send(333, f"/start {code}"))
    assert "이미 사용된" in texts[0] and "333" in texts[0]
    _refusal_only(await harness.send(333, "/help"), 333)


async def test_expired_invite_is_refused(harness: Harness) -> None:
    code = await _invite_code(harness)
    harness.clock.advance(timedelta(hours=24, minutes=1))
    texts = replies(await harness.send(STAFF_ID, f"/start {code}"))
    assert "만료" in texts[0]
    _refusal_only(await harness.send(STAFF_ID, "/help"), STAFF_ID)


async def test_unknown_invite_code_is_refused(harness: Harness) -> None:
    texts = replies(await harness.send(STRANGER_ID, "/start not-a-code"))
    assert "올바르지 않습니다" in texts[0] and str(STRANGER_ID) in texts[0]
    async with harness.app.bot_data["runtime"].sessionmaker() as session:
        assert await session.get(Person, STRANGER_ID) is None


async def test_staff_cannot_invite(harness: Harness) -> None:
    await _join(harness, STAFF_ID)
    assert replies(await harness.send(STAFF_ID, "/invite")) == ["관리자만 사용할 수 있는 명령입니다."]
    async with harness.app.bot_data["runtime"].sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(InviteCode)) == 1


async def test_removed_member_is_refused(harness: Harness) -> None:
    await _join(harness, STAFF_ID)
    calls = await harness.send(ADMIN_ID, f"/staff remove {STAFF_ID}")
    (question,) = [c for c in calls if c.method == "sendMessage"]
    assert "제외할까요" in question.params["text"]
    done = await harness.press(ADMIN_ID, question, f"staff:rm:{STAFF_ID}")
    assert "제외했습니다" in replies(done)[-1]
    _refusal_only(await harness.send(STAFF_ID, "인력 현황"), STAFF_ID)


async def test_staff_remove_cancel_keeps_member(harness: Harness) -> None:
    await _join(harness, STAFF_ID)
    (question,) = [c for c in await harness.send(ADMIN_ID, f"/staff remove {STAFF_ID}")
                   if c.method == "sendMessage"]
    assert "취소" in replies(await harness.press(ADMIN_ID, question, "staff:cancel"))[-1]
    assert "인력 현황" in replies(await harness.send(STAFF_ID, "인력 현황"))[0]


async def test_staff_remove_bad_input(harness: Harness) -> None:
    assert "숫자로" in replies(await harness.send(ADMIN_ID, "/staff remove 홍길동"))[0]
    assert "없습니다" in replies(await harness.send(ADMIN_ID, "/staff remove 4242"))[0]
    assert "제외할 수 없습니다" in replies(await harness.send(ADMIN_ID, f"/staff remove {ADMIN_ID}"))[0]
    assert "사용법" in replies(await harness.send(ADMIN_ID, "/staff foo"))[0]


async def test_staff_list_shows_members(harness: Harness) -> None:
    harness.names[STAFF_ID] = "김주무관"
    await _join(harness, STAFF_ID)
    text = replies(await harness.send(ADMIN_ID, "/staff"))[0]
    assert "직원 명단 (2명)" in text and "김주무관" in text and f"ID {STAFF_ID}" in text


async def test_group_chat_stranger_gets_silence(harness: Harness) -> None:
    calls = await harness.send(STRANGER_ID, "인력 현황", chat_id=-500, chat_type="group")
    assert calls == []


async def test_group_chat_member_gets_no_figures_without_allow_groups(harness: Harness) -> None:
    text = replies(await harness.send(ADMIN_ID, "인력 현황", chat_id=-500, chat_type="group"))[0]
    assert "단체방" in text and "19" not in text


async def test_group_chat_figures_with_allow_groups(sqlite_url: str) -> None:
    async with make_harness(make_config(sqlite_url, access={"allow_groups": True})) as h:
        text = replies(await h.send(ADMIN_ID, "인력 현황", chat_id=-500, chat_type="group"))[0]
    assert "총계: 정원 19 / 현원 19" in text

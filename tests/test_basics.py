"""/start, /help, the command menu at start-up, unknown input, and the error handler."""

from __future__ import annotations

from datetime import timedelta

from conftest import ADMIN_ID, STAFF_ID, Harness, make_config, make_harness, replies
from telegram import Update
from telegram.ext import CommandHandler
from test_gate import _join

from bot.offline import OfflineRequest


async def test_start_greets_in_korean_with_main_menu(harness: Harness) -> None:
    (call,) = await harness.send(ADMIN_ID, "/start")
    assert call.method == "sendMessage"
    assert "비서실봇" in call.params["text"] and "/help" in call.params["text"]
    assert "사용자111님" in call.params["text"]  # a configured admin is greeted by their Telegram name
    labels = [b["text"] for row in call.params["reply_markup"]["keyboard"] for b in row]
    assert "인력 현황" in labels and "도움말" in labels


async def test_help_lists_every_command_with_example(harness: Harness) -> None:
    text = replies(await harness.send(ADMIN_ID, "/help"))[0]
    for command in ("/start", "/help", "/staffing", "/invite", "/staff"):
        assert command in text
    assert text.count("예:") >= 5


async def test_help_by_menu_word_and_staff_sees_no_admin_commands(harness: Harness) -> None:
    await _join(harness, STAFF_ID)
    text = replies(await harness.send(STAFF_ID, "도움말"))[0]
    assert "/staffing" in text and "/invite" not in text


async def test_set_my_commands_at_start_up_in_korean(harness: Harness) -> None:
    (call,) = harness.request.of("setMyCommands")
    names = [c["command"] for c in call.params["commands"]]
    assert {"start", "help", "staffing"} <= set(names) and "invite" not in names
    assert all(any("가" <= ch <= "힣" for ch in c["description"]) for c in call.params["commands"])


async def test_set_my_commands_failure_is_not_fatal(config) -> None:  # type: ignore[no-untyped-def]
    class Failing(OfflineRequest):
        async def do_request(self, url, method, request_data=None, *args, **kwargs):  # type: ignore[no-untyped-def]
            if url.endswith("setMyCommands"):
                return 400, b'{"ok": false, "error_code": 400, "description": "Bad Request: nope"}'
            return await super().do_request(url, method, request_data, *args, **kwargs)

    async with make_harness(config, Failing()) as h:
        assert "총계: 정원 19" in replies(await h.send(ADMIN_ID, "인력 현황"))[0]


async def test_unknown_text_and_command_get_korean_hints(harness: Harness) -> None:
    assert "/help" in replies(await harness.send(ADMIN_ID, "블라블라"))[0]
    assert "모르는 명령어" in replies(await harness.send(ADMIN_ID, "/nonsense"))[0]


async def test_staffing_reproduces_report_figures(harness: Harness) -> None:
    text = replies(await harness.send(ADMIN_ID, "/staffing"))[0]
    assert "총계: 정원 19 / 현원 19" in text
    assert "일반직: 정원 6 / 현원 6" in text and "별정직: 정원 13 / 현원 13" in text
    assert " · 7급: 1 / 0 (-1)" in text and " · 8~9급: 1 / 2 (+1)" in text and " · 5급상당: 9 / 9" in text
    assert "'18.7.10." in text


async def test_failing_handler_apologises_and_alerts_admin_once_a_minute(sqlite_url: str) -> None:
    config = make_config(sqlite_url, telegram={"token": "123:SECRET-TOKEN"})
    async with make_harness(config) as h:

        async def boom(update: Update, context: object) -> None:
            raise RuntimeError("kaboom with token 123:SECRET-TOKEN")

        h.app.handlers[0].insert(0, CommandHandler("boom", boom))  # ahead of the fallback
        await _join(h, STAFF_ID)
        h.request.clear()
        await h.send(STAFF_ID, "/boom")
        user_texts = h.request.texts(STAFF_ID)
        assert len(user_texts) == 1 and "문제가 생겼습니다" in user_texts[0]
        assert "Traceback" not in user_texts[0] and "kaboom" not in user_texts[0]
        alerts = h.request.texts(ADMIN_ID)
        assert len(alerts) == 1 and "RuntimeError" in alerts[0] and str(STAFF_ID) in alerts[0]
        assert "SECRET-TOKEN" not in alerts[0] and "[REDACTED]" in alerts[0]
        h.request.clear()
        await h.send(STAFF_ID, "/boom")
        assert h.request.texts(ADMIN_ID) == []  # within the minute: no second alert
        h.clock.advance(timedelta(minutes=1, seconds=1))
        await h.send(STAFF_ID, "/boom")
        assert len(h.request.texts(ADMIN_ID)) == 1

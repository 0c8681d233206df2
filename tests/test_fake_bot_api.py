"""Tests of the fake Telegram Bot API server, driven by real python-telegram-bot clients."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fake_bot_api import Call, FakeBotApi
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

USER_ID = 4242


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as client:
        yield client


def _keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("확인", callback_data="ok:1"),
                InlineKeyboardButton("취소", callback_data="no"),
            ]
        ]
    )


async def test_get_me(fake: FakeBotApi, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == 123456
    assert me.username == "secretariat_test_bot"
    assert me.first_name == "비서실봇"
    assert me.is_bot
    assert fake.base_url == f"http://127.0.0.1:{fake.port}/bot"
    assert fake.base_file_url == f"http://127.0.0.1:{fake.port}/file/bot"
    assert {c.method for c in fake.calls()} == {"getMe"}


async def test_send_message_with_inline_keyboard(fake: FakeBotApi, bot: Bot) -> None:
    msg1 = await bot.send_message(USER_ID, "123", reply_markup=_keyboard())
    msg2 = await bot.send_message(USER_ID, "<b>두 번째</b> &amp; 끝", parse_mode="HTML")

    call = fake.wait_for("sendMessage")
    assert call.params["chat_id"] == USER_ID
    assert call.params["text"] == "123"  # strings stay strings even when they look like numbers
    assert call.params["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "확인", "callback_data": "ok:1"}, {"text": "취소", "callback_data": "no"}]
        ]
    }
    assert call.ok and call.files == {}

    assert msg1.message_id == 1 and msg2.message_id == 2
    assert msg1.chat.type == "private" and msg1.chat.id == USER_ID
    assert msg1.from_user is not None and msg1.from_user.id == fake.bot_id
    assert msg1.reply_markup == _keyboard()
    assert msg2.text == "두 번째 & 끝"
    assert [m["text"] for m in fake.sent_messages(USER_ID)] == ["123", "<b>두 번째</b> &amp; 끝"]
    assert fake.sent_messages(999) == []

    group = await bot.send_message(-1001234, "공지")
    assert group.chat.type == "supergroup" and group.message_id == 1


async def test_send_document_and_photo_multipart(fake: FakeBotApi, bot: Bot) -> None:
    content = b"%PDF-1.4\r\n\x00\x01binary\r\n--not-a-boundary\r\n"
    message = await bot.send_document(
        USER_ID,
        InputFile(content, filename="일정표.pdf"),
        caption="42",
        reply_markup=_keyboard(),
    )
    call = fake.wait_for("sendDocument")
    upload = call.files["document"]
    assert upload.content == content
    assert upload.filename == "일정표.pdf"
    assert call.params["chat_id"] == USER_ID
    assert call.params["caption"] == "42"
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "ok:1"
    assert message.document is not None
    assert message.document.file_name == "일정표.pdf"
    assert message.document.file_size == len(content)
    assert message.document.mime_type == "application/pdf"
    assert message.caption == "42"

    # the stored file can be downloaded through base_file_url
    file = await bot.get_file(message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == content

    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (640).to_bytes(4, "big") + (480).to_bytes(4, "big")
    photo_msg = await bot.send_photo(USER_ID, png, caption="사진")
    assert fake.wait_for("sendPhoto").files["photo"].content == png
    assert photo_msg.photo[-1].width == 640 and photo_msg.photo[-1].height == 480
    assert photo_msg.message_id == 2


async def test_get_updates_long_poll_and_offset(fake: FakeBotApi, bot: Bot) -> None:
    timer = threading.Timer(0.3, fake.send_text, args=(USER_ID, "/start 초대"), kwargs={"username": "kim"})
    timer.start()
    started = time.monotonic()
    updates = await bot.get_updates(timeout=5)
    elapsed = time.monotonic() - started
    timer.join()
    assert 0.2 < elapsed < 3
    assert len(updates) == 1
    message = updates[0].message
    assert message is not None and message.text == "/start 초대"
    assert message.from_user is not None and message.from_user.username == "kim"
    assert message.from_user.language_code == "ko"
    assert message.chat.type == "private"
    assert message.entities[0].type == "bot_command" and message.entities[0].length == 6

    # not confirmed yet: returned again
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [updates[0].update_id]
    # confirming with offset drops it
    fake.send_text(USER_ID, "두 번째")
    later = await bot.get_updates(offset=updates[0].update_id + 1, timeout=0)
    assert [u.message.text for u in later if u.message] == ["두 번째"]
    assert [u["update_id"] for u in fake.pending_updates()] == [later[0].update_id]
    assert await bot.get_updates(offset=later[0].update_id + 1, timeout=0) == ()
    assert fake.pending_updates() == []


async def test_get_updates_times_out_empty(fake: FakeBotApi, bot: Bot) -> None:
    started = time.monotonic()
    updates = await bot.get_updates(timeout=1)
    elapsed = time.monotonic() - started
    assert updates == ()
    assert 0.9 <= elapsed < 2.5
    assert fake.calls("getUpdates")[0].params["timeout"] == 1


async def test_press_button_and_edit(fake: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(USER_ID, "승인할까요?", reply_markup=_keyboard())
    fake.press_button(USER_ID, fake.wait_for("sendMessage"), "ok:1")
    (update,) = await bot.get_updates(timeout=0)
    query = update.callback_query
    assert query is not None and query.data == "ok:1"
    assert query.message is not None and query.message.message_id == sent.message_id
    assert query.from_user.id == USER_ID

    assert await bot.answer_callback_query(query.id, text="처리됨") is True
    edited = await bot.edit_message_text("승인됨", chat_id=USER_ID, message_id=sent.message_id)
    assert not isinstance(edited, bool)
    assert edited.text == "승인됨" and edited.edit_date is not None
    assert edited.reply_markup is None  # no reply_markup in editMessageText removes the keyboard
    assert fake.messages(USER_ID)[-1]["text"] == "승인됨"

    # Telegram refuses edits that change nothing, and unknown callback query ids
    from telegram.error import BadRequest

    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("승인됨", chat_id=USER_ID, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)query id is invalid"):
        await bot.answer_callback_query("12345")

    fake.inline_query(USER_ID, "회의")
    (inline_update,) = await bot.get_updates(offset=update.update_id + 1, timeout=0)
    assert inline_update.inline_query is not None and inline_update.inline_query.query == "회의"


async def test_error_injection(fake: FakeBotApi, bot: Bot) -> None:
    fake.fail_next(
        "sendMessage", error_code=429, description="Too Many Requests: retry after 1", retry_after=1
    )
    with pytest.raises(RetryAfter):
        await bot.send_message(USER_ID, "a")

    fake.fail_next("sendMessage", error_code=403, chat_id=7)
    await bot.send_message(USER_ID, "b")  # other chat: not affected
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(7, "c")
    await bot.send_message(7, "d")  # times=1: only once

    fake.drop_connection_next("sendMessage")
    with pytest.raises(NetworkError):
        await bot.send_message(USER_ID, "e")

    calls = fake.calls("sendMessage")
    assert [(c.params["text"], c.error_code, c.dropped) for c in calls] == [
        ("a", 429, False),
        ("b", None, False),
        ("c", 403, False),
        ("d", None, False),
        ("e", None, True),
    ]
    assert [m["text"] for m in fake.sent_messages()] == ["b", "d"]


async def test_wrong_token(fake: FakeBotApi) -> None:
    bad = Bot("999:WRONG", base_url=fake.base_url, base_file_url=fake.base_file_url)
    with pytest.raises(InvalidToken):
        await bad.initialize()
    await bad.shutdown()
    assert fake.calls()[0].error_code == 401


async def test_wait_for_times_out_with_summary(fake: FakeBotApi, bot: Bot) -> None:
    await bot.send_chat_action(USER_ID, "typing")
    with pytest.raises(AssertionError, match=r"sendChatAction×1"):
        fake.wait_for("sendMessage", timeout=0.1)
    assert await bot.set_my_commands([("start", "시작"), ("help", "도움말")]) is True
    commands = await bot.get_my_commands()
    assert [c.command for c in commands] == ["start", "help"]
    assert await bot.do_api_request("someFutureMethod", api_kwargs={"x": 1}) is True
    assert fake.calls("someFutureMethod")[0].params == {"x": 1}


async def test_rate_meter(fake: FakeBotApi, bot: Bot) -> None:
    for i in range(3):
        await bot.send_message(USER_ID, f"burst {i}")  # same chat, back to back
    for chat in range(1, 32):
        await bot.send_message(chat, "broadcast")  # 31 chats within a second
    # USER_ID: 2 violations; broadcast: the per-second window is already full with 1 + 30 accepted sends
    assert fake.rate_violations() == 2 + 2
    assert fake.rate_violations(tolerance=1.0) == 0
    fake.clear()
    assert fake.rate_violations() == 0 and fake.calls() == []


async def test_enforce_limits() -> None:
    with FakeBotApi(enforce_limits=True) as fake:
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            await bot.send_message(USER_ID, "first")
            with pytest.raises(RetryAfter):
                await bot.send_message(USER_ID, "too soon")
            await bot.send_message(USER_ID + 1, "other chat is fine")
    assert fake.rate_violations() == 1
    assert [c.error_code for c in fake.calls("sendMessage")] == [None, 429, None]


def test_param_decoding_json_and_urlencoded(fake: FakeBotApi) -> None:
    import urllib.request

    def post(body: bytes, content_type: str) -> Any:
        request = urllib.request.Request(
            f"{fake.base_url}{fake.token}/sendMessage", data=body, headers={"Content-Type": content_type}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    answer = post(
        json.dumps({"chat_id": 5, "text": "true", "disable_notification": True}).encode(), "application/json"
    )
    assert answer["ok"] and answer["result"]["text"] == "true"
    post(
        b"chat_id=-5&text=%5B1%5D&reply_markup=%7B%22inline_keyboard%22%3A%5B%5D%7D",
        "application/x-www-form-urlencoded",
    )
    first, second = fake.calls("sendMessage")
    assert first.params == {"chat_id": 5, "text": "true", "disable_notification": True}
    assert second.params == {"chat_id": -5, "text": "[1]", "reply_markup": {"inline_keyboard": []}}
    assert second.response is not None and second.response["result"]["chat"]["type"] == "group"


def test_stop_is_prompt_with_pending_long_poll() -> None:
    import urllib.request

    fake = FakeBotApi().start()
    url = f"{fake.base_url}{fake.token}/getUpdates?timeout=30"
    outcome: list[object] = []

    def poll() -> None:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                outcome.append(json.loads(response.read()))
        except Exception as exc:  # connection shut down during stop() is fine too
            outcome.append(exc)

    thread = threading.Thread(target=poll)
    thread.start()
    fake.wait_for("getUpdates", timeout=5)
    started = time.monotonic()
    fake.stop()
    thread.join(timeout=5)
    assert time.monotonic() - started < 2
    assert not thread.is_alive() and outcome


def test_post_webhook() -> None:
    received: list[tuple[str | None, Any]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers.get("X-Telegram-Bot-Api-Secret-Token"), json.loads(body)))
            status = 200 if self.headers.get("X-Telegram-Bot-Api-Secret-Token") == "s3cret" else 403
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        fake = FakeBotApi()  # post_webhook does not need the server running
        assert fake.post_webhook(url, {"message": {"text": "x"}}, "s3cret") == 200
        assert fake.post_webhook(url, {"message": {"text": "y"}}, None) == 403
    finally:
        server.shutdown()
        server.server_close()
    assert received[0] == ("s3cret", {"message": {"text": "x"}, "update_id": 1})
    assert received[1][0] is None and received[1][1]["update_id"] == 2


async def test_application_polling_replies_to_start(fake: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_user is not None
        await update.effective_message.reply_text(f"안녕하세요, {update.effective_user.first_name}님")

    app = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        fake.send_text(USER_ID, "/start", first_name="김비서")

        def is_reply(call: Call) -> bool:
            return call.params.get("chat_id") == USER_ID

        call = await asyncio.to_thread(fake.wait_for, "sendMessage", is_reply, 5.0)
        assert call.params["text"] == "안녕하세요, 김비서님"
        assert call.ok
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert fake.calls("deleteWebhook")
    assert fake.pending_updates() == []  # the update was confirmed by the updater's offset

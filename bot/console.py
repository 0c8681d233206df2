"""The console chat: the real Application and handlers, with an offline Bot API that prints to a terminal.

Inline buttons are printed numbered ([1] 확인  [2] 취소); typing #2 presses button 2, which sends a real
callback query through the handlers. Each keyboard is also labelled with its message's number (m7), and #7.1
presses button 1 of that message however many replies came since (an older echo's 확인, say).
Reminders the bot pushes on its own number their buttons apart
([a1] 10분 뒤, pressed with #a1), so that a reminder arriving mid-conversation never shifts the numbers of a
reply. Files the bot sends are saved to a folder and their paths printed.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from telegram import Update

from bot.app import build_application, running
from bot.clock import Clock
from bot.config import Config
from bot.offline import ApiCall, OfflineRequest
from bot.updates import callback_update, text_update, user_json

LOCAL_ADMIN_ID = 1
LOCAL_ADMIN_NAME = "콘솔 관리자"
PRESS = re.compile(r"#(a?)(\d+)")
PRESS_OLDER = re.compile(r"#m?(\d+)\.(\d+)")
REMINDER_BUTTONS = "rem:"  # the engine's reminder keyboard (bot.engine.reminder_keyboard)


class ConsoleRequest(OfflineRequest):
    """Prints what the bot sends; remembers the latest inline keyboard for #N presses."""

    def __init__(self, out: TextIO, files_dir: Path) -> None:
        super().__init__()
        self.out = out
        self.files_dir = files_dir
        # (buttons, the message they sit on) of the latest reply ("") and of the latest reminder ("a")
        self.keyboards: dict[str, tuple[list[dict[str, Any]], dict[str, Any] | None]] = {
            "": ([], None), "a": ([], None)}
        # every keyboard shown, by the number of the message it sits on (for #7.1)
        self.history: dict[int, tuple[list[dict[str, Any]], dict[str, Any] | None]] = {}
        self.listeners.append(self._show)

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def _show(self, call: ApiCall) -> None:
        if call.method in ("sendMessage", "editMessageText"):
            label = "봇" if call.method == "sendMessage" else "봇(수정)"
            self._print(f"{label}> {call.params.get('text', '')}")
            self._show_markup(call)
        elif call.method == "editMessageReplyMarkup":
            self._show_markup(call)
        elif call.method == "answerCallbackQuery" and call.params.get("text"):
            self._print(f"봇(알림)> {call.params['text']}")
        elif call.method in ("sendDocument", "sendPhoto"):
            self._save_files(call)

    def _show_markup(self, call: ApiCall) -> None:
        markup = call.params.get("reply_markup") or {}
        if "inline_keyboard" in markup:
            buttons = [b for row in markup["inline_keyboard"] for b in row]
            pushed = any(str(b.get("callback_data", "")).startswith(REMINDER_BUTTONS) for b in buttons)
            prefix = "a" if pushed else ""
            message = call.result if isinstance(call.result, dict) else None
            self.keyboards[prefix] = (buttons, message)
            number = message.get("message_id") if message else None
            if isinstance(number, int):
                self.history[number] = (buttons, message)
            numbers = itertools.count(1)
            for at, row in enumerate(markup["inline_keyboard"]):
                tag = f"  (m{number})" if at == 0 and isinstance(number, int) else ""
                self._print("   " + "  ".join(f"[{prefix}{next(numbers)}] {b['text']}" for b in row) + tag)
        elif "keyboard" in markup:
            labels = [b["text"] if isinstance(b, dict) else str(b) for row in markup["keyboard"] for b in row]
            self._print("   (메뉴: " + " | ".join(labels) + ")")

    def _save_files(self, call: ApiCall) -> None:
        self.files_dir.mkdir(parents=True, exist_ok=True)
        for name, data in call.files.values():
            path = self.files_dir / f"{int(time.time() * 1000)}-{Path(name).name}"
            path.write_bytes(data)
            caption = call.params.get("caption")
            self._print(f"봇> [파일] {path}" + (f" — {caption}" if caption else ""))


class ConsoleSession:
    """Turns typed lines into updates for the application, one at a time."""

    def __init__(self, request: ConsoleRequest, user: dict[str, Any]) -> None:
        self.request = request
        self.user = user

    def update_for(self, line: str) -> dict[str, Any] | str:
        """The update a typed line stands for, or a local notice (str) when there is nothing to send."""
        press = PRESS.fullmatch(line)
        if press:
            return self._press(press.group(1), int(press.group(2)))
        older = PRESS_OLDER.fullmatch(line)
        if older:
            return self._press_older(int(older.group(1)), int(older.group(2)))
        return text_update(self.user, line)

    def _press(self, prefix: str, number: int) -> dict[str, Any] | str:
        buttons, message = self.request.keyboards[prefix]
        if not buttons:
            return "(누를 버튼이 없습니다)"
        if not 1 <= number <= len(buttons):
            return f"(누를 수 있는 버튼은 #{prefix}1~#{prefix}{len(buttons)}입니다)"
        return self._pressed(buttons[number - 1], message)

    def _press_older(self, message_number: int, number: int) -> dict[str, Any] | str:
        buttons, message = self.request.history.get(message_number, ([], None))
        if not buttons:
            return f"(m{message_number} 메시지에는 누를 버튼이 없습니다)"
        if not 1 <= number <= len(buttons):
            return f"(m{message_number}의 버튼은 #{message_number}.1~#{message_number}.{len(buttons)}입니다)"
        return self._pressed(buttons[number - 1], message)

    def _pressed(self, button: dict[str, Any], message: dict[str, Any] | None) -> dict[str, Any] | str:
        if "callback_data" not in button:
            return f"(링크 버튼: {button.get('url', '')})"
        return callback_update(self.user, message, button["callback_data"])


async def _read_line(stdin: TextIO, prompt: bool, out: TextIO) -> str | None:
    if prompt:
        out.write("나> ")
        out.flush()
    line = await asyncio.get_running_loop().run_in_executor(None, stdin.readline)
    return line if line else None


async def run_console(
    config: Config,
    *,
    database_url: str,
    clock: Clock,
    user_id: int | None,
    banner: str,
    stdin: TextIO,
    stdout: TextIO,
    files_dir: Path,
) -> int:
    request = ConsoleRequest(stdout, files_dir)
    local_admin = user_id is None
    user = user_json(LOCAL_ADMIN_ID, LOCAL_ADMIN_NAME) if local_admin else user_json(user_id or 0, "직원")
    app = build_application(config, request=request, clock=clock, database_url=database_url,
                            extra_admins=(LOCAL_ADMIN_ID,) if local_admin else ())
    session = ConsoleSession(request, user)
    interactive = stdin.isatty()
    async with running(app):
        stdout.write(banner + "\n")
        # What is due at start-up (a pace alert, a missed reminder) is shown before the first line is read, in
        # the same order however fast that line is answered (the engine's lock keeps its wake-up from racing).
        await app.bot_data["reminder_engine"].run_due()
        stdout.flush()
        while (line := await _read_line(stdin, interactive, stdout)) is not None:
            text = line.strip()
            if not text:
                continue
            if interactive and text in ("/quit", "/exit"):
                break
            update = session.update_for(text)
            if isinstance(update, str):
                stdout.write(update + "\n")
                continue
            await app.process_update(Update.de_json(update, app.bot))
    return 0


def describe_clock(clock: Clock, now: datetime) -> str:
    return f"{now:%Y-%m-%d %H:%M} KST" + (" (여기서부터 실제 시간대로 흐릅니다)" if clock.shifted else "")

"""A fake Telegram Bot API HTTP server for tests (standard library only).

The server speaks enough of the Bot API for python-telegram-bot (PTB) to run against it unchanged::

    with FakeBotApi() as fake:
        bot = telegram.Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)
        ...
        fake.send_text(42, "/start")              # a user writes to the bot
        call = fake.wait_for("sendMessage")        # what the bot answered (blocking; see below)

Everything that reads or waits (``wait_for``) blocks the calling thread. From an async test run it in a
worker thread (``await asyncio.to_thread(fake.wait_for, "sendMessage")``), otherwise the bot's event loop
is frozen while waiting.

Requests arrive at ``/bot<TOKEN>/<method>`` (JSON, urlencoded or multipart bodies; PTB sends urlencoded
without files and multipart with files, every value a string, complex values JSON-encoded). Parameter
values that look like JSON objects/arrays/numbers/booleans are decoded, except for parameters that are
always strings in the Bot API (``text``, ``caption``, ``callback_query_id``...). Uploaded files are
recorded in ``Call.files`` keyed by their form field (``"document"``, ``"photo"``, or an attach:// name).
"""

from __future__ import annotations

import contextlib
import copy
import html
import json
import mimetypes
import re
import socket
import struct
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["Call", "FakeBotApi", "UploadedFile"]

JSONDict = dict[str, Any]

DEFAULT_TOKEN = "123456:TEST-TOKEN"

# Bot API parameters whose values are always strings: never JSON-decode them ("123" stays "123").
_STRING_PARAMS = frozenset(
    {
        "action",
        "animation",
        "audio",
        "business_connection_id",
        "callback_query_id",
        "caption",
        "currency",
        "custom_emoji_id",
        "description",
        "document",
        "emoji",
        "explanation",
        "file_id",
        "first_name",
        "inline_message_id",
        "inline_query_id",
        "ip_address",
        "language_code",
        "last_name",
        "message_text",
        "name",
        "next_offset",
        "parse_mode",
        "payload",
        "photo",
        "pre_checkout_query_id",
        "provider_token",
        "query",
        "question",
        "secret_token",
        "short_description",
        "shipping_query_id",
        "start_parameter",
        "sticker",
        "switch_pm_parameter",
        "switch_pm_text",
        "text",
        "title",
        "url",
        "video",
        "video_note",
        "voice",
    }
)
_JSON_NUMBER_RE = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_HTML_TAG_RE = re.compile(r"<[^>]*>")

_MAX_TEXT = 4096
_MAX_CAPTION = 1024
_MAX_CALLBACK_DATA_BYTES = 64

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}

# Canonical spelling of the methods this server implements (Telegram method names are case-insensitive).
_KNOWN_METHODS = (
    "getMe",
    "getUpdates",
    "sendMessage",
    "editMessageText",
    "editMessageReplyMarkup",
    "editMessageCaption",
    "deleteMessage",
    "answerCallbackQuery",
    "sendPhoto",
    "sendDocument",
    "setMyCommands",
    "deleteMyCommands",
    "getMyCommands",
    "deleteWebhook",
    "setWebhook",
    "getWebhookInfo",
    "answerInlineQuery",
    "sendChatAction",
    "getChat",
    "getFile",
    "close",
    "logOut",
)
_CANONICAL = {name.lower(): name for name in _KNOWN_METHODS}


@dataclass(frozen=True)
class UploadedFile:
    """A file uploaded in a multipart request."""

    filename: str | None
    content: bytes
    content_type: str | None = None


@dataclass
class Call:
    """One recorded Bot API request.

    ``error_code`` is None when the request was answered ``ok: true``; otherwise the HTTP/Telegram error
    code it was answered with (injected failure, enforced rate limit, validation error, bad token).
    ``dropped`` is True when the connection was closed without an answer (``drop_connection_next``).
    """

    method: str
    params: JSONDict
    files: dict[str, UploadedFile]
    at: float
    error_code: int | None = None
    dropped: bool = False
    response: JSONDict | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.error_code is None and not self.dropped


@dataclass
class _Failure:
    method: str
    chat_id: int | str | None
    times: int
    error_code: int = 0
    description: str = ""
    retry_after: int | None = None
    drop: bool = False


class _ApiError(Exception):
    def __init__(self, error_code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters


class _Drop(Exception):
    """Close the connection without answering."""


# --------------------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, fake: FakeBotApi) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Broken pipes etc. during shutdown or after a dropped connection are expected; stay quiet.
        return


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeBotApi/1.0"
    disable_nagle_algorithm = True  # otherwise Nagle + delayed ACK add ~40 ms to every request

    @property
    def fake(self) -> FakeBotApi:
        return cast(_Server, self.server).fake

    def setup(self) -> None:
        super().setup()
        self.fake._track_connection(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.fake._track_connection(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size_line = self.rfile.readline()
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status: int, payload: JSONDict) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"))

    def _handle(self) -> None:
        body = self._read_body()
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        fake = self.fake
        if path.startswith("/file/bot"):
            token, _, file_path = path[len("/file/bot") :].partition("/")
            content = fake._file_content(token, file_path)
            if content is None:
                self._send_json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            else:
                self._send(200, content, "application/octet-stream")
            return
        if not path.startswith("/bot") or "/" not in path[4:]:
            self._send_json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        token, _, method = path[4:].partition("/")
        try:
            params, files = _parse_params(self.headers.get("Content-Type", ""), body, parts.query)
        except ValueError as exc:
            self._send_json(400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"})
            return
        status, payload = fake._dispatch(token, method, params, files)
        if payload is None:  # drop the connection without answering
            self.close_connection = True
            return
        self._send_json(status, payload)


def _decode_value(key: str, value: Any) -> Any:
    if not isinstance(value, str) or key in _STRING_PARAMS:
        return value
    text = value.strip()
    if not text:
        return value
    if text[0] in "{[" or text in ("true", "false") or _JSON_NUMBER_RE.fullmatch(text):
        try:
            return json.loads(text)
        except ValueError:
            return value
    return value


def _content_type_params(header: str) -> tuple[str, dict[str, str]]:
    main, *rest = header.split(";")
    params: dict[str, str] = {}
    for item in rest:
        key, sep, val = item.strip().partition("=")
        if sep:
            params[key.strip().lower()] = val.strip().strip('"')
    return main.strip().lower(), params


_DISPOSITION_PARAM_RE = re.compile(r';\s*([\w*-]+)="((?:[^"\\]|\\.)*)"|;\s*([\w*-]+)=([^;\s]+)')


def _html5_unescape(value: str) -> str:
    return re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), value.replace("\\\\", "\\"))


def _parse_multipart(body: bytes, boundary: str) -> tuple[JSONDict, dict[str, UploadedFile]]:
    params: JSONDict = {}
    files: dict[str, UploadedFile] = {}
    delimiter = b"--" + boundary.encode("latin-1")
    for raw in body.split(delimiter)[1:]:
        if raw.startswith(b"--"):
            break
        raw = raw.removeprefix(b"\r\n")
        head, sep, content = raw.partition(b"\r\n\r\n")
        if not sep:
            continue
        content = content.removesuffix(b"\r\n")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, val = line.partition(":")
            headers[key.strip().lower()] = val.strip()
        disposition = headers.get("content-disposition", "")
        disp: dict[str, str] = {}
        for m in _DISPOSITION_PARAM_RE.finditer(disposition):
            if m.group(1):
                disp[m.group(1).lower()] = _html5_unescape(m.group(2))
            else:
                disp[m.group(3).lower()] = m.group(4)
        name = disp.get("name")
        if name is None:
            continue
        filename = disp.get("filename")
        if "filename*" in disp and "''" in disp["filename*"]:
            filename = unquote(disp["filename*"].split("''", 1)[1])
        if filename is not None or ("content-type" in headers and "filename" in disposition):
            files[name] = UploadedFile(filename, content, headers.get("content-type"))
        else:
            params[name] = content.decode("utf-8")
    return params, files


def _parse_params(content_type: str, body: bytes, query: str) -> tuple[JSONDict, dict[str, UploadedFile]]:
    raw: JSONDict = dict(parse_qsl(query, keep_blank_values=True))
    files: dict[str, UploadedFile] = {}
    kind, ct_params = _content_type_params(content_type)
    if body:
        if kind == "application/json":
            try:
                decoded = json.loads(body.decode("utf-8"))
            except ValueError as exc:
                raise ValueError("can't parse JSON body") from exc
            if not isinstance(decoded, dict):
                raise ValueError("JSON body must be an object")
            raw.update(decoded)
        elif kind == "multipart/form-data":
            if "boundary" not in ct_params:
                raise ValueError("multipart body without boundary")
            form, files = _parse_multipart(body, ct_params["boundary"])
            raw.update(form)
        else:  # application/x-www-form-urlencoded (also the fallback)
            raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return {key: _decode_value(key, value) for key, value in raw.items()}, files


# --------------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------------


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _plain_text(text: str, parse_mode: Any) -> str:
    """What Telegram would show: HTML markup is stripped (other parse modes are left as they are)."""
    if isinstance(parse_mode, str) and parse_mode.lower() == "html":
        return html.unescape(_HTML_TAG_RE.sub("", text))
    return text


def _image_size(content: bytes) -> tuple[int, int]:
    if content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) >= 24:
        w, h = struct.unpack(">II", content[16:24])
        return int(w), int(h)
    if content[:6] in (b"GIF87a", b"GIF89a") and len(content) >= 10:
        w, h = struct.unpack("<HH", content[6:10])
        return int(w), int(h)
    if content[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(content):
            if content[i] != 0xFF:
                i += 1
                continue
            marker = content[i + 1]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h, w = struct.unpack(">HH", content[i + 5 : i + 9])
                return int(w), int(h)
            (seg_len,) = struct.unpack(">H", content[i + 2 : i + 4])
            i += 2 + seg_len
    return 800, 600


def _normalize_chat_id(value: Any) -> int | str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if _JSON_NUMBER_RE.fullmatch(text) and "." not in text and "e" not in text.lower():
        return int(text)
    return text


def _group_type(chat_id: int) -> str:
    return "supergroup" if str(chat_id).startswith("-100") else "group"


# --------------------------------------------------------------------------------------------------------
# the fake
# --------------------------------------------------------------------------------------------------------


class FakeBotApi:
    """In-process fake of the Telegram Bot API (see the module docstring).

    Args:
        token: the only accepted bot token; others get 401 Unauthorized.
        bot_id / bot_username / bot_first_name: the bot's own user (``getMe``, ``from`` of its messages).
            ``bot_id`` defaults to the numeric prefix of ``token`` (123456 for the default token).
        enforce_limits: answer sends that break Telegram's flood limits with 429 (retry_after 1).
        rate_tolerance: seconds of slack for the rate meter (see ``rate_violations``).
        rate_limited_methods: the methods the rate meter looks at.
        strict: emulate Telegram's validation errors (400): empty/too long text (>4096) or caption (>1024),
            callback_data over 64 bytes, "message is not modified", "message to edit not found",
            unknown callback query ids, getUpdates while a webhook is set (409).
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_id: int | None = None,
        bot_username: str = "secretariat_test_bot",
        bot_first_name: str = "비서실봇",
        enforce_limits: bool = False,
        rate_tolerance: float = 0.05,
        rate_limited_methods: Iterable[str] = ("sendMessage",),
        strict: bool = True,
    ) -> None:
        self.token = token
        prefix = token.split(":", 1)[0]
        self.bot_id = bot_id if bot_id is not None else (int(prefix) if prefix.isdigit() else 123456)
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.enforce_limits = enforce_limits
        self.rate_tolerance = rate_tolerance
        self.rate_limited_methods = frozenset(rate_limited_methods)
        self.strict = strict

        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._connections: set[socket.socket] = set()

        self._calls: list[Call] = []
        self._updates: list[JSONDict] = []
        self._last_update_id = 0
        self._failures: list[_Failure] = []
        # rate meter: (time, chat key) for every send considered, in arrival order
        self._send_log: list[tuple[float, int | str | None]] = []
        self._accepted_window: deque[float] = deque()
        self._accepted_last: dict[int | str | None, float] = {}

        self._users: dict[int, JSONDict] = {}
        self._chats: dict[int, JSONDict] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._last_message_id: dict[int, int] = {}
        self._callback_ids: set[str] = set()
        self._callback_counter = 0
        self._inline_counter = 0
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._webhook: JSONDict = {}
        self._files: dict[str, tuple[bytes, str, str]] = {}  # file_id -> (content, file_path, unique id)
        self._file_counter = 0

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> FakeBotApi:
        if self._server is not None:
            raise RuntimeError("FakeBotApi already started")
        with self._lock:
            self._stopped = False
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="FakeBotApi",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        with self._cond:
            self._stopped = True
            self._cond.notify_all()  # wake long polls and wait_for()
        server.shutdown()
        server.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:  # idle keep-alive connections: let their handler threads exit
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeBotApi:
        if self._server is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeBotApi is not running")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    def _track_connection(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    # ---------------------------------------------------------------- injection

    def bot_user(self) -> JSONDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def push_update(self, update: JSONDict) -> JSONDict:
        """Queue an update for getUpdates (assigning ``update_id`` if missing); returns it."""
        with self._cond:
            self._assign_update_id(update)
            self._updates.append(update)
            self._updates.sort(key=lambda u: int(u["update_id"]))
            self._cond.notify_all()
        return update

    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed by the bot (via getUpdates offset)."""
        with self._lock:
            return copy.deepcopy(self._updates)

    def user(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        username: str | None = None,
        language_code: str = "ko",
    ) -> JSONDict:
        """The User dict for ``user_id`` (remembered; later calls may update name/username)."""
        with self._lock:
            known = self._users.get(user_id)
            user: JSONDict = (
                dict(known) if known else {"id": user_id, "is_bot": False, "first_name": "사용자"}
            )
            if first_name is not None:
                user["first_name"] = first_name
            if username is not None:
                user["username"] = username
            user["language_code"] = language_code
            self._users[user_id] = user
            return dict(user)

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "사용자",
        username: str | None = None,
        title: str | None = None,
        reply_to_message: JSONDict | None = None,
    ) -> JSONDict:
        """Simulate a user writing ``text`` to the bot: builds a message update, queues it, returns it.

        Without ``chat_id`` the chat is the private chat with the user. A negative ``chat_id`` with the
        default ``chat_type`` becomes a "group" (or "supergroup" for -100... ids).
        """
        user = self.user(user_id, first_name=first_name, username=username)
        with self._lock:
            cid = user_id if chat_id is None else chat_id
            if cid == user_id and chat_type == "private":
                chat: JSONDict = {"id": cid, "type": "private", "first_name": user["first_name"]}
                if "username" in user:
                    chat["username"] = user["username"]
            else:
                ctype = chat_type if chat_type != "private" or cid > 0 else _group_type(cid)
                if ctype == "private":
                    chat = {"id": cid, "type": "private", "first_name": user["first_name"]}
                else:
                    known = self._chats.get(cid)
                    chat = {
                        "id": cid,
                        "type": ctype,
                        "title": title or (known or {}).get("title") or "테스트 그룹",
                    }
            self._chats[cid] = dict(chat)
            message: JSONDict = {
                "message_id": self._next_message_id(cid),
                "from": user,
                "chat": chat,
                "date": int(time.time()),
                "text": text,
            }
            if text.startswith("/"):
                command = text.split(maxsplit=1)[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
            if reply_to_message is not None:
                message["reply_to_message"] = copy.deepcopy(reply_to_message)
            self._messages[(cid, message["message_id"])] = message
            update: JSONDict = {"message": copy.deepcopy(message)}
        return self.push_update(update)

    def press_button(
        self,
        user_id: int,
        message: JSONDict | Call,
        data: str,
        *,
        chat_id: int | None = None,
    ) -> JSONDict:
        """Simulate ``user_id`` pressing an inline button with callback ``data`` under ``message``.

        ``message`` is a Message dict as returned to the bot (``call.response["result"]``) or the Call of the
        sendMessage/sendPhoto/... that produced it; the current (possibly edited) version of that message is
        sent. Returns the queued update.
        """
        if isinstance(message, Call):
            result = (message.response or {}).get("result")
            if not isinstance(result, dict):
                raise ValueError(f"{message.method} call did not return a message")
            message = result
        user = self.user(user_id)
        with self._lock:
            cid = chat_id if chat_id is not None else int(message["chat"]["id"])
            current = self._messages.get((cid, int(message["message_id"])), message)
            self._callback_counter += 1
            query_id = str(4_000_000_000_000_000 + self._callback_counter)
            self._callback_ids.add(query_id)
            callback: JSONDict = {
                "id": query_id,
                "from": user,
                "message": copy.deepcopy(current),
                "chat_instance": str(zlib.crc32(f"{self.bot_id}:{cid}".encode())),
                "data": data,
            }
        return self.push_update({"callback_query": callback})

    def inline_query(
        self, user_id: int, query: str, *, offset: str = "", chat_type: str = "private"
    ) -> JSONDict:
        """Simulate an inline query ``@bot query`` by ``user_id``; returns the queued update."""
        user = self.user(user_id)
        with self._lock:
            self._inline_counter += 1
            inline: JSONDict = {
                "id": str(5_000_000_000_000_000 + self._inline_counter),
                "from": user,
                "query": query,
                "offset": offset,
                "chat_type": chat_type,
            }
        return self.push_update({"inline_query": inline})

    def register_file(
        self, content: bytes, file_name: str | None = None, *, kind: str = "documents"
    ) -> JSONDict:
        """Store a file (as if a user had sent it) and return a Document dict usable in an update."""
        with self._lock:
            return self._store_file(content, file_name, None, kind)

    # ---------------------------------------------------------------- reading what the bot did

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 10.0,
    ) -> Call:
        """Block until a ``method`` call matching ``predicate`` has been recorded (earlier ones count).

        Failed/dropped calls are recorded too (check ``call.ok``). Raises AssertionError on timeout.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for call in self._calls:
                    if call.method == method and (predicate is None or predicate(call)):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stopped:
                    seen = Counter(c.method for c in self._calls)
                    summary = ", ".join(f"{name}×{n}" for name, n in seen.items()) or "none"
                    raise AssertionError(
                        f"no matching {method} call within {timeout:.1f}s; calls recorded so far: {summary}"
                    )
                self._cond.wait(remaining)

    def sent_messages(self, chat_id: int | None = None) -> list[JSONDict]:
        """Params of the successful sendMessage calls (optionally to ``chat_id``), oldest first."""
        with self._lock:
            return [
                dict(c.params)
                for c in self._calls
                if c.method == "sendMessage"
                and c.ok
                and (chat_id is None or _normalize_chat_id(c.params.get("chat_id")) == chat_id)
            ]

    def messages(self, chat_id: int) -> list[JSONDict]:
        """Current state of all messages (user's and bot's) in ``chat_id``, by message_id."""
        with self._lock:
            found = [m for (cid, _), m in self._messages.items() if cid == chat_id]
            return copy.deepcopy(sorted(found, key=lambda m: int(m["message_id"])))

    def clear(self) -> None:
        """Forget recorded calls and the rate meter history (queued updates, chats and messages stay)."""
        with self._lock:
            self._calls.clear()
            self._send_log.clear()
            self._accepted_window.clear()
            self._accepted_last.clear()

    # ---------------------------------------------------------------- error injection

    def fail_next(
        self,
        method: str,
        *,
        error_code: int,
        description: str | None = None,
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` ``method`` calls (to ``chat_id`` if given) with an error.

        ``description`` defaults to Telegram's usual text for the code (403 → "Forbidden: bot was blocked by
        the user"); a 429 without ``retry_after`` gets retry_after 1.
        """
        if error_code == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = _DEFAULT_DESCRIPTIONS.get(error_code, "Error").format(retry_after=retry_after)
        with self._lock:
            self._failures.append(
                _Failure(
                    method=method,
                    chat_id=chat_id,
                    times=times,
                    error_code=error_code,
                    description=description,
                    retry_after=retry_after,
                )
            )

    def drop_connection_next(self, method: str, times: int = 1, *, chat_id: int | None = None) -> None:
        """Close the connection of the next ``times`` ``method`` calls without answering."""
        with self._lock:
            self._failures.append(_Failure(method=method, chat_id=chat_id, times=times, drop=True))

    # ---------------------------------------------------------------- rate meter

    def rate_violations(self, tolerance: float | None = None) -> int:
        """How many rate-limited sends Telegram would have answered with 429.

        Replays all sends (see ``rate_limited_methods``) since the last ``clear()``: a send violates when
        30 sends were already accepted in the preceding (1 - tolerance) seconds, or when the previous
        accepted send to the same chat is less than (1 - tolerance) seconds earlier. Violating sends do
        not count as accepted. Injected failures and dropped calls are not part of the replay.
        """
        tol = self.rate_tolerance if tolerance is None else tolerance
        window: deque[float] = deque()
        last: dict[int | str | None, float] = {}
        violations = 0
        with self._lock:
            log = list(self._send_log)
        for at, chat in log:
            if self._violates(at, chat, window, last, tol):
                violations += 1
            else:
                window.append(at)
                last[chat] = at
        return violations

    @staticmethod
    def _violates(
        at: float,
        chat: int | str | None,
        window: deque[float],
        last: dict[int | str | None, float],
        tolerance: float,
    ) -> bool:
        span = 1.0 - tolerance
        while window and window[0] <= at - span:
            window.popleft()
        if len(window) >= 30:
            return True
        previous = last.get(chat)
        return previous is not None and at - previous < span

    # ---------------------------------------------------------------- webhook helper

    def post_webhook(
        self,
        url: str,
        update: JSONDict,
        secret_token: str | None = None,
        *,
        timeout: float = 10.0,
    ) -> int:
        """POST ``update`` (update_id assigned if missing) to a webhook-mode bot; returns the HTTP status."""
        with self._lock:
            self._assign_update_id(update)
        headers = {"Content-Type": "application/json"}
        if secret_token is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret_token
        request = urllib.request.Request(
            url, data=json.dumps(update, ensure_ascii=False).encode("utf-8"), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)

    def webhook(self) -> JSONDict:
        """What the last setWebhook recorded (url, secret_token, ...); empty when no webhook is set."""
        with self._lock:
            return dict(self._webhook)

    def deliver_webhook(self, update: JSONDict, *, timeout: float = 10.0) -> int:
        """Deliver ``update`` as Telegram does: POST it to the URL the bot gave setWebhook, with the secret it
        gave in X-Telegram-Bot-Api-Secret-Token. Returns the HTTP status; raises if no webhook is set."""
        hook = self.webhook()
        if not hook.get("url"):
            raise RuntimeError("no webhook set: the bot has not called setWebhook")
        return self.post_webhook(str(hook["url"]), update, hook.get("secret_token"), timeout=timeout)

    def deliver_pending(self, *, timeout: float = 10.0) -> list[int]:
        """Push every queued update (send_text, press_button, ...) to the webhook, oldest first; those answered
        200 leave the queue, the others stay for the next call (Telegram retries them). Returns the statuses."""
        with self._lock:
            queued = list(self._updates)
        statuses = []
        for update in queued:
            status = self.deliver_webhook(update, timeout=timeout)
            statuses.append(status)
            if status == 200:
                with self._lock:
                    self._updates = [u for u in self._updates if u["update_id"] != update["update_id"]]
        return statuses

    # ---------------------------------------------------------------- internals (lock held unless noted)

    def _assign_update_id(self, update: JSONDict) -> None:
        if "update_id" in update:
            self._last_update_id = max(self._last_update_id, int(update["update_id"]))
        else:
            self._last_update_id += 1
            update["update_id"] = self._last_update_id

    def _next_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def _chat_for(self, chat_id: int | str) -> JSONDict:
        if isinstance(chat_id, int):
            if chat_id in self._chats:
                return dict(self._chats[chat_id])
            if chat_id > 0:
                user = self._users.get(chat_id, {})
                chat: JSONDict = {
                    "id": chat_id,
                    "type": "private",
                    "first_name": user.get("first_name", "사용자"),
                }
                if "username" in user:
                    chat["username"] = user["username"]
            else:
                chat = {"id": chat_id, "type": _group_type(chat_id), "title": "테스트 그룹"}
        else:  # "@channelusername"
            name = chat_id.lstrip("@")
            numeric = -1_000_000_000_000 - zlib.crc32(name.encode())
            chat = {"id": numeric, "type": "channel", "title": name, "username": name}
        self._chats[int(chat["id"])] = dict(chat)
        return chat

    def _file_content(self, token: str, file_path: str) -> bytes | None:
        with self._lock:
            if token != self.token:
                return None
            for content, path, _ in self._files.values():
                if path == file_path:
                    return content
        return None

    def _store_file(self, content: bytes, file_name: str | None, mime: str | None, kind: str) -> JSONDict:
        self._file_counter += 1
        n = self._file_counter
        file_id = f"FAKE{kind[:3].upper()}{n:06d}" + "A" * 20
        ext = (file_name or "").rpartition(".")[2] if file_name and "." in file_name else "bin"
        unique_id = f"FU{n:08d}"
        self._files[file_id] = (content, f"{kind}/file_{n}.{ext}", unique_id)
        result: JSONDict = {"file_id": file_id, "file_unique_id": unique_id, "file_size": len(content)}
        if kind == "documents":
            if file_name is not None:
                result["file_name"] = file_name
            guessed = mime if mime and mime != "application/octet-stream" else None
            guessed = guessed or (mimetypes.guess_type(file_name)[0] if file_name else None) or mime
            if guessed:
                result["mime_type"] = guessed
        return result

    def _check_text(self, text: Any, *, caption: bool = False) -> str:
        if text is None:
            text = ""
        if not isinstance(text, str):
            text = json.dumps(text)
        if self.strict:
            limit = _MAX_CAPTION if caption else _MAX_TEXT
            if not caption and not text.strip():
                raise _ApiError(400, "Bad Request: message text is empty")
            if len(text) > limit:
                what = "message caption is too long" if caption else "message is too long"
                raise _ApiError(400, f"Bad Request: {what}")
        return str(text)

    def _check_markup(self, markup: Any) -> JSONDict | None:
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return None  # only inline keyboards are part of a Message
        if self.strict:
            for row in markup.get("inline_keyboard") or []:
                for button in row:
                    data = button.get("callback_data") if isinstance(button, dict) else None
                    if isinstance(data, str) and not 1 <= len(data.encode()) <= _MAX_CALLBACK_DATA_BYTES:
                        raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _require_chat(self, params: JSONDict) -> int | str:
        chat = _normalize_chat_id(params.get("chat_id"))
        if chat is None or chat == "":
            raise _ApiError(400, "Bad Request: chat_id is empty")
        return chat

    def _new_bot_message(self, params: JSONDict, content: JSONDict) -> JSONDict:
        chat = self._chat_for(self._require_chat(params))
        cid = int(chat["id"])
        message: JSONDict = {
            "message_id": self._next_message_id(cid),
            "from": self.bot_user(),
            "chat": chat,
            "date": int(time.time()),
        }
        if "message_thread_id" in params:
            message["message_thread_id"] = params["message_thread_id"]
        reply_to = params.get("reply_to_message_id")
        reply_parameters = params.get("reply_parameters")
        if isinstance(reply_parameters, dict):
            reply_to = reply_parameters.get("message_id", reply_to)
        if isinstance(reply_to, int) and (cid, reply_to) in self._messages:
            message["reply_to_message"] = copy.deepcopy(self._messages[(cid, reply_to)])
        message.update(content)
        markup = self._check_markup(params.get("reply_markup"))
        if markup is not None:
            message["reply_markup"] = markup
        self._messages[(cid, message["message_id"])] = message
        return copy.deepcopy(message)

    def _text_content(self, params: JSONDict, key: str) -> JSONDict:
        raw = self._check_text(params.get(key), caption=key == "caption")
        content: JSONDict = {key: _plain_text(raw, params.get("parse_mode"))}
        entities = params.get("entities" if key == "text" else "caption_entities")
        if isinstance(entities, list) and entities:
            content["entities" if key == "text" else "caption_entities"] = entities
        return content

    def _edit(self, params: JSONDict, change: Callable[[JSONDict], None]) -> JSONDict | bool:
        if params.get("inline_message_id"):
            return True
        cid = int(self._chat_for(self._require_chat(params))["id"])
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise _ApiError(400, "Bad Request: message identifier is not specified")
        current = self._messages.get((cid, message_id))
        if current is None:
            if self.strict:
                raise _ApiError(400, "Bad Request: message to edit not found")
            current = {
                "message_id": message_id,
                "from": self.bot_user(),
                "chat": self._chat_for(cid),
                "date": int(time.time()),
            }
        edited = copy.deepcopy(current)
        edited.pop("edit_date", None)
        change(edited)
        before = {k: v for k, v in current.items() if k != "edit_date"}
        if self.strict and edited == before:
            raise _ApiError(400, _NOT_MODIFIED)
        edited["edit_date"] = int(time.time())
        self._messages[(cid, message_id)] = edited
        return copy.deepcopy(edited)

    def _set_markup(self, message: JSONDict, params: JSONDict) -> None:
        markup = self._check_markup(params.get("reply_markup"))
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup

    def _take_failure(self, method: str, params: JSONDict) -> _Failure | None:
        chat = _normalize_chat_id(params.get("chat_id"))
        for failure in self._failures:
            if failure.method != method or (failure.chat_id is not None and failure.chat_id != chat):
                continue
            failure.times -= 1
            if failure.times <= 0:
                self._failures.remove(failure)
            return failure
        return None

    def _dispatch(
        self, token: str, raw_method: str, params: JSONDict, files: dict[str, UploadedFile]
    ) -> tuple[int, JSONDict | None]:
        """Handle one request (called from a handler thread). Returns (status, payload or None = drop)."""
        method = _CANONICAL.get(raw_method.lower(), raw_method)
        call = Call(method=method, params=params, files=files, at=time.time())
        with self._cond:
            try:
                if token != self.token:
                    raise _ApiError(401, "Unauthorized")
                failure = self._take_failure(method, params)
                if failure is not None and failure.drop:
                    raise _Drop
                if failure is not None:
                    parameters = {"retry_after": failure.retry_after} if failure.retry_after else None
                    raise _ApiError(failure.error_code, failure.description, parameters)
                if method == "getUpdates":
                    if self.strict and self._webhook.get("url"):
                        raise _ApiError(
                            409,
                            "Conflict: can't use getUpdates method while webhook is active; "
                            "use deleteWebhook to delete the webhook first",
                        )
                    self._record(call)
                    call.response = {"ok": True, "result": self._get_updates(params)}
                    return 200, call.response
                metered = method in self.rate_limited_methods
                if metered and self._rate_check(call) and self.enforce_limits:
                    raise _ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
                result = self._handle(method, params, files)
                if metered:
                    self._rate_commit(call)
            except _Drop:
                call.dropped = True
                self._record(call)
                return 0, None
            except _ApiError as err:
                payload: JSONDict = {
                    "ok": False,
                    "error_code": err.error_code,
                    "description": err.description,
                }
                if err.parameters:
                    payload["parameters"] = err.parameters
                call.error_code = err.error_code
                call.response = payload
                self._record(call)
                return err.error_code, payload
            call.response = {"ok": True, "result": result}
            self._record(call)
            return 200, call.response

    def _record(self, call: Call) -> None:
        self._calls.append(call)
        self._cond.notify_all()

    def _rate_check(self, call: Call) -> bool:
        """Whether this send breaks the limits; a violating send is logged (it never becomes accepted)."""
        chat = _normalize_chat_id(call.params.get("chat_id"))
        if self._violates(call.at, chat, self._accepted_window, self._accepted_last, self.rate_tolerance):
            self._send_log.append((call.at, chat))
            return True
        return False

    def _rate_commit(self, call: Call) -> None:
        """Log a send that was answered ok (violating ones were logged by _rate_check already)."""
        chat = _normalize_chat_id(call.params.get("chat_id"))
        if self._send_log and self._send_log[-1] == (call.at, chat):
            return
        self._send_log.append((call.at, chat))
        self._accepted_window.append(call.at)
        self._accepted_last[chat] = call.at

    def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        offset = params.get("offset")
        limit = params.get("limit")
        limit = max(1, min(100, limit)) if isinstance(limit, int) else 100
        timeout = params.get("timeout")
        timeout = (
            float(timeout) if isinstance(timeout, int | float) and not isinstance(timeout, bool) else 0.0
        )
        deadline = time.monotonic() + timeout
        while True:
            if isinstance(offset, int) and offset < 0:
                self._updates = self._updates[offset:]
            elif isinstance(offset, int) and offset > 0:
                self._updates = [u for u in self._updates if int(u["update_id"]) >= offset]
            if self._updates:
                return copy.deepcopy(self._updates[:limit])
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._stopped:
                return []
            self._cond.wait(remaining)

    def _handle(self, method: str, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        if method == "getMe":
            return {
                **self.bot_user(),
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": True,
                "can_connect_to_business": False,
                "has_main_web_app": False,
            }
        if method == "sendMessage":
            return self._new_bot_message(params, self._text_content(params, "text"))
        if method == "sendPhoto":
            return self._new_bot_message(params, self._photo_content(params, files))
        if method == "sendDocument":
            return self._new_bot_message(params, self._document_content(params, files))
        if method == "editMessageText":
            content = self._text_content(params, "text")

            def change_text(message: JSONDict) -> None:
                message.pop("entities", None)
                message.update(content)
                self._set_markup(message, params)

            return self._edit(params, change_text)
        if method == "editMessageCaption":
            content = self._text_content(params, "caption") if "caption" in params else {}

            def change_caption(message: JSONDict) -> None:
                message.pop("caption", None)
                message.pop("caption_entities", None)
                message.update(content)
                self._set_markup(message, params)

            return self._edit(params, change_caption)
        if method == "editMessageReplyMarkup":
            return self._edit(params, lambda message: self._set_markup(message, params))
        if method == "deleteMessage":
            cid = int(self._chat_for(self._require_chat(params))["id"])
            message_id = params.get("message_id")
            if isinstance(message_id, int) and (cid, message_id) in self._messages:
                del self._messages[(cid, message_id)]
            elif self.strict:
                raise _ApiError(400, "Bad Request: message to delete not found")
            return True
        if method == "answerCallbackQuery":
            query_id = str(params.get("callback_query_id", ""))
            if self.strict and query_id not in self._callback_ids:
                raise _ApiError(
                    400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
                )
            text = params.get("text")
            if self.strict and isinstance(text, str) and len(text) > 200:
                raise _ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
            return True
        if method in ("setMyCommands", "deleteMyCommands", "getMyCommands"):
            key = (
                json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True),
                str(params.get("language_code") or ""),
            )
            if method == "setMyCommands":
                commands = params.get("commands")
                if not isinstance(commands, list):
                    raise _ApiError(400, "Bad Request: commands must be an array")
                self._commands[key] = commands
                return True
            if method == "deleteMyCommands":
                self._commands.pop(key, None)
                return True
            return copy.deepcopy(self._commands.get(key, []))
        if method == "setWebhook":
            self._webhook = {
                "url": str(params.get("url") or ""),
                "secret_token": params.get("secret_token"),
                "allowed_updates": params.get("allowed_updates"),
                "max_connections": params.get("max_connections", 40),
            }
            if params.get("drop_pending_updates") is True:
                self._updates.clear()
            return True
        if method == "deleteWebhook":
            self._webhook = {}
            if params.get("drop_pending_updates") is True:
                self._updates.clear()
            return True
        if method == "getWebhookInfo":
            info: JSONDict = {
                "url": self._webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }
            if self._webhook.get("url"):
                info["max_connections"] = self._webhook.get("max_connections", 40)
                if self._webhook.get("allowed_updates"):
                    info["allowed_updates"] = self._webhook["allowed_updates"]
            return info
        if method == "getChat":
            chat = self._chat_for(self._require_chat(params))
            return {**chat, "accent_color_id": 0, "max_reaction_count": 11}
        if method == "getFile":
            file_id = str(params.get("file_id", ""))
            if file_id not in self._files:
                raise _ApiError(400, "Bad Request: invalid file_id")
            data, path, unique = self._files[file_id]
            return {
                "file_id": file_id,
                "file_unique_id": unique,
                "file_size": len(data),
                "file_path": path,
            }
        # answerInlineQuery, sendChatAction, close, logOut and every other method
        return True

    def _photo_content(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        upload = files.get("photo")
        if (
            upload is None
            and isinstance(params.get("photo"), str)
            and params["photo"].startswith("attach://")
        ):
            upload = files.get(params["photo"][len("attach://") :])
        content: JSONDict = {}
        if upload is not None:
            width, height = _image_size(upload.content)
            stored = self._store_file(upload.content, upload.filename, upload.content_type, "photos")
            sizes = []
            if max(width, height) > 90:
                scale = 90 / max(width, height)
                thumb = self._store_file(upload.content, None, None, "photos")
                sizes.append(
                    {**thumb, "width": max(1, round(width * scale)), "height": max(1, round(height * scale))}
                )
            sizes.append({**stored, "width": width, "height": height})
            content["photo"] = sizes
        elif isinstance(params.get("photo"), str) and params["photo"]:
            ref = params["photo"]
            known = self._files.get(ref)
            size = len(known[0]) if known else 12345
            content["photo"] = [
                {
                    "file_id": ref,
                    "file_unique_id": f"FU{zlib.crc32(ref.encode()):08d}",
                    "file_size": size,
                    "width": 800,
                    "height": 600,
                }
            ]
        else:
            raise _ApiError(400, "Bad Request: there is no photo in the request")
        if params.get("caption"):
            content.update(self._text_content(params, "caption"))
        return content

    def _document_content(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        upload = files.get("document")
        doc_param = params.get("document")
        if upload is None and isinstance(doc_param, str) and doc_param.startswith("attach://"):
            upload = files.get(doc_param[len("attach://") :])
        content: JSONDict = {}
        if upload is not None:
            if self.strict and not upload.content:
                raise _ApiError(400, "Bad Request: file must be non-empty")
            content["document"] = self._store_file(
                upload.content, upload.filename, upload.content_type, "documents"
            )
        elif isinstance(doc_param, str) and doc_param:
            known = self._files.get(doc_param)
            content["document"] = {
                "file_id": doc_param,
                "file_unique_id": f"FU{zlib.crc32(doc_param.encode()):08d}",
                "file_size": len(known[0]) if known else 12345,
            }
        else:
            raise _ApiError(400, "Bad Request: there is no document in the request")
        if params.get("caption"):
            content.update(self._text_content(params, "caption"))
        return content

"""`secretariat-bot run`: the bot's HTTP server and its life from start to stop.

The server is a Starlette application on uvicorn (python-telegram-bot's custom-webhook example): in webhook mode
it receives Telegram's updates on the path of `webhook.url` and serves the operations endpoints beside it; in
polling mode it serves only those, on `ops.listen`:`ops.port`.

  POST <webhook path>  X-Telegram-Bot-Api-Secret-Token compared in constant time (403 and nothing processed
                       when wrong or missing); a body that is not an update gets 400. The update is processed
                       before the answer, so an update whose replica died is redelivered by Telegram.
  GET /healthz         200 while the process serves.
  GET /readyz          200 when the database answers, its migrations are at head and the Bot API was reached at
                       start; else 503 with a JSON body naming the failed check.
  GET /metrics         Prometheus text format (bot/metrics.py).

SIGINT and SIGTERM stop the server first (requests in flight finish), then the application.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
import socket
from collections.abc import Generator
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.error import TelegramError

from bot.config import Config
from bot.context import BotApplication
from bot.logs import redact
from bot.metrics import CONTENT_TYPE, Metrics
from bot.startup import BOT_API_REACHED, DATABASE_ERRORS, StartupError, describe, prepare, release, take_polling_lock
from storage.migrate import current_revision, head_revision

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
READY_TIMEOUT = 5.0  # seconds for the readiness probe's database read
STOP_GRACE = 30  # seconds for requests in flight when the server stops


def metrics_of(app: BotApplication) -> Metrics:
    metrics = getattr(app, "metrics", None)
    assert isinstance(metrics, Metrics), "the application was not built by bot.app.build_application"
    return metrics


async def readiness(app: BotApplication, head: str | None) -> dict[str, str]:
    """Each check's outcome: "ok", or why not (redacted: a database error may quote the URL)."""
    secrets = app.bot_data["config"].secrets()
    checks: dict[str, str] = {}
    try:
        async with asyncio.timeout(READY_TIMEOUT):
            revision = await current_revision(app.bot_data["engine"])
    except (*DATABASE_ERRORS, TimeoutError) as exc:
        checks["database"] = redact(describe(exc), secrets) if str(exc) else "no answer in time"
        checks["migrations"] = "unknown: the database did not answer"
    else:
        checks["database"] = "ok"
        checks["migrations"] = "ok" if revision == head else f"at {revision or 'none'}, head is {head}"
    checks["bot_api"] = "ok" if app.bot_data.get(BOT_API_REACHED) else "not reached at start"
    return checks


def web_application(app: BotApplication, config: Config, *, webhook: bool) -> Starlette:
    """The routes: the ops endpoints and, in webhook mode, the webhook."""
    metrics = metrics_of(app)
    head = head_revision()  # read once: the migrations shipped with this code

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "alive"})

    async def readyz(_: Request) -> Response:
        checks = await readiness(app, head)
        failed = [name for name, outcome in checks.items() if outcome != "ok"]
        return JSONResponse({"ready": not failed, "failed": failed, "checks": checks},
                            status_code=503 if failed else 200)

    async def metrics_text(_: Request) -> Response:
        runtime = app.bot_data["runtime"]
        await metrics.read_database(runtime.sessionmaker, runtime.now())
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    routes = [Route("/healthz", healthz, methods=["GET"]), Route("/readyz", readyz, methods=["GET"]),
              Route("/metrics", metrics_text, methods=["GET"])]
    if webhook:
        routes.append(Route(webhook_path(config), _webhook(app, config.webhook.secret_token.get(), metrics),
                            methods=["POST"]))
    return Starlette(routes=routes)


def webhook_path(config: Config) -> str:
    return urlsplit(config.webhook.url).path or "/"


def _webhook(app: BotApplication, secret: str, metrics: Metrics) -> Any:
    expected = secret.encode()

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            metrics.webhook_rejected.labels("forbidden").inc()
            return Response(status_code=403)
        update = _update(await request.body(), app)
        if update is None:
            metrics.webhook_rejected.labels("malformed").inc()
            log.warning("A webhook post that is not a Telegram update was refused (400)")
            return Response(status_code=400)
        # Through the application's update processor: one update at a time unless it allows more, as in polling.
        await app.update_processor.process_update(update, app.process_update(update))
        return Response()

    return receive


def _update(body: bytes, app: BotApplication) -> Update | None:
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return None
        return Update.de_json(data, app.bot)
    except Exception:  # any shape PTB cannot read: a 400, never a crash
        return None


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling (it would re-raise SIGTERM after serving): `serve` below stops
    the server and then the application."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def _server(web: Starlette) -> _Server:
    return _Server(uvicorn.Config(app=web, log_config=None, access_log=False, lifespan="off",
                                  timeout_graceful_shutdown=STOP_GRACE))


def bind(listen: str, port: int) -> socket.socket:
    """A socket bound to listen:port (it listens once the server starts)."""
    family = socket.AF_INET6 if ":" in listen else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((listen, port))
    except OSError:
        sock.close()
        raise
    return sock


def _listening_socket(config: Config, webhook: bool) -> socket.socket | None:
    """Webhook mode: the webhook's socket, or a start-up error. Polling: the ops socket, or None (a warning)."""
    listen, port = _address(config, webhook)
    if not port:  # polling with ops.port = 0
        return None
    try:
        return bind(listen, port)
    except OSError as exc:
        if webhook:
            raise StartupError(f"웹훅 서버를 {listen}:{port}에서 열 수 없습니다 — {describe(exc)}") from None
        log.warning("The ops server (/healthz, /readyz, /metrics) cannot listen on %s:%s (%s); the bot runs "
                    "without it", listen, port, describe(exc))
        return None


def _address(config: Config, webhook: bool) -> tuple[str, int]:
    return (config.webhook.listen, config.webhook.port) if webhook else (config.ops.listen, config.ops.port)


async def serve(app: BotApplication, config: Config, stop: asyncio.Event | None = None) -> None:
    """Run the bot until `stop` is set or SIGINT/SIGTERM arrives (the signals only from the main thread)."""
    stop = stop or asyncio.Event()
    webhook = config.telegram.mode == "webhook"
    with _stop_on_signals(stop):
        try:
            if not webhook:  # a second poller is refused in one line, before it tries (and warns of) the ops port
                await take_polling_lock(app, config)
            sock = _listening_socket(config, webhook)
        except BaseException:
            await release(app)
            raise
        try:
            await prepare(app, config)  # getMe and the database, each failure one line
        except BaseException:
            if sock is not None:
                sock.close()
            raise
        log.info("Starting in %s mode", config.telegram.mode)
        await _serve_prepared(app, config, sock, stop, webhook)


async def _serve_prepared(app: BotApplication, config: Config, sock: socket.socket | None, stop: asyncio.Event,
                          webhook: bool) -> None:
    server: _Server | None = None
    serving: asyncio.Task[None] | None = None
    try:
        if app.post_init:
            await app.post_init(app)
        if webhook:
            await _set_webhook(app, config)
        else:
            assert app.updater is not None
            await app.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        await app.start()
        if sock is not None:
            server = _server(web_application(app, config, webhook=webhook))
            serving = asyncio.create_task(server.serve(sockets=[sock]))
            listen, port = _address(config, webhook)
            routes = f"{webhook_path(config)} (webhook) " if webhook else ""
            log.info("Serving %s/healthz /readyz /metrics on %s:%s", routes, listen, port)
        await _until(stop, serving)
    finally:
        if server is not None and serving is not None:
            server.should_exit = True
            with contextlib.suppress(Exception):
                await serving
        if sock is not None:
            sock.close()
        await _stop_application(app)


async def _until(stop: asyncio.Event, serving: asyncio.Task[None] | None) -> None:
    """Until a stop is asked for, or the server ends by itself (an error is logged and the bot stops)."""
    waiting = asyncio.create_task(stop.wait())
    tasks: set[asyncio.Task[Any]] = {waiting} | ({serving} if serving is not None else set())
    await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    if serving is not None and serving.done() and not stop.is_set():
        error = serving.exception()
        log.error("The HTTP server stopped%s; stopping the bot", f": {describe(error)}" if error else "")


async def _set_webhook(app: BotApplication, config: Config) -> None:
    hook = config.webhook
    try:
        await app.bot.set_webhook(url=hook.url, secret_token=hook.secret_token.get(),
                                  allowed_updates=Update.ALL_TYPES)
    except TelegramError as exc:
        raise StartupError(f"텔레그램에 웹훅을 등록하지 못했습니다 (setWebhook) — {describe(exc)}") from None


async def _stop_application(app: BotApplication) -> None:
    """PTB's order (as run_polling/run_webhook): the updater, the application, then shutting down."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    if app.post_stop:
        await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown:
        await app.post_shutdown(app)


@contextlib.contextmanager
def _stop_on_signals(stop: asyncio.Event) -> Generator[None, None, None]:
    loop = asyncio.get_running_loop()
    added: list[signal.Signals] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):  # not the main thread
            loop.add_signal_handler(sig, stop.set)
            added.append(sig)
    try:
        yield
    finally:
        for sig in added:
            loop.remove_signal_handler(sig)

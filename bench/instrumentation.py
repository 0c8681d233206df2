"""What the metrics and the update trace cost per update (prints its figures; run: python bench/instrumentation.py).

Two applications side by side in one run, each with one do-nothing handler and no Bot API call: PTB's bare
Application, and bot.tracing.TracedApplication (the trace in a context variable, the handler's name, the intent
noted, the update counted and timed into prometheus-client, the failed-call wrapper around its requests). The
difference of their CPU time per update is the instrumentation's cost (the target: well under 0.1 ms). A third
adds the optional per-update JSON log line ([logging] format = "json", updates = true), written to /dev/null.
"""

from __future__ import annotations

import asyncio
import logging
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from telegram import Update  # noqa: E402
from telegram.ext import Application, ApplicationBuilder, CallbackContext, MessageHandler, filters  # noqa: E402

from bot.logs import JsonFormatter  # noqa: E402
from bot.metrics import MeteredRequest, Metrics  # noqa: E402
from bot.offline import OfflineRequest  # noqa: E402
from bot.tracing import TracedApplication, name_handlers, note_intent  # noqa: E402
from bot.updates import text_update, user_json  # noqa: E402

ROUNDS, PER_ROUND = 7, 5000


async def nothing(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
    note_intent("budget_query")


def _app(traced: bool, log_updates: bool = False) -> Application[Any, Any, Any, Any, Any, Any]:
    request = OfflineRequest()
    builder = ApplicationBuilder().token("1:bench").updater(None)
    if traced:
        metrics = Metrics()
        wrapped = MeteredRequest(request, metrics.bot_api_error)
        builder = builder.application_class(TracedApplication, {"metrics": metrics}).request(wrapped)
    else:
        builder = builder.request(request)
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, nothing))
    if isinstance(app, TracedApplication):
        name_handlers(app)
        app.log_updates = log_updates
    return app


async def _cpu_per_update(app: Application[Any, Any, Any, Any, Any, Any], updates: list[Update]) -> float:
    started = time.process_time()
    for update in updates:
        await app.process_update(update)
    return (time.process_time() - started) / len(updates)


def _json_lines_to_devnull() -> None:
    handler = logging.StreamHandler(open(os.devnull, "w"))  # noqa: SIM115 (open for the whole run)
    handler.setFormatter(JsonFormatter(("1:bench",)))
    logger = logging.getLogger("bot.updates")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


async def main() -> None:
    _json_lines_to_devnull()
    apps = {"bare": _app(False), "traced": _app(True), "traced+json": _app(True, log_updates=True)}
    for app in apps.values():
        await app.initialize()
    updates = [Update.de_json(text_update(user_json(1000 + i % 50, "직원"), "업무추진비 잔액", update_id=i + 1), None)
               for i in range(PER_ROUND)]
    figures: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(ROUNDS):  # alternated, so that the machine's noise falls on all alike
        for name, app in apps.items():
            figures[name].append(await _cpu_per_update(app, updates))
    median = {name: statistics.median(values) * 1e6 for name, values in figures.items()}
    print(f"process_update CPU per update, median of {ROUNDS} rounds of {PER_ROUND}:")
    for name, value in median.items():
        extra = f"  (+{value - median['bare']:.1f} µs)" if name != "bare" else ""
        print(f"  {name:<12} {value:7.1f} µs{extra}")
    for app in apps.values():
        await app.shutdown()


if __name__ == "__main__":
    asyncio.run(main())

"""CPU-bound work off the event loop: charts, reading and checking spreadsheets, exports (xlsx, ics).

matplotlib and openpyxl hold the GIL while they work, so a thread would still stall every other update (and the
reminder engine): ``run_cpu`` runs the function in a process pool instead — spawned (never forked from a process
with an event loop and open connections), started on first use, shut down with the application
(bot/app.py post_shutdown). Arguments and results cross by pickle: pass plain data in, get bytes or plain rows
out. An exception raised in the worker is raised again here, so callers handle it as if the call were local.

Command-line jobs (seed, import, export: no other user waits on their loop) run the work in place, inside
``with inline():``, rather than start a pool for one call.

The mode comes from SECRETARIAT_BOT_WORKERS (``process``, the default; ``thread``; ``off``, which runs the work
on the event loop, as before this module existed) or ``set_mode`` (bench/loop_block.py compares them).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, ParamSpec, TypeVar

log = logging.getLogger(__name__)

Mode = Literal["process", "thread", "off"]
MODES: tuple[Mode, ...] = ("process", "thread", "off")
ENV = "SECRETARIAT_BOT_WORKERS"
NICENESS = 10  # the workers' priority below the bot's own process: on a busy machine the loop is served first
MAX_WORKERS = 2  # one import and one chart at a time, say; the machines we run on have two cores or a few more

P = ParamSpec("P")
T = TypeVar("T")


@dataclass
class Stats:
    """What ran where (tests assert on it): calls per mode and the pid of the process that ran the last one."""

    calls: dict[str, int]
    last_pid: int | None = None
    started: int = 0  # pools started since the process began


def _env_mode() -> Mode:
    raw = os.environ.get(ENV, "process").strip().lower()
    if raw not in MODES:
        log.warning("%s=%r is not one of %s; using process", ENV, raw, ", ".join(MODES))
        return "process"
    return raw


_inline: contextvars.ContextVar[bool] = contextvars.ContextVar("inline_cpu_work", default=False)
_lock = threading.Lock()
_mode: Mode | None = None
_executor: Executor | None = None
stats = Stats(calls=dict.fromkeys(MODES, 0))


def mode() -> Mode:
    global _mode
    if _mode is None:
        _mode = _env_mode()
    return _mode


def set_mode(new: Mode) -> None:
    """Switch how ``run_cpu`` runs work (the pool of the old mode is shut down)."""
    global _mode
    if new not in MODES:
        raise ValueError(f"unknown worker mode {new!r}; one of {', '.join(MODES)}")
    shutdown()
    _mode = new


@contextmanager
def inline() -> Iterator[None]:
    """Within this block (this task and the tasks it starts), ``run_cpu`` calls the function in place."""
    token = _inline.set(True)
    try:
        yield
    finally:
        _inline.reset(token)


def reset_mode() -> None:
    """Back to the mode SECRETARIAT_BOT_WORKERS chooses."""
    set_mode(_env_mode())


def _executor_for(current: Mode) -> Executor:
    global _executor
    with _lock:
        if _executor is None:
            if current == "process":
                _executor = ProcessPoolExecutor(MAX_WORKERS, mp_context=multiprocessing.get_context("spawn"),
                                                initializer=_lower_priority)
            else:
                _executor = ThreadPoolExecutor(MAX_WORKERS, thread_name_prefix="cpu")
            stats.started += 1
        return _executor


def _lower_priority() -> None:
    """A worker yields the CPU to the process that answers users (it runs batch work: a chart, a file)."""
    with contextlib.suppress(OSError):
        os.nice(NICENESS)


def _traced(func: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[T, int]:
    return func(*args, **kwargs), os.getpid()


async def run_cpu(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``func(*args, **kwargs)`` in the worker pool, awaited without blocking the loop. ``func`` must be a
    module-level function and its arguments and result picklable (in process mode)."""
    current: Mode = "off" if _inline.get() else mode()
    stats.calls[current] += 1
    if current == "off":
        stats.last_pid = os.getpid()
        return func(*args, **kwargs)
    executor = _executor_for(current)
    call = functools.partial(_traced, func, *args, **kwargs)
    try:
        result, stats.last_pid = await asyncio.get_running_loop().run_in_executor(executor, call)
    except BrokenProcessPool:
        # A worker died (killed, out of memory): drop the pool so the next call starts a fresh one, and let the
        # error handler answer this update with its usual message.
        log.error("a worker process died; the pool is restarted on the next call")
        _discard(executor)
        raise
    return result


def _discard(executor: Executor) -> None:
    global _executor
    with _lock:
        if _executor is executor:
            _executor = None
    executor.shutdown(wait=False, cancel_futures=True)


def shutdown() -> None:
    """Stop the pool (waits for running work; queued work is cancelled). The next ``run_cpu`` starts a new one."""
    global _executor
    with _lock:
        executor, _executor = _executor, None
    if executor is not None:
        executor.shutdown(wait=True, cancel_futures=True)


def running() -> bool:
    return _executor is not None

"""Small helpers the tests share: the CLI as a user runs it, and spreadsheets built in memory."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import openpyxl

T = TypeVar("T")


def run_cli(cwd: Path, *args: str, input: str | None = None, env: Mapping[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in `cwd` with a bare environment (no config or token of ours leaks in)."""
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd)}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env={**base, **(env or {})}, input=input,
                          capture_output=True, text=True, timeout=timeout)


def when_listening(call: Callable[[], T], timeout: float = 15) -> T:
    """`call()`, retried while it fails to connect: a server that is starting up does not listen yet."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return call()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def http_get(url: str) -> tuple[int, str]:
    """GET through no proxy, retried while the server is not listening yet."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def get() -> tuple[int, str]:
        try:
            with opener.open(url, timeout=10) as response:
                return int(response.status), response.read().decode()
        except urllib.error.HTTPError as exc:
            return int(exc.code), exc.read().decode()

    return when_listening(get)


def xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

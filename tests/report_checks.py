"""What the tests of the work report in chat and of the monthly push check a sent document against: the file the
renderers make (bot.report.render) of the same report, whatever state each renderer is in."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from typing import Any

import pytest

from bot.offline import ApiCall
from bot.report import Format, file_name, render
from bot.services.work_report import work_report_for

# Written anew by openpyxl at every save (its 'modified' time): the one part of a file that may differ between two
# renders of the same report.
VOLATILE = frozenset({"docProps/core.xml"})


def freeze(monkeypatch: pytest.MonkeyPatch, harness: Any, instant: datetime) -> None:
    """Stop the harness's clock at `instant`: the report's 'generated at' (and the PDF's creation date) is then the
    same in the bot's file and in the one the test renders."""
    harness.clock.set(instant)
    monkeypatch.setattr(harness.clock, "now", lambda: instant)


def rendered(report: Any, fmt: Format) -> bytes | None:
    """The file bot.report makes of `report`, or None while that format's renderer is not written."""
    try:
        return render(report, fmt)
    except NotImplementedError:
        return None


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist() if name not in VOLATILE}


def same_file(sent: bytes, expected: bytes) -> bool:
    """The same document: byte for byte, or for a ZIP package (xlsx, hwpx) the same parts in the same order."""
    if expected.startswith(b"PK") and sent.startswith(b"PK"):
        return list(_parts(sent).items()) == list(_parts(expected).items())
    return sent == expected


async def expected_document(harness: Any, as_of: date, period: tuple[date, date] | None, fmt: Format
                            ) -> tuple[str, bytes | None]:
    """The file name and bytes of the report the bot should have sent (None: the format is not written yet)."""
    report = await work_report_for(harness.runtime, as_of, period)
    return file_name(report, fmt), rendered(report, fmt)


async def join(h: Any, user_id: int, admin_id: int) -> None:
    """`user_id` joins the roster as staff through the admin's invite link."""
    text = next(str(c.params.get("text", "")) for c in await h.send(admin_id, "/invite") if c.method == "sendMessage")
    await h.send(user_id, f"/start {text.split('?start=')[1].split()[0]}")


def documents(calls: list[ApiCall], chat_id: int | None = None) -> list[ApiCall]:
    return [c for c in calls if c.method == "sendDocument"
            and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)]

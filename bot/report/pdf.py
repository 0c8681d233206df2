"""The work report as an A4 PDF (to be written)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.services.work_report import WorkReport


def render(report: WorkReport) -> bytes:
    raise NotImplementedError("PDF rendering of the work report is not written yet")

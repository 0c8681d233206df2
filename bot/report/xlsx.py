"""The work report as an .xlsx workbook, one sheet per section (to be written)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.services.work_report import WorkReport


def render(report: WorkReport) -> bytes:
    raise NotImplementedError("XLSX rendering of the work report is not written yet")

"""The work report as an .hwpx document (한글), the format Korean public offices work in (to be written)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.services.work_report import WorkReport


def render(report: WorkReport) -> bytes:
    raise NotImplementedError("HWPX rendering of the work report is not written yet")

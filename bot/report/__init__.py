"""Renderers of the work report (bot.services.work_report.WorkReport): PDF, XLSX and HWPX bytes.

Rendering is CPU work: the chat and the monthly push call :func:`render_in_worker`, which runs :func:`render` in
the worker pool (bot/workers.run_cpu) so the event loop keeps answering everyone; the CLI may call :func:`render`
directly. Each format lives in its own module, loaded on first use; shared Korean formatting is in
bot/report/korean.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, get_args

from bot.workers import run_cpu

if TYPE_CHECKING:
    from bot.services.work_report import WorkReport

Format = Literal["pdf", "xlsx", "hwpx"]
FORMATS: tuple[Format, ...] = get_args(Format)
MEDIA_TYPES: dict[Format, str] = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "hwpx": "application/hwp+zip",
}


def render(report: WorkReport, fmt: Format) -> bytes:
    """The report as a file of that format."""
    if fmt == "pdf":
        from bot.report import pdf

        return pdf.render(report)
    if fmt == "xlsx":
        from bot.report import xlsx

        return xlsx.render(report)
    if fmt == "hwpx":
        from bot.report import hwpx

        return hwpx.render(report)
    raise ValueError(f"unknown report format: {fmt!r}")


async def render_in_worker(report: WorkReport, fmt: Format) -> bytes:
    """:func:`render` in the worker pool (the report is a frozen tree of plain values: it pickles)."""
    return await run_cpu(render, report, fmt)


def file_name(report: WorkReport, fmt: Format) -> str:
    """주요업무보고_2018-07-20.pdf"""
    return f"주요업무보고_{report.as_of.isoformat()}.{fmt}"

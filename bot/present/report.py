"""What the chat says around the work report: the document's caption, the monthly push's caption (marked when it
comes late), the /report on|off|상태 answers and the refusals."""

from __future__ import annotations

from datetime import date, datetime, time

from bot.lang.datefmt import format_day
from bot.lang.report_words import FORMAT_NAMES

TITLE = "주요업무 보고"
NOT_ALLOWED = "주요업무 보고서는 관리자만 받을 수 있습니다. 필요하면 관리자에게 요청해 주세요."
PUSH_ADMINS_ONLY = ("월간 보고서 자동 발송은 관리자에게만 갑니다. 보고서가 필요하면 /report 로 받거나 관리자에게 "
                    "요청해 주세요.")


def caption(as_of: date, now: datetime) -> str:
    """주요업무 보고 — 7.20.(금) 기준"""
    return f"{TITLE} — {format_day(as_of, now)} 기준"


def monthly_caption(first: date, last: date, now: datetime, due: time, late: bool) -> str:
    """The monthly push's caption: the month, its last day as the as-of date, how to stop it; a push queued late
    (every process was down at its time) says so."""
    lines = [f"📄 {first.month}월 {caption(last, now)}"]
    if late:
        lines.append(f"(늦게 보내는 보고서 — {format_day(now.date(), now)} {due:%H:%M} 예정이었음)")
    lines.append("매월 첫 근무일에 지난달 보고서를 보내 드립니다. 그만 받으려면 /report off")
    return "\n".join(lines)


def push_failed(text: str, as_of: date | None) -> str:
    """The monthly push whose file could not be made: the caption and what to type instead."""
    command = f"/report {as_of.isoformat()}" if as_of else "/report 와 기준일(예: /report 2018-07-31)"
    return f"{text}\n⚠️ 보고서 파일을 만들지 못했습니다. {command} 로 다시 받아 보세요."


def format_unavailable(fmt: str) -> str:
    return (f"{FORMAT_NAMES.get(fmt, fmt)} 형식의 보고서는 아직 만들 수 없습니다. 다른 형식으로 요청해 주세요. "
            "예: /report (PDF) · /report xlsx · /report hwpx")


def push_text(on: bool, changed: bool, monthly: bool, at: time) -> str:
    """The answer to /report on, /report off (changed) or /report 상태."""
    when = f"매월 첫 근무일(주말·공휴일이면 그다음 근무일) {at:%H:%M}"
    if on:
        head = "월간 보고서 자동 발송을 켰습니다." if changed else "월간 보고서 자동 발송: 켜짐."
        text = f"{head} {when}에 지난달 주요업무 보고서(PDF)를 보내 드립니다. 끄려면 /report off"
    else:
        head = "월간 보고서 자동 발송을 껐습니다." if changed else "월간 보고서 자동 발송: 꺼짐."
        text = f"{head} 다시 받으려면 /report on"
    if on and not monthly:
        text += "\n다만 지금은 설정(report.monthly = false)에서 월간 발송이 꺼져 있어 보내지 않습니다."
    return text

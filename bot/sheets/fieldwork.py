"""Field visits or meetings as a spreadsheet: one sheet of records, one of their follow-ups.

Sheet '현장방문' (or '간담회·면담'): one row per record, the time in local time ('yyyy-mm-dd hh:mm', or the date
alone when only the day is known). Sheet '후속조치': one row per follow-up, with the number of its record. The
title goes into the workbook's properties (파일 정보 > 제목), so each sheet starts with its header row.
Pure: the records come in as anything with the attributes of the views below (storage's models have them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import tzinfo
from typing import Any, Literal, cast, overload

from bot.domain.fieldwork import FollowUpView, MeetingView, RecordView, VisitView
from bot.sheets.common import DAY, Writer

MINUTE = "yyyy-mm-dd hh:mm"
RECORD_SHEETS = {"visit": "현장방문", "meeting": "간담회·면담"}
FOLLOW_UP_SHEET = "후속조치"
BRIEFING = {"pending": "예정", "done": "완료", "n/a": "해당 없음"}  # Visit.council_briefing
SEPARATOR = ", "

_COMMON = ("번호", "일시", "구분")
_VISIT_COLUMNS = (*_COMMON, "장소", "자치구", "분류", "목적", "참석자", "시의원 사전설명", "초청 시의원", "메모",
                  "사진 수")
_VISIT_WIDTHS = (7, 17, 7, 24, 10, 14, 36, 28, 14, 20, 30, 8)
_MEETING_COLUMNS = (*_COMMON, "유형", "상대", "참석자", "안건", "결과", "메모")
_MEETING_WIDTHS = (7, 17, 7, 24, 24, 28, 36, 36, 30)
_FOLLOW_UP_COLUMNS = ("번호", "기록 번호", "할 일", "담당", "기한", "완료")
_FOLLOW_UP_WIDTHS = (7, 10, 44, 14, 12, 7)


@overload
def records_workbook(kind: Literal["visit"], records: Sequence[VisitView], follow_ups: Sequence[FollowUpView],
                     tz: tzinfo, title: str) -> bytes: ...


@overload
def records_workbook(kind: Literal["meeting"], records: Sequence[MeetingView], follow_ups: Sequence[FollowUpView],
                     tz: tzinfo, title: str) -> bytes: ...


def records_workbook(kind: Literal["visit", "meeting"], records: Sequence[RecordView],
                     follow_ups: Sequence[FollowUpView], tz: tzinfo, title: str) -> bytes:
    """The export: the records (visits or meetings, by ``kind``) in their order, then their follow-ups."""
    writer = Writer()
    writer.book.properties.title = title
    columns, widths = (_VISIT_COLUMNS, _VISIT_WIDTHS) if kind == "visit" else (_MEETING_COLUMNS, _MEETING_WIDTHS)
    details: Callable[[Any], list[Any]] = _visit_details if kind == "visit" else _meeting_details
    sheet = writer.sheet(RECORD_SHEETS[kind], widths, freeze="C2")
    writer.header(sheet, columns)
    for record in records:
        sheet.append([record.id, _when(writer, sheet, record, tz), "예정" if record.planned else "완료",
                      *details(record)])
    _follow_up_sheet(writer, kind, follow_ups)
    return writer.save()


def _when(writer: Writer, sheet: Any, record: RecordView, tz: tzinfo) -> Any:
    """Local time without a zone (Excel has none); the date alone when only the day is known."""
    local = record.when_at.astimezone(tz).replace(tzinfo=None)
    if record.precision == "day":
        return writer.cell(sheet, local.date(), DAY)
    return writer.cell(sheet, local, MINUTE)


def _joined(names: Sequence[str]) -> str:
    return SEPARATOR.join(names)


def _visit_details(record: RecordView) -> list[Any]:
    visit = cast(VisitView, record)
    briefing = BRIEFING.get(visit.council_briefing, visit.council_briefing) if visit.council_briefing else ""
    return [visit.place, visit.district, visit.category, visit.purpose, _joined(visit.participants), briefing,
            _joined(visit.council_invited), visit.notes, len(visit.photos)]


def _meeting_details(record: RecordView) -> list[Any]:
    meeting = cast(MeetingView, record)
    return [meeting.meeting_type, meeting.counterpart, _joined(meeting.attendees), meeting.agenda, meeting.outcome,
            meeting.notes]


def _follow_up_sheet(writer: Writer, kind: Literal["visit", "meeting"], follow_ups: Sequence[FollowUpView]) -> None:
    sheet = writer.sheet(FOLLOW_UP_SHEET, _FOLLOW_UP_WIDTHS, freeze="A2")
    writer.header(sheet, _FOLLOW_UP_COLUMNS)
    for item in follow_ups:
        record_id = item.visit_id if kind == "visit" else item.meeting_id
        due = writer.cell(sheet, item.due, DAY) if item.due is not None else None
        sheet.append([item.id, record_id, item.what, item.owner, due, "예" if item.done else "아니오"])

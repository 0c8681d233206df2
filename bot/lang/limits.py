"""How long each free-text field may be: one limit a field, checked at the edge (chat, forms, imports) before
anything is written, the same on SQLite (which would store anything) and PostgreSQL (which would refuse with
"value too long"). Every limit is at most its database column's size (tests/test_limits.py checks them against
storage/models.py), and short enough that a card or an echo that shows the field stays one Telegram message."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.lang.textutil import topic


@dataclass(frozen=True)
class FieldLimit:
    label: str  # the field's Korean name, as the message names it
    chars: int
    columns: tuple[str, ...] = ()  # "Model.attribute" of the columns it is stored in


FIELD_LIMITS: Mapping[str, FieldLimit] = {
    # events and reminders
    "event_title": FieldLimit("일정 제목", 200, ("Event.title",)),
    "event_place": FieldLimit("장소", 200, ("Event.place",)),
    "event_note": FieldLimit("메모", 2000, ("Event.note",)),
    "reminder_text": FieldLimit("알림 내용", 500, ("Reminder.text", "RecurringRule.text")),
    # budget
    "spend_purpose": FieldLimit("내용", 500, ("SpendingEntry.purpose",)),
    "spend_note": FieldLimit("비고", 1000, ("SpendingEntry.note",)),
    # pledges
    "pledge_area": FieldLimit("분야 이름", 100, ("PledgeArea.name",)),
    "pledge_title": FieldLimit("제목", 300, ("CorePledge.title", "SubProject.title", "Milestone.title")),
    "pledge_department": FieldLimit("담당 부서", 100, ("SubProject.department",)),
    "pledge_reason": FieldLimit("상태 사유", 500, ("PledgeNote.text",)),
    "pledge_note": FieldLimit("메모", 1000, ("PledgeNote.text",)),
    "pledge_grade": FieldLimit("자체평가 등급", 16, ("Evaluation.grade",)),
    "pledge_comment": FieldLimit("자체평가 의견", 1000, ("Evaluation.comment",)),
    # visits and meetings
    "field_place": FieldLimit("장소", 200, ("Visit.place",)),
    "field_counterpart": FieldLimit("상대", 200, ("Meeting.counterpart",)),
    "field_purpose": FieldLimit("목적", 1000, ("Visit.purpose",)),
    "field_agenda": FieldLimit("안건", 2000, ("Meeting.agenda",)),
    "field_outcome": FieldLimit("결과", 2000, ("Meeting.outcome",)),
    "field_notes": FieldLimit("메모", 2000, ("Visit.notes", "Meeting.notes")),
    "followup_what": FieldLimit("후속조치", 500, ("FollowUp.what",)),
    "followup_owner": FieldLimit("담당", 100, ("FollowUp.owner",)),
    "place_name": FieldLimit("장소 이름", 100, ("Place.name",)),
    # facts
    "fact_topic": FieldLimit("주제", 200, ("Fact.topic",)),
    "fact_answer": FieldLimit("답변", 3500, ("Fact.answer", "FactHistory.answer")),
    "fact_source": FieldLimit("출처", 200, ("Fact.source", "FactHistory.source")),
    "fact_questions": FieldLimit("질문어", 500),
    # the council members' directory
    "council_name": FieldLimit("이름", 50, ("CouncilMember.name",)),
    "council_committee": FieldLimit("소속 위원회", 100, ("CouncilMember.committee",)),
    "council_party": FieldLimit("정당", 50, ("CouncilMember.party",)),
}

NUL = "\x00"
NUL_PROBLEM = "보낼 수 없는 문자(NUL, \\x00)가 들어 있습니다. 그 문자를 지우고 다시 보내 주세요."


def limit(field: str) -> int:
    return FIELD_LIMITS[field].chars


def field_problem(field: str, value: str | None) -> str | None:
    """The Korean reason `value` cannot be stored as `field`, or None when it can (None and "" can)."""
    if not value:
        return None
    spec = FIELD_LIMITS[field]
    if NUL in value:
        return f"{spec.label}에 {NUL_PROBLEM}"
    if len(value) > spec.chars:
        return f"{topic(spec.label)} {spec.chars:,}자까지 입력할 수 있습니다 (지금 {len(value):,}자)."
    return None


def fields_problem(values: Mapping[str, str | None]) -> str | None:
    """The first problem among several fields (field name → value), or None."""
    return next((p for name, value in values.items() if (p := field_problem(name, value))), None)

"""Visits, meetings and follow-ups in Korean for a phone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from bot.domain.fieldwork import FollowUpView
from bot.domain.pledges import Page, shorten
from bot.lang.datefmt import format_day

BRIEFING_STATE = {"pending": "예정", "done": "완료", "n/a": "해당 없음"}


class TallyView(Protocol):
    @property
    def by_district(self) -> dict[str, int]: ...
    @property
    def by_category(self) -> dict[str, int]: ...
    @property
    def total(self) -> int: ...


def when_text(start: datetime, precision: str, now: datetime) -> str:
    local = start.astimezone(now.tzinfo)
    day = format_day(local.date(), now)
    return day if precision == "day" else f"{day} {local:%H:%M}"


def follow_up_line(item: FollowUpView, now: datetime) -> str:
    due = f", {format_day(item.due, now)}까지" if item.due else ""
    owner = f" ({item.owner}{due})" if item.owner else (f" ({due[2:]})" if due else "")
    return f"{'☑' if item.done else '☐'} {item.what}{owner}"


def _lines(pairs: Sequence[tuple[str, Any]]) -> list[str]:
    out = []
    for label, value in pairs:
        if isinstance(value, list | tuple):
            value = ", ".join(value)
        if value:
            out.append(f"{label}: {value}")
    return out


def echo(draft: dict[str, Any], members: Sequence[str], briefing_days: int, now: datetime) -> str:
    start = datetime.fromisoformat(draft["start"])
    planned = start > now and bool(draft.get("planned", True))  # not a done report at a later hour today
    state = "예정" if planned else "완료"
    visit = draft["kind"] == "visit"
    head = f"{'현장방문' if visit else '간담회·면담'} 기록 — 맞나요?"
    where = " ".join(x for x in (draft.get("place"), f"({draft['district']})" if draft.get("district") else "") if x)
    rows: list[tuple[str, Any]] = [("일시", f"{when_text(start, draft['precision'], now)} ({state})")]
    if visit:
        rows += [("장소", where), ("분류", draft["category"]), ("목적", draft.get("purpose"))]
    else:
        rows += [("유형", draft["type"]), ("상대", draft.get("counterpart")), ("안건", draft.get("agenda")),
                 ("결과", draft.get("outcome"))]
    rows += [("참석", draft["participants"]), ("메모", draft.get("notes"))]
    lines = [head, *_lines(rows)]
    for what, due, owner in draft["follow_ups"]:
        due_text = f", {format_day(date.fromisoformat(due), now)}까지" if due else ""
        lines.append(f"후속조치: {what}" + (f" ({owner}{due_text})" if owner else f" ({due_text[2:]})" if due else ""))
    if draft["photos"]:
        lines.append(f"사진 {len(draft['photos'])}장")
    if visit and planned and draft.get("district"):
        if members:
            day = start.astimezone(now.tzinfo).date() - timedelta(days=briefing_days)
            lines.append(f"방문 {briefing_days}일 전({format_day(day, now)} 09:00)에 {draft['district']} 시의원 "
                         f"{', '.join(members)}에게 사전 설명·초청하도록 알려 드립니다.")
        else:
            lines.append(f"시의원 명단에 {draft['district']} 의원이 없어 사전 설명 알림은 만들지 않습니다.")
    return "\n".join(lines)


def saved_visit(visit: Any, follow_ups: Sequence[FollowUpView], members: Sequence[str], briefing_days: int,
                now: datetime) -> str:
    text = f"현장방문을 기록했습니다 (#{visit.id}): {when_text(visit.when_at, visit.precision, now)} " + " ".join(
        x for x in (visit.district, visit.place, visit.category) if x)
    if members:
        text += f"\n🏛 방문 {briefing_days}일 전 시의원 사전 설명·초청 알림: {', '.join(members)}"
    if follow_ups:
        text += "\n" + "\n".join(follow_up_line(f, now) for f in follow_ups)
    return text


def saved_meeting(meeting: Any, follow_ups: Sequence[FollowUpView], now: datetime) -> str:
    who = f" — {meeting.counterpart}" if meeting.counterpart else ""
    text = f"간담회·면담을 기록했습니다 (#{meeting.id}): {when_text(meeting.when_at, meeting.precision, now)} " \
           f"{meeting.meeting_type}{who}"
    if follow_ups:
        text += "\n" + "\n".join(follow_up_line(f, now) for f in follow_ups)
    return text


def period(start: datetime, end: datetime, now: datetime) -> str:
    last = (end - timedelta(days=1)).date()
    if end - start > timedelta(days=3650):
        return "전체"
    return f"{format_day(start.date(), now)}~{format_day(last, now)}"


def record_list(title: str, labels: Sequence[str], page: Page) -> str:
    body = "\n".join(f"{page.offset + i + 1}. {shorten(label)}" for i, label in enumerate(labels))
    return f"{title}{page.label()}\n{body or '기록이 없습니다.'}"


def follow_up_list(items: Sequence[FollowUpView], now: datetime) -> str:
    if not items:
        return "미완료 후속조치가 없습니다."
    late = sum(1 for i in items if i.due and i.due < now.date())
    head = f"미완료 후속조치 {len(items)}건" + (f" (기한 지난 것 {late}건)" if late else "")
    return "\n".join([head, *(follow_up_line(i, now) for i in items)])


def visit_card(visit: Any, follow_ups: Sequence[FollowUpView], now: datetime) -> str:
    briefing = BRIEFING_STATE.get(visit.council_briefing or "", "")
    invited = f" ({', '.join(visit.council_invited)})" if visit.council_invited else ""
    lines = [f"🚶 현장방문 #{visit.id} — {'예정' if visit.planned else '완료'}", *_lines([
        ("일시", when_text(visit.when_at, visit.precision, now)), ("장소", visit.place), ("자치구", visit.district),
        ("분류", visit.category), ("목적", visit.purpose), ("참석", visit.participants),
        ("시의원 사전 설명·초청", briefing + invited if briefing else ""), ("메모", visit.notes),
        ("사진", f"{len(visit.photos)}장" if visit.photos else "")])]
    lines += [follow_up_line(f, now) for f in follow_ups]
    return "\n".join(lines)


def meeting_card(meeting: Any, follow_ups: Sequence[FollowUpView], now: datetime) -> str:
    lines = [f"🤝 {meeting.meeting_type} #{meeting.id} — {'예정' if meeting.planned else '완료'}", *_lines([
        ("일시", when_text(meeting.when_at, meeting.precision, now)), ("상대", meeting.counterpart),
        ("참석", meeting.attendees), ("안건", meeting.agenda), ("결과", meeting.outcome), ("메모", meeting.notes),
        ("사진", f"{len(meeting.photos)}장" if meeting.photos else "")])]
    lines += [follow_up_line(f, now) for f in follow_ups]
    return "\n".join(lines)


def stats_text(year: int, tally: TallyView, districts: Sequence[str], now: datetime) -> str:
    visited = [f"{d} {tally.by_district[d]}" for d in districts if tally.by_district.get(d)]
    missing = [d for d in districts if not tally.by_district.get(d)]
    categories = [f"{c} {n}" for c, n in sorted(tally.by_category.items(), key=lambda x: -x[1])]
    return "\n".join([
        f"📊 {year}년 현장방문 {tally.total}건 ({format_day(now.date(), now)} 기준)",
        "자치구별: " + (", ".join(visited) or "없음"),
        f"아직 방문하지 않은 자치구 {len(missing)}곳: " + (", ".join(missing) or "없음"),
        "분류별: " + (", ".join(categories) or "없음"),
    ])

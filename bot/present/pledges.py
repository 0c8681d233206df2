"""Pledges in Korean for a phone: the dashboard beside the reported totals, lists, the sub-project card."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.domain.pledges import AXES, Dashboard, Page, Reported, Tally, shorten
from bot.lang.datefmt import format_day
from bot.present.budget import k

NO_DETAIL = ("\n세부 자료는 아직 없습니다. 관리자가 공약 파일을 가져오면(/pledges template 양식) "
             "상태·진행률·예산을 보여 드립니다.")


class SubView(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def department(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def progress(self) -> int: ...
    @property
    def budget_year(self) -> int | None: ...
    @property
    def budget_planned(self) -> int: ...
    @property
    def budget_secured(self) -> int: ...
    @property
    def budget_spent(self) -> int: ...


class NoteView(Protocol):
    @property
    def at(self) -> datetime: ...
    @property
    def kind(self) -> str: ...
    @property
    def before(self) -> str | None: ...
    @property
    def after(self) -> str | None: ...
    @property
    def text(self) -> str | None: ...


def counts(reported: Reported) -> str:
    return f"{reported.areas}개 분야, 핵심공약 {reported.core_pledges}개, 세부사업 {reported.sub_projects}개"


def _statuses(tally: Tally, order: Sequence[str]) -> str:
    return " · ".join(f"{s} {tally.by_status.get(s, 0)}" for s in order if tally.by_status.get(s))


def _budget(tally: Tally) -> str:
    rate = f" (집행률 {tally.spent / tally.secured * 100:.1f}%)" if tally.secured else ""
    return f"예산 확보 {k(tally.secured)}천원 / 집행 {k(tally.spent)}천원{rate}"


def dashboard_text(board: Dashboard, statuses: Sequence[str], as_of_label: str) -> str:
    lines = ["📋 민선7기 공약 현황"]
    whole = board.reported_scope("전체")
    if whole:
        lines.append(f"{as_of_label} 기준 보고 수치: {counts(whole)}")
    for axis in AXES:
        reported = board.reported_scope(axis)
        if reported:
            example = f" ({reported.examples[0]} 등)" if reported.examples else ""
            lines.append(f" · {axis}별{example}: {counts(reported)}")
    if not board.imported:
        lines.append(NO_DETAIL)
        return "\n".join(lines)
    total = board.total
    lines.append(f"\n가져온 세부사업 {total.sub_projects}개" + _gap(total.sub_projects, whole))
    lines.append(f"상태: {_statuses(total, statuses)}")
    lines.append(f"평균 진행률 {total.average_progress:.1f}%")
    lines.append(_budget(total))
    for axis in AXES:
        tally = board.by_axis.get(axis)
        if tally and tally.sub_projects:
            lines.append(f"{axis}별: 세부사업 {tally.sub_projects}개, 평균 진행률 {tally.average_progress:.1f}%")
    return "\n".join(lines)


def _gap(imported: int, whole: object) -> str:
    reported = getattr(whole, "sub_projects", None)
    if reported is None or reported == imported:
        return " (보고 수치와 같음)"
    return f" (보고 수치 {reported}개 중 {imported}개{'' if imported < reported else ', 보고 수치보다 많음'})"


def axis_text(axis: str, board: Dashboard, areas: Sequence[tuple[int, str]]) -> str:
    reported = board.reported_scope(axis)
    head = f"📂 {axis}별 공약"
    if reported:
        head += f" — 보고 수치 {counts(reported)}"
    lines = [head]
    for area_id, name in areas:
        tally = board.by_area.get(area_id, ("", name, Tally()))[2]
        lines.append(f"• {name}: 세부사업 {tally.sub_projects}개, 평균 진행률 {tally.average_progress:.1f}%")
    if not areas:
        lines.append("가져온 세부 자료가 없습니다.")
    return "\n".join(lines)


def list_text(title: str, items: Sequence[str], page: Page) -> str:
    body = "\n".join(f"{page.offset + i + 1}. {shorten(item)}" for i, item in enumerate(items)) or "(없음)"
    return f"{title}{page.label()}\n{body}"


def sub_line(sub: SubView) -> str:
    return f"[{sub.code}] {shorten(sub.title, 90)} — {sub.status} {sub.progress}%"


def card_text(sub: SubView, pledge_title: str, area: str, milestones: Sequence[tuple[str, object]],
              notes: Sequence[NoteView], now: datetime) -> str:
    year = f"{sub.budget_year}년 " if sub.budget_year else ""
    lines = [
        f"📄 [{sub.code}] {sub.title}",
        f"분야: {area} · 핵심공약: {shorten(pledge_title, 80)}",
        f"담당: {sub.department}",
        f"상태: {sub.status} · 진행률 {sub.progress}%",
        f"{year}예산: 계획 {k(sub.budget_planned)} / 확보 {k(sub.budget_secured)} / 집행 {k(sub.budget_spent)} (천원)",
    ]
    if milestones:
        lines.append("마일스톤: " + ", ".join(f"{title} {format_day(due, now)}" for title, due in milestones))  # type: ignore[arg-type]
    if notes:
        lines.append("최근 이력:")
        lines += [f" · {format_day(n.at.astimezone(now.tzinfo).date(), now)} {_note(n)}" for n in notes]
    lines.append("업데이트: '진행률 45%', '상태 지연 — 사유', '메모 …' 로 입력하세요.")
    return "\n".join(lines)


def _note(note: NoteView) -> str:
    change = f"{note.before} → {note.after}" if note.before and note.after else (note.after or "")
    label = {"progress": "진행률", "status": "상태", "note": "메모", "import": "가져오기", "evaluation": "자체평가"}
    text = f" ({note.text})" if note.text and note.kind != "import" else ""
    return f"{label.get(note.kind, note.kind)} {change}{text}".strip()

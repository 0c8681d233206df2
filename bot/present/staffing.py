"""The staffing table (인력 현황) laid out for a phone screen."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import groupby
from typing import Protocol


class StaffingLine(Protocol):
    as_of: date
    category: str
    grade: str
    authorized: int
    filled: int
    source: str


def _gap(authorized: int, filled: int) -> str:
    if filled == authorized:
        return ""
    return f" ({filled - authorized:+d})"


def staffing_table(rows: Sequence[StaffingLine], *, with_source: bool = True) -> str:
    if not rows:
        return "등록된 인력 현황이 없습니다. 관리자가 'secretariat-bot seed'로 보고서 자료를 불러올 수 있습니다."
    first = rows[0]
    authorized = sum(r.authorized for r in rows)
    filled = sum(r.filled for r in rows)
    lines = [
        f"인력 현황 ('{first.as_of:%y}.{first.as_of.month}.{first.as_of.day}. 기준, 단위: 명)",
        f"총계: 정원 {authorized} / 현원 {filled}{_gap(authorized, filled)}",
    ]
    for category, group in groupby(rows, key=lambda r: r.category):
        members = list(group)
        cat_auth = sum(r.authorized for r in members)
        cat_filled = sum(r.filled for r in members)
        lines.append(f"\n{category}: 정원 {cat_auth} / 현원 {cat_filled}{_gap(cat_auth, cat_filled)}")
        lines += [f" · {r.grade}: {r.authorized} / {r.filled}{_gap(r.authorized, r.filled)}" for r in members]
    lines.append(f"\n(정원 / 현원) 출처: {first.source}" if with_source else "\n(정원 / 현원)")
    return "\n".join(lines)

"""The budget in Korean for a phone screen: figures in 천원 as the report writes them, words where they help."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.domain.budget import BudgetRow, MonthPoint, Pace, Summary, day_problem, pace
from bot.lang.datefmt import format_day
from bot.lang.moneyfmt import format_won_words

UNIT_NOTE = "(단위: 천원 · 예산 / 집행 / 잔액, 집행률)"


def k(won: int) -> str:
    """Won as the report's 천원 figure: 118,575."""
    return f"{round(won / 1000):,}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _pace_words(points: float) -> str:
    if abs(points) < 0.05:
        return "계획대로"
    return f"{abs(points):.1f}%p {'빠름' if points > 0 else '느림'}"


def _row(row: BudgetRow) -> str:
    return f"{k(row.budget or 0)} / {k(row.spent)} / {k(row.left or 0)} ({percent(row.rate)})"


def _basis(summary: Summary) -> str:
    opening = f"{summary.opening_date.month}.{summary.opening_date.day}."
    return f"출처: {summary.source} ({opening} 기준) + 이후 기록 {summary.logged_payments}건"


def summary_text(summary: Summary, now: datetime) -> str:
    total = summary.total
    overall = pace(total.budget or 0, total.spent, summary.as_of)
    lines = [
        f"💰 {summary.year}년 시장 업무추진비 — {format_day(summary.as_of, now)} 기준",
        UNIT_NOTE,
        f"계: {_row(total)}, {total.payments}건",
        *(f"{row.name}: {_row(row)}" for row in summary.lines),
        f"잔액 합계 {format_won_words(total.left or 0)}",
        f"진도: 연간 경과 {overall.share_of_year * 100:.1f}% 대비 {_pace_words(overall.points)}"
        f" · 연말 예상 집행 {k(overall.projection)}천원",
        _basis(summary),
    ]
    return "\n".join(lines)


def fields_text(summary: Summary, now: datetime) -> str:
    rows = [f"{row.name}: {k(row.spent)} ({row.payments or 0}건)" for row in summary.fields]
    total = summary.total
    return "\n".join([
        f"📂 분야별 집행 — {format_day(summary.as_of, now)} 기준 (단위: 천원)",
        *rows,
        f"계: {k(total.spent)} ({total.payments or 0}건)",
        _basis(summary),
    ])


def line_text(summary: Summary, line_id: int, purpose: str, now: datetime) -> str:
    row = next(r for r in summary.lines if r.key == line_id)
    budget = row.budget or 0
    line_pace = pace(budget, row.spent, summary.as_of)
    lasting = (f"지금 속도로 잔액이 {line_pace.days_left:,}일 더 갑니다" if line_pace.days_left is not None
               else "아직 집행이 없습니다")
    return "\n".join([
        f"📌 {row.name} — {format_day(summary.as_of, now)} 기준",
        f"용도: {purpose}",
        f"예산 {k(budget)}천원 / 집행 {k(row.spent)}천원 / 잔액 {k(row.left or 0)}천원",
        f"잔액 {format_won_words(row.left or 0)}",
        f"집행률 {percent(row.rate)} (연간 경과 {line_pace.share_of_year * 100:.1f}%, {_pace_words(line_pace.points)})",
        f"연말 예상 집행 {k(line_pace.projection)}천원 ({percent(line_pace.projection / budget if budget else None)})"
        f" · {lasting}",
        f"{summary.opening_date.month}.{summary.opening_date.day}. 이후 기록 {row.logged_payments}건",
        _basis(summary),
    ])


def trend_text(title: str, points: Sequence[MonthPoint]) -> str:
    lines = [f"📈 {title} 월별 누계 집행 (단위: 천원, 계획 = 연간 균등 집행)"]
    for point in points:
        mark = " ← 보고서 누계" if point.opening else ""
        label = f"~{point.month}월" if point.opening else f"{point.month}월"
        lines.append(f"{label}: {k(point.spent_cumulative)} (계획 {k(point.planned_cumulative)}){mark}")
    return "\n".join(lines)


def entry_echo(when: date, line: str, field: str, amount: int, payments: int, purpose: str, left_after: int,
               now: datetime) -> str:
    return "\n".join([
        "지출 기록 — 맞나요?",
        f"{format_day(when, now)} {line} · {field}",
        f"{k(amount)}천원 ({format_won_words(amount)}), {payments}건",
        f"내용: {purpose or '(없음)'}",
        f"기록 후 {line} 잔액: {k(left_after)}천원",
    ])


def entry_so_far(when: date, amount: int | None, line: str | None, field: str | None, purpose: str | None,
                 now: datetime) -> str:
    """A spending draft's pieces already read, shown before asking for the next: "지출 7만 2천원 · 7.20.(금) ·
    직원격려 · 직원 격려 수박 구입 — " ('' when there is no amount yet: the form has just begun)."""
    if amount is None:
        return ""
    pieces = [f"지출 {format_won_words(amount)}", format_day(when, now), line, field, purpose]
    return " · ".join(piece for piece in pieces if piece) + " — "


def day_refusal(day: date, year: int, opening_date: date) -> str | None:
    """The Korean reason an entry dated ``day`` is refused (see bot.domain.budget.day_problem), or None."""
    problem = day_problem(day, year, opening_date)
    if problem == "other_year":
        return (f"{day.year}년 날짜입니다. {year}회계연도({year}.1.1.~12.31.) 안의 날짜만 기록할 수 있습니다: "
                f"{day.isoformat()}")
    if problem == "in_opening":
        first = date.fromordinal(opening_date.toordinal() + 1)
        return (f"{opening_date.month}.{opening_date.day}.까지의 집행은 보고서 기준 잔액에 이미 들어 있습니다. "
                f"{first.month}.{first.day}. 이후 날짜로 입력해 주세요: {day.isoformat()}")
    return None


def ceiling_text(amount: int, ceiling: int) -> str:
    return (f"한 건에 {format_won_words(ceiling)}을 넘는 {k(amount)}천원입니다. "
            "이보다 큰 지출은 관리자만 승인할 수 있습니다.")


def overdraw_text(line: str, left: int, amount: int) -> str:
    return (f"{line} 잔액({k(left)}천원)보다 많은 {k(amount)}천원입니다. "
            "잔액을 넘는 지출은 관리자만 승인할 수 있습니다.")


def alert_text(line: str, rate: float, line_pace: Pace) -> str:
    direction = "빠릅니다" if line_pace.points > 0 else "느립니다"
    return (f"📊 업무추진비 집행 속도 알림: {line} 집행률 {rate * 100:.1f}%는 연간 경과 "
            f"{line_pace.share_of_year * 100:.1f}%보다 {abs(line_pace.points):.1f}%p {direction}. "
            f"이 속도면 연말 집행 {k(line_pace.projection)}천원입니다.")


def import_report(count: int, problems: Sequence[tuple[int, str, str]], limit: int = 30) -> str:
    """problems: (row, column, reason). All or nothing: any problem means nothing was imported."""
    if not problems:
        return f"장부 {count:,}건을 가져왔습니다."
    lines = [f"장부에 문제가 {len(problems)}곳 있어 아무것도 가져오지 않았습니다. 고쳐서 다시 보내 주세요."]
    for row, column, reason in problems[:limit]:
        where = f"{row}행 {column}" if row else "파일"
        lines.append(f"• {where}: {reason}")
    if len(problems) > limit:
        lines.append(f"… 외 {len(problems) - limit}곳")
    return "\n".join(lines)

"""The console chat, scripted through stdin exactly as a user would pipe it."""

from __future__ import annotations

import asyncio
import re
import subprocess
from pathlib import Path

from conftest import REPORT_NOW
from helpers import run_cli

from bot.database import migrate
from storage import people
from storage.db import make_engine, make_sessionmaker


def chat(cwd: Path, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(cwd, "chat", *args, input=script)


def test_start_and_help_on_demo_data(tmp_path: Path) -> None:
    result = chat(tmp_path, "/start\n/help\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "데모 DB" in out and "2018-07-20 10:00" in out  # the one line about the demo set-up
    assert "안녕하세요" in out and "/help" in out and "/staffing" in out and "예:" in out
    assert (tmp_path / "data" / "demo.db").exists()
    assert "Traceback" not in out + result.stderr


def test_demo_database_holds_the_report(tmp_path: Path) -> None:
    result = chat(tmp_path, "인력 현황\n")
    assert "총계: 정원 19 / 현원 19" in result.stdout
    again = chat(tmp_path, "인력 현황\n")  # second start: the same demo database, seeded once
    assert again.stdout.count("총계: 정원 19 / 현원 19") == 1


def test_now_option_moves_the_clock(tmp_path: Path) -> None:
    result = chat(tmp_path, "/start\n", "--now", "2018-09-01T09:00:00+09:00")
    assert "2018-09-01 09:00" in result.stdout
    bad = chat(tmp_path, "/start\n", "--now", "어제")
    assert bad.returncode == 2 and "--now" in bad.stderr and "Traceback" not in bad.stderr


async def _prepare(url: str) -> None:
    await migrate(url)
    engine = make_engine(url)
    async with make_sessionmaker(engine).begin() as session:
        await people.add_staff(session, 222, "김주무관", None, REPORT_NOW, actor_id=None)
    await engine.dispose()


def test_button_press_with_hash_number(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'staff.db'}"
    asyncio.run(_prepare(url))
    result = chat(tmp_path, "/staff remove 222\n#1\n/staff\n#9\n", "--db", url)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "김주무관님(ID 222)을 직원 명단에서 제외할까요?" in out
    assert "[1] 제외  [2] 취소" in out
    assert "봇(수정)> 김주무관님(ID 222)을 명단에서 제외했습니다" in out
    assert "직원 명단 (1명)" in out  # only the console admin is left
    assert "(누를 수 있는" in out or "(누를 버튼이 없습니다)" in out


def test_user_option_acts_as_roster_member_or_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'staff.db'}"
    asyncio.run(_prepare(url))
    member = chat(tmp_path, "/invite\n", "--db", url, "--user", "222")
    assert "관리자만 사용할 수 있는 명령입니다." in member.stdout
    stranger = chat(tmp_path, "/help\n", "--db", url, "--user", "777")
    assert "비서실 직원만" in stranger.stdout and "777" in stranger.stdout


def test_db_option_uses_database_as_is_without_seeding(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = chat(tmp_path, "인력 현황\n", "--db", url)
    assert result.returncode == 0 and "등록된 인력 현황이 없습니다" in result.stdout


def test_budget_acceptance_with_a_pushed_alert_in_between(tmp_path: Path) -> None:
    """The pace alert is pushed at start-up; its buttons are #a1.. and never take the reply's #1."""
    script = ("업무추진비 잔액\n#1\n지출 100만원 기관운영 직원격려 7/20 격려 다과\n#1\n분야별 집행\n"
              "지출 -5만원 기관운영\n지출 12만원 없는과목\n")
    out = chat(tmp_path, script).stdout
    assert "봇> 업무추진비 잔액 238,625천원 (약 2억 3,863만원) — 7.20. 기준\n   [1] 자세히" in out
    assert "계: 357,200 / 118,575 / 238,625" in out  # the card, from 자세히
    assert "기관운영업무추진비: 277,200 / 84,196 / 193,004" in out
    assert "시책추진업무추진비: 80,000 / 34,379 / 45,621" in out
    assert "기록했습니다." in out and "집행 85,196천원 / 잔액 192,004천원" in out
    assert "직원격려: 18,291 (31건)" in out
    assert "금액은 0보다 커야 합니다" in out and "'없는과목' 과목을 찾지 못했습니다" in out
    assert "[a1] 10분 뒤" in out  # the alert, numbered apart


# Commands and questions over every feature; each reply's keyboard is counted. (#1 presses a first button.)
WALK = """/start
/help
/facts
#6
#6
#6
#6
#6
/budget
#1
#3
업무추진비 잔액
#1
기관운영 얼마 남았어?
집행률은?
몇 건이야
/pledges
#1
#1
공약 현황
핵심공약 몇 개야
지연 공약
/staffing
정원 몇 명
#1
시민참여예산 규모
몇 건이야
#1
자매도시 몇 곳이야?
도쿄 자매결연 몇 주년
없는 주제 알려줘
/agenda
이번주 일정
/visits
/meetings
/spend
12만원
/cancel
/event
/cancel
/remind
/reminders
/staff
/places
/export
"""


def _keyboards(out: str) -> list[list[str]]:
    """The buttons of each keyboard printed in the console transcript (its rows follow the message)."""
    boards: list[list[str]] = []
    current: list[str] | None = None
    for line in out.splitlines():
        if line.startswith("   [") and not line.startswith("   [a"):
            labels = re.findall(r"\[\d+\] (.+?)(?=  \[\d+\]|$)", line.strip())
            if current is None or line.startswith("   [1] "):  # a new message, or a page shown in place
                current = []
                boards.append(current)
            current += labels
        else:
            current = None
    return boards


def test_no_message_has_more_than_six_buttons_or_a_label_cut_inside_a_word(tmp_path: Path) -> None:
    result = chat(tmp_path, WALK)
    assert result.returncode == 0 and "Traceback" not in result.stdout + result.stderr
    boards = _keyboards(result.stdout)
    assert len(boards) >= 20, result.stdout  # the walk did reach the keyboards
    assert max(len(board) for board in boards) <= 6, [b for b in boards if len(b) > 6]
    assert any("더 보기 ▶" in board for board in boards)  # /facts pages
    for label in (label for board in boards for label in board):
        assert not label.endswith("…") or label[-2] != " ", label
        if label.endswith("…"):  # cut between words: what is kept ends a word of some longer label text
            assert label[:-1].split()[-1] != "", label

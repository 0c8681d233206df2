"""공약: reported totals first, then imported detail — import, re-import, drill-down, paging, updates."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN_ID, SEOUL, STAFF_ID, Harness, replies
from helpers import run_cli
from sqlalchemy import func, select

from storage.models import Event, PledgeNote, SubProject

HEADER = ("분류,분야코드,분야,공약코드,핵심공약,세부사업코드,세부사업,담당부서,상태,진행률,예산연도,"
          "예산계획(원),예산확보(원),예산집행(원),마일스톤,비고\n")


def row(code: str, status: str = "정상추진", progress: str = "30", *, pledge: str = "P1", area: str = "A1",
        title: str | None = None, milestones: str = "") -> str:
    axis, area_name = ("정책대상", "자영업자") if area == "A1" else ("정책영역", "미래특별시")
    return (f"{axis},{area},{area_name},{pledge},(예시) 핵심공약 {pledge},{code},{title or '(예시) 세부사업 ' + code},"
            f"소상공인정책담당관,{status},{progress},2018,100000000,60000000,20000000,{milestones},\n")


VALID = HEADER + row("S1") + row("S2", "지연", "10", milestones="착공 2018-09-30") + row("S3", area="A2", pledge="P2")


async def _subs(h: Harness) -> int:
    async with h.runtime.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(SubProject)) or 0)


async def test_reported_totals_before_any_import(harness: Harness) -> None:
    text = replies(await harness.send(ADMIN_ID, "공약 현황"))[0]
    assert "7.10. 기준 보고 수치: 12개 분야, 핵심공약 66개, 세부사업 242개" in text
    assert "정책대상별 (자영업자 등): 6개 분야, 핵심공약 18개, 세부사업 57개" in text
    assert "정책영역별 (미래특별시 등): 6개 분야, 핵심공약 48개, 세부사업 185개" in text
    assert "세부 자료는 아직 없습니다" in text
    honest = replies(await harness.send(ADMIN_ID, "미래특별시 공약"))[0]
    assert "정책영역 6개 분야, 핵심공약 48개, 세부사업 185개" in honest and "세부 자료는 아직 없습니다" in honest


async def test_import_then_bad_row_then_reimport(harness: Harness) -> None:
    answer = replies(await harness.upload(ADMIN_ID, "pledges.csv", VALID.encode("utf-8-sig")))[0]
    assert "새 세부사업 3개" in answer and "새 마일스톤 1개" in answer
    board = replies(await harness.send(ADMIN_ID, "/pledges"))[0]
    assert "가져온 세부사업 3개 (보고 수치 242개 중 3개)" in board and "지연 1" in board
    bad = HEADER + row("S1", progress="140%") + row("S4")
    refused = replies(await harness.upload(ADMIN_ID, "pledges.csv", bad.encode()))[0]
    assert "아무것도 가져오지 않았습니다" in refused and "2행 진행률" in refused
    assert await _subs(harness) == 3
    changed = HEADER + row("S1", "완료", "100") + row("S2", "지연", "10", milestones="착공 2018-09-30") + row(
        "S3", area="A2", pledge="P2") + row("S4")
    again = replies(await harness.upload(ADMIN_ID, "pledges.csv", changed.encode()))[0]
    assert "새 세부사업 1개, 갱신 1개, 변경 없음 2개, 새 마일스톤 0개" in again
    assert await _subs(harness) == 4
    async with harness.runtime.sessionmaker() as session:
        milestone = await session.scalar(select(Event).where(Event.category == "공약"))
    assert milestone is not None and milestone.start_at == datetime(2018, 9, 30, tzinfo=SEOUL)


async def test_drill_down_from_dashboard_to_card_and_late_list(harness: Harness) -> None:
    await harness.upload(ADMIN_ID, "pledges.csv", VALID.encode())
    board = await harness.send(ADMIN_ID, "/pledges")
    axis = await harness.tap(ADMIN_ID, board, "정책대상별")
    assert "자영업자: 세부사업 2개" in replies(axis)[-1]
    area = await harness.tap(ADMIN_ID, axis, "자영업자")
    assert "[P1] (예시) 핵심공약 P1" in replies(area)[-1]
    pledge = await harness.tap(ADMIN_ID, area, "1. (예시) 핵심공약 P1")
    assert "[S2] (예시) 세부사업 S2 — 지연 10%" in replies(pledge)[-1]
    card = await harness.tap(ADMIN_ID, pledge, "2. (예시) 세부사업 S2")
    text = replies(card)[-1]
    assert "상태: 지연 · 진행률 10%" in text and "담당: 소상공인정책담당관" in text and "착공 9.30.(일)" in text
    late = replies(await harness.send(ADMIN_ID, "지연 공약"))[0]
    assert "[S2]" in late and "[S1]" not in late


async def test_updates_from_chat_with_history_and_bad_input(harness: Harness) -> None:
    from test_gate import _join

    await harness.upload(ADMIN_ID, "pledges.csv", VALID.encode())
    await _join(harness, STAFF_ID)
    assert "먼저 세부사업 카드를 여세요" in replies(await harness.send(STAFF_ID, "진행률 45%"))[0]
    assert "S1" in replies(await harness.send(STAFF_ID, "S1"))[-1]  # opening the card by its code
    for bad in ("진행률 140%", "진행률 abc"):
        assert "0~100 사이의 정수" in replies(await harness.send(STAFF_ID, bad))[0]
    saved = replies(await harness.send(STAFF_ID, "진행률 45%"))
    assert saved[0] == "저장했습니다." and "진행률 45%" in saved[1]
    assert "중 하나" in replies(await harness.send(STAFF_ID, "상태 멈춤 — 이유"))[0]
    card = replies(await harness.send(STAFF_ID, "상태 지연 — 부지 협의 지연"))[-1]
    assert "상태: 지연" in card and "상태 정상추진 → 지연 (부지 협의 지연)" in card and "진행률 30% → 45%" in card
    async with harness.runtime.sessionmaker() as session:
        notes = (await session.scalars(select(PledgeNote.kind).order_by(PledgeNote.id))).all()
    assert notes[-2:] == ["progress", "status"]
    board = replies(await harness.send(STAFF_ID, "/pledges"))[0]
    assert "지연 2" in board


async def test_paging_keeps_messages_under_telegram_limits(harness: Harness) -> None:
    long = "가" * 290
    rows = "".join(row(f"L{i:02d}", title=f"(예시) {long} {i}") for i in range(25))
    await harness.upload(ADMIN_ID, "pledges.csv", (HEADER + rows).encode())
    board = await harness.send(ADMIN_ID, "/pledges")
    area = await harness.tap(ADMIN_ID, await harness.tap(ADMIN_ID, board, "정책대상별"), "자영업자")
    first = await harness.tap(ADMIN_ID, area, "1. (예시) 핵심공약 P1")
    pages = [first]
    for _ in range(2):
        pages.append(await harness.tap(ADMIN_ID, pages[-1], "다음 ▶"))
    texts = [replies(p)[-1] for p in pages]
    assert "(1~10 / 25)" in texts[0] and "(11~20 / 25)" in texts[1] and "(21~25 / 25)" in texts[2]
    for calls in pages:
        message = [c for c in calls if c.method == "sendMessage"][-1]
        assert len(message.params["text"]) <= 4096
        data = [b["callback_data"] for r in message.params["reply_markup"]["inline_keyboard"] for b in r]
        assert all(len(d.encode()) <= 64 for d in data)


async def test_evaluation_events_and_review_list(harness: Harness) -> None:
    async with harness.runtime.sessionmaker() as session:
        evaluation = await session.scalar(select(Event).where(Event.seed_key == "pledge-evaluation-2018-H2"))
    assert evaluation is not None and evaluation.start_at == datetime(2018, 12, 31, 9, tzinfo=SEOUL)
    from storage.models import Reminder

    async with harness.runtime.sessionmaker() as session:
        due = sorted(r.due_at.astimezone(SEOUL) for r in (await session.scalars(
            select(Reminder).where(Reminder.event_id == evaluation.id))).all())
    assert due == [datetime(2018, 12, 1, 9, tzinfo=SEOUL), datetime(2018, 12, 24, 9, tzinfo=SEOUL),
                   datetime(2018, 12, 31, 9, tzinfo=SEOUL)]  # a month, a week before, and on the day
    await harness.upload(ADMIN_ID, "pledges.csv", VALID.encode())
    review = replies(await harness.send(ADMIN_ID, "/pledges review"))[0]
    assert "2018-H2 자체평가가 없는 세부사업 (" not in review and "[S1]" in review and "[S3]" in review
    await harness.send(ADMIN_ID, "S1")
    card = await harness.send(ADMIN_ID, "S1")
    await harness.tap(ADMIN_ID, card, "자체평가")
    assert "저장했습니다." in replies(await harness.send(ADMIN_ID, "A 계획대로 추진"))[0]
    assert "[S1]" not in replies(await harness.send(ADMIN_ID, "/pledges review"))[0]


async def test_search_by_keyword_and_suggestions(harness: Harness) -> None:
    await harness.upload(ADMIN_ID, "pledges.csv", VALID.encode())
    found = replies(await harness.send(ADMIN_ID, "세부사업 S3 공약"))
    assert any("S3" in t for t in found)
    area = replies(await harness.send(ADMIN_ID, "미래특별시 공약"))[-1]
    assert "미래특별시 (정책영역) 핵심공약" in area
    none = replies(await harness.send(ADMIN_ID, "존재하지않는 공약"))[0]
    assert "찾지 못했습니다" in none


async def test_sample_file_late_one_and_its_history(harness: Harness) -> None:
    from pathlib import Path

    sample = Path(__file__).parent.parent / "storage" / "seed_data" / "pledges_sample.csv"
    answer = replies(await harness.upload(ADMIN_ID, "pledges_sample.csv", sample.read_bytes()))[0]
    assert "새 세부사업 10개" in answer
    late = await harness.send(ADMIN_ID, "지연 공약")
    lines = [line for line in replies(late)[0].splitlines() if line[:1].isdigit()]
    assert len(lines) == 1 and "지연" in lines[0]
    card = replies(await harness.tap(ADMIN_ID, late, next(
        b["text"] for c in late for r in (c.params.get("reply_markup") or {}).get("inline_keyboard", [])
        for b in r if b["text"].startswith("1."))))[-1]
    assert "최근 이력:" in card and "부지 협의 지연" in card and "가져오기 지연" in card


async def test_cli_import_and_exports(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import io
    import subprocess
    from pathlib import Path

    import openpyxl

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(tmp_path, *args)

    url = f"sqlite:///{tmp_path / 'p.db'}"
    sample = Path(__file__).parent.parent / "storage" / "seed_data" / "pledges_sample.csv"
    assert cli("seed", "--db", url).returncode == 0
    (tmp_path / "bad.csv").write_text(HEADER + row("S1", progress="abc"), encoding="utf-8")
    bad = cli("import", "pledges", "bad.csv", "--db", url)
    assert bad.returncode == 1 and "2행 진행률" in bad.stdout
    good = cli("import", "pledges", str(sample), "--db", url)
    assert good.returncode == 0 and "새 세부사업 10개" in good.stdout
    again = cli("import", "pledges", str(sample), "--db", url)
    assert "새 세부사업 0개, 갱신 0개, 변경 없음 10개" in again.stdout
    assert cli("export", "pledges", "--db", url, "--out", "p.xlsx").returncode == 0
    sheet = openpyxl.load_workbook(io.BytesIO((tmp_path / "p.xlsx").read_bytes()), read_only=True)["세부사업"]
    assert len(list(sheet.iter_rows(values_only=True))) == 11
    assert cli("export", "pledges-template", "--out", "t.xlsx").returncode == 0 and (tmp_path / "t.xlsx").exists()

"""The visits and meetings export: records and follow-ups in their own sheets, local times, empty inputs."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

import openpyxl

from bot.clock import SEOUL
from bot.sheets.fieldwork import FollowUpView, MeetingView, VisitView, records_workbook
from storage.models import FollowUp, Meeting, Visit

LOGGED = datetime(2018, 7, 20, 1, 0, tzinfo=UTC)


def models_fit_the_views(visit: Visit, meeting: Meeting, item: FollowUp) -> tuple[VisitView, MeetingView,
                                                                                  FollowUpView]:
    """Checked by mypy (``mypy tests/test_sheets_fieldwork.py``): the models satisfy the views structurally."""
    return visit, meeting, item


def visit(id: int, when_at: datetime, **fields: Any) -> Visit:
    values: dict[str, Any] = {"precision": "minute", "planned": False, "place": None, "district": None,
                              "category": "기타", "purpose": None, "participants": [], "council_briefing": None,
                              "council_invited": [], "notes": None, "photos": [], "logged_by": None,
                              "logged_at": LOGGED, "deleted": False}
    return Visit(id=id, when_at=when_at, **(values | fields))


def meeting(id: int, when_at: datetime, **fields: Any) -> Meeting:
    values: dict[str, Any] = {"precision": "minute", "planned": False, "meeting_type": "기타", "counterpart": None,
                              "attendees": [], "agenda": None, "outcome": None, "notes": None, "photos": [],
                              "logged_by": None, "logged_at": LOGGED, "deleted": False}
    return Meeting(id=id, when_at=when_at, **(values | fields))


def rows(data: bytes, sheet: str) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [tuple(row) for row in book[sheet].iter_rows(values_only=True)]


def formats(data: bytes, sheet: str, column: str) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell.number_format for cell in book[sheet][column][1:]]


VISITS = [
    visit(3, datetime(2018, 7, 20, 5, 30, tzinfo=UTC), place="서울식물원", district="강서구", category="개관시설",
          purpose="개관 준비 점검", participants=["도시공간개선단장", "강서구청장"], council_briefing="done",
          council_invited=["(예시) 김의원", "(예시) 이의원"], notes="우천 시 실내", photos=["a", "b"]),
    visit(4, datetime(2018, 7, 22, 15, 0, tzinfo=UTC), precision="day", planned=True, district="강북구",
          category="민생-복지시설", council_briefing="pending"),
    visit(5, datetime(2018, 7, 23, 0, 0, tzinfo=UTC), council_briefing="n/a"),
]
MEETINGS = [
    meeting(7, datetime(2018, 7, 19, 23, 30, tzinfo=UTC), meeting_type="시-구 간담회", counterpart="구청장협의회",
            attendees=["시장", "행정1부시장"], agenda="폭염 대책", outcome="합동 점검", notes="비공개"),
    meeting(8, datetime(2018, 7, 31, 16, 0, tzinfo=UTC), precision="day", planned=True,
            meeting_type="시의원 개별면담"),
]


def follow_up(id: int, what: str, *, visit_id: int | None = None, meeting_id: int | None = None,
              owner: str | None = None, due: date | None = None, done: bool = False) -> FollowUp:
    return FollowUp(id=id, visit_id=visit_id, meeting_id=meeting_id, what=what, owner=owner, due=due, done=done)


def test_visits_one_row_each_in_local_time() -> None:
    data = records_workbook("visit", VISITS, [], SEOUL, "2018년 7월 현장방문")
    assert rows(data, "현장방문") == [
        ("번호", "일시", "구분", "장소", "자치구", "분류", "목적", "참석자", "시의원 사전설명", "초청 시의원", "메모",
         "사진 수"),
        (3, datetime(2018, 7, 20, 14, 30), "완료", "서울식물원", "강서구", "개관시설", "개관 준비 점검",
         "도시공간개선단장, 강서구청장", "완료", "(예시) 김의원, (예시) 이의원", "우천 시 실내", 2),
        (4, datetime(2018, 7, 23), "예정", None, "강북구", "민생-복지시설", None, None, "예정", None, None, 0),
        (5, datetime(2018, 7, 23, 9, 0), "완료", None, None, "기타", None, None, "해당 없음", None, None, 0),
    ]
    assert formats(data, "현장방문", "B") == ["yyyy-mm-dd hh:mm", "yyyy-mm-dd", "yyyy-mm-dd hh:mm"]
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["현장방문", "후속조치"]
    assert book.properties.title == "2018년 7월 현장방문"


def test_briefing_not_set_is_blank() -> None:
    data = records_workbook("visit", [visit(1, LOGGED)], [], SEOUL, "t")
    assert rows(data, "현장방문")[1][8] is None  # '' is written as an empty cell


def test_meetings_have_their_own_columns() -> None:
    data = records_workbook("meeting", MEETINGS, [], SEOUL, "간담회")
    assert rows(data, "간담회·면담") == [
        ("번호", "일시", "구분", "유형", "상대", "참석자", "안건", "결과", "메모"),
        (7, datetime(2018, 7, 20, 8, 30), "완료", "시-구 간담회", "구청장협의회", "시장, 행정1부시장", "폭염 대책",
         "합동 점검", "비공개"),
        (8, datetime(2018, 8, 1), "예정", "시의원 개별면담", None, None, None, None, None),
    ]
    assert formats(data, "간담회·면담", "B") == ["yyyy-mm-dd hh:mm", "yyyy-mm-dd"]


def test_follow_ups_in_their_own_sheet() -> None:
    items = [follow_up(11, "식물원 안내판 보완", visit_id=3, owner="푸른도시국", due=date(2018, 8, 10)),
             follow_up(12, "결과 공유", visit_id=3, done=True)]
    data = records_workbook("visit", VISITS, items, SEOUL, "t")
    assert rows(data, "후속조치") == [
        ("번호", "기록 번호", "할 일", "담당", "기한", "완료"),
        (11, 3, "식물원 안내판 보완", "푸른도시국", datetime(2018, 8, 10), "아니오"),
        (12, 3, "결과 공유", None, None, "예"),
    ]
    assert formats(data, "후속조치", "E")[0] == "yyyy-mm-dd"
    meeting_items = [follow_up(13, "건의사항 검토", meeting_id=7, owner="행정국")]
    data = records_workbook("meeting", MEETINGS, meeting_items, SEOUL, "t")
    assert rows(data, "후속조치")[1] == (13, 7, "건의사항 검토", "행정국", None, "아니오")


def test_empty_inputs_give_headers_only() -> None:
    for data, sheet in ((records_workbook("visit", [], [], SEOUL, "빈 기록"), "현장방문"),
                        (records_workbook("meeting", [], [], SEOUL, "빈 기록"), "간담회·면담")):
        assert len(rows(data, sheet)) == 1
        assert rows(data, "후속조치") == [("번호", "기록 번호", "할 일", "담당", "기한", "완료")]


def test_council_header_with_its_documented_space_is_read() -> None:
    from bot.sheets.council import read_members

    data = "이름,지역구,소속 위원회,정당,의장단\n홍길동(예시),강북구,보건복지위원회,무소속,\n".encode()
    rows, problems = read_members(data, "council.csv", districts=["강북구"])
    assert problems == []
    assert [(r.name, r.district, r.committee) for r in rows] == [("홍길동(예시)", "강북구", "보건복지위원회")]

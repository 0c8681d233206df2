"""Spreadsheet exports are safe to open (issue 11, item 12): a text cell beginning with =, +, -, @, tab or CR is
stored as text in every file we hand out, never as a formula; numbers (negative ones too) stay numbers."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

import openpyxl
import pytest
from conftest import ADMIN_ID, Harness
from test_sheets_fieldwork import meeting, visit

from bot.clock import SEOUL
from bot.domain.budget import Opening, summarize
from bot.sheets.common import Writer
from bot.sheets.fieldwork import records_workbook
from bot.sheets.ledger import ledger_template, ledger_workbook
from bot.sheets.pledges import PledgeRow, pledges_template, pledges_workbook
from storage.models import FollowUp

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
STORED = {text.replace("\r", "\n") for text in HOSTILE}  # XML keeps no bare CR


def _cells(data: bytes) -> list[Any]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _no_formula(data: bytes) -> list[Any]:
    cells = _cells(data)
    assert [c.value for c in cells if c.data_type == "f"] == []
    return cells


@pytest.mark.parametrize("text", HOSTILE)
def test_writer_stores_formula_like_text_as_text(text: str) -> None:
    writer = Writer()
    sheet = writer.sheet("a", [10])
    sheet.append([text, writer.cell(sheet, text), -5, writer.cell(sheet, -118_575, "#,##0"), 0.25])
    cells = _no_formula(writer.save())
    stored = text.replace("\r", "\n")
    assert [(c.value, c.data_type) for c in cells] == [(stored, "s"), (stored, "s"), (-5, "n"), (-118_575, "n"),
                                                         (0.25, "n")]


class _Entry:
    def __init__(self, ident: int, purpose: str, note: str | None) -> None:
        self.id, self.spent_on, self.amount_won, self.line_id, self.field_id = ident, date(2018, 7, 20), 1000, 1, 1
        self.purpose, self.payments, self.note, self.voided = purpose, 1, note, False


def _summary() -> Any:
    return summarize(year=2018, as_of=date(2018, 7, 20), opening_date=date(2018, 6, 30), source="=cmd|' /C calc'!A0",
                     lines=[(1, "=1+1", 1_000)], fields=[(1, "@분야")],
                     line_openings={1: Opening(1, 84_196_000, None)}, field_openings={1: Opening(1, 0, 0)},
                     by_line={}, by_field={})


def test_ledger_export_and_template() -> None:
    entries = [_Entry(i, text, text) for i, text in enumerate(HOSTILE, start=1)]
    cells = _no_formula(ledger_workbook(entries, _summary(), {1: "-기관운영"}, {1: "+분야"}))
    texts = {c.value for c in cells if c.data_type == "s"}
    assert texts >= STORED and {"-기관운영", "+분야", "=1+1", "@분야"} <= texts
    left = [c.value for c in cells if c.data_type == "n" and isinstance(c.value, int) and c.value < 0]
    assert -84_195 in left  # an overdrawn balance stays a number
    _no_formula(ledger_template(["=기관", "-시책"], ["@분야"], year=2018))


def _pledge(text: str) -> PledgeRow:
    return PledgeRow(2, "정책대상", "T01", text, "T01-1", text, "T01-1-01", text, text, "정상추진", 10, 2018,
                     1000, 500, 0, ((text, date(2018, 9, 30)),), text)


def test_pledges_export_and_template() -> None:
    cells = _no_formula(pledges_workbook([_pledge(text) for text in HOSTILE]))
    assert {c.value for c in cells if c.data_type == "s"} >= STORED
    _no_formula(pledges_template(["=상태", "-지연"]))


def test_visits_and_meetings_exports() -> None:
    when = datetime(2018, 7, 20, 5, 30, tzinfo=UTC)
    visits = [visit(i, when, place=text, purpose=text, notes=text, participants=[text], council_invited=[text])
              for i, text in enumerate(HOSTILE, start=1)]
    follow_ups = [FollowUp(id=1, visit_id=1, meeting_id=None, what=HOSTILE[0], owner="-담당", due=None, done=False)]
    cells = _no_formula(records_workbook("visit", visits, follow_ups, SEOUL, "=제목"))
    assert {c.value for c in cells if c.data_type == "s"} >= STORED
    meetings = [meeting(i, when, counterpart=text, agenda=text, outcome=text, notes=text, attendees=[text])
                for i, text in enumerate(HOSTILE, start=1)]
    cells = _no_formula(records_workbook("meeting", meetings, [], SEOUL, "회의"))
    assert {c.value for c in cells if c.data_type == "s"} >= STORED


async def test_a_purpose_typed_in_chat_comes_back_as_text(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, '지출 5만원 기관운영 행사 =HYPERLINK("http://x","y")')
    await harness.tap(ADMIN_ID, calls, "확인")
    (document,) = [c for c in await harness.send(ADMIN_ID, "/budget export") if c.method == "sendDocument"]
    cells = _no_formula(document.files["document"][1])
    (purpose,) = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert purpose.data_type == "s" and purpose.value.startswith("=HYPERLINK")

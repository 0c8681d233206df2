"""Facts as a spreadsheet: 키 | 주제 | 질문어 | 답변 | 출처 | 기준일 (질문어 separated by commas)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.lang.limits import limit
from bot.sheets.common import Bad, Layout, ReadRow, RowProblem, any_date, cell_text, read_table

KEY, TOPIC, QUESTIONS, ANSWER, SOURCE, AS_OF = "키", "주제", "질문어", "답변", "출처", "기준일"
LAYOUT = Layout(columns=(KEY, TOPIC, QUESTIONS, ANSWER, SOURCE, AS_OF), optional=frozenset(), rows_name="자료",
                aliases={"key": KEY, "질문": QUESTIONS, "기준 일자": AS_OF})
MAX_ROWS = 2_000
_KEY = re.compile(r"[a-z0-9가-힣][a-z0-9가-힣_-]{0,63}")


@dataclass(frozen=True)
class FactRow:
    row: int
    key: str
    topic: str
    questions: tuple[str, ...]
    answer: str
    source: str
    as_of: date


def _text(column: str, limit: int) -> Any:
    def read(value: Any) -> str:
        text = str(value).strip() if value is not None else ""
        if not text or len(text) > limit:
            raise Bad(f"{column}을(를) 1~{limit:,}자로 입력해 주세요.")
        return text

    return read


def _key(value: Any) -> str:
    text = cell_text(value).lower()
    if not _KEY.fullmatch(text):
        raise Bad("키는 영문 소문자·숫자·한글과 - _ 로 64자 이내입니다. 예: sister-cities")
    return text


def _questions(value: Any) -> tuple[str, ...]:
    words = tuple(w.strip() for w in cell_text(value).split(",") if w.strip())
    if not words:
        raise Bad("질문어를 쉼표로 하나 이상 입력해 주세요. 예: 자매도시, 우호도시")
    return words


def read_facts(data: bytes, filename: str) -> tuple[list[FactRow], list[RowProblem]]:
    rows: list[FactRow] = []
    problems: list[RowProblem] = []
    keys: dict[str, int] = {}

    def take(row: ReadRow) -> None:
        found = list(row.problems)
        key = row.cells.get(KEY)
        if key is not None and key in keys:
            found.append(RowProblem(row.row, KEY, f"키 '{key}'가 {keys[key]}행에도 있습니다."))
        if found:
            problems.extend(found)
            return
        keys[str(key)] = row.row
        c = row.cells
        rows.append(FactRow(row.row, c[KEY], c[TOPIC], c[QUESTIONS], c[ANSWER], c[SOURCE], c[AS_OF]))

    parsers = {KEY: _key, TOPIC: _text(TOPIC, limit("fact_topic")), QUESTIONS: _questions,
               ANSWER: _text(ANSWER, limit("fact_answer")), SOURCE: _text(SOURCE, limit("fact_source")),
               AS_OF: lambda value: any_date(value, None)}
    failure = read_table(data, filename, LAYOUT, parsers, max_rows=MAX_ROWS, take=take)
    return ([], [failure]) if failure else (rows, problems)

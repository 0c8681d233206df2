"""Report facts: importing a spreadsheet of facts (updates keep the history)."""

from __future__ import annotations

from typing import Any

from storage import facts as store
from storage.facts import FactDraft


async def import_facts(session: Any, data: bytes, filename: str, now: Any, by: int | None
                       ) -> tuple[int, list[tuple[int, str, str]]]:
    """Facts from a spreadsheet (키, 주제, 질문어, 답변, 출처, 기준일), all or nothing; updates keep history."""
    from bot.sheets.facts import read_facts

    rows, problems = read_facts(data, filename)
    if problems:
        return 0, [(p.row, p.column, p.reason) for p in problems]
    changed = 0
    for row in rows:
        _, did = await store.save(session, FactDraft(row.key, row.topic, row.questions, row.answer, (), row.source,
                                                     row.as_of), now, by)
        changed += did
    return changed, []

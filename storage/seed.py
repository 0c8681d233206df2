"""Load the report's sample data (seed_data/*.toml) into the database. Idempotent."""

from __future__ import annotations

import tomllib
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import budget, events, facts, fieldwork, pledges, rules
from storage.models import BudgetOpening, StaffingRow

SEED_FILE = Path(__file__).with_name("seed_data") / "report_2018_07.toml"

SectionLoader = Callable[[AsyncSession, Any], Awaitable[int]]


class SeedError(ValueError):
    """The data file contradicts itself (e.g. a total that its rows do not add up to)."""


def read_seed(path: Path = SEED_FILE) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _check_sum(label: str, rows: list[Mapping[str, Any]], expected: Mapping[str, int]) -> None:
    for column, want in expected.items():
        got = sum(int(r[column]) for r in rows)
        if got != want:
            raise SeedError(f"staffing {label} {column}: rows add up to {got}, the report says {want}")


async def load_staffing(session: AsyncSession, section: Mapping[str, Any]) -> int:
    rows: list[Mapping[str, Any]] = section["rows"]
    _check_sum("total", rows, section["totals"])
    for category, expected in section["subtotals"].items():
        _check_sum(category, [r for r in rows if r["category"] == category], expected)
    as_of: date = section["as_of"]
    existing = {
        (r.category, r.grade): r
        for r in await session.scalars(select(StaffingRow).where(StaffingRow.as_of == as_of))
    }
    for position, row in enumerate(rows):
        current = existing.get((row["category"], row["grade"]))
        if current is None:
            current = StaffingRow(as_of=as_of, category=row["category"], grade=row["grade"])
            session.add(current)
        current.position = position
        current.authorized = row["authorized"]
        current.filled = row["filled"]
        current.source = section["source"]
    await session.flush()
    return len(rows)


SEOUL = ZoneInfo("Asia/Seoul")  # the report's dates are Seoul dates
SEED_NOW = datetime(2018, 7, 10, tzinfo=SEOUL)  # the report's as-of date, recorded as the seeded rows' creation


def _report_date(raw: str) -> tuple[datetime, str]:
    """'2018-09' (month precision) or '2018-09-01' (a day), as a Seoul midnight."""
    if len(raw) == 7:
        return datetime.strptime(raw, "%Y-%m").replace(tzinfo=SEOUL), "month"
    return datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=SEOUL), "day"


async def load_events(session: AsyncSession, section: list[Mapping[str, Any]]) -> int:
    for item in section:
        start, precision = _report_date(item["start"])
        end = _report_date(item["end"])[0] if "end" in item else None
        await events.upsert_seeded(session, events.EventDraft(
            title=item["title"], start_at=start, end_at=end, precision=precision,
            tentative=bool(item.get("tentative", False)), category=item["category"], place=item.get("place"),
            note=item.get("note"), audience="team", source=item["source"], seed_key=item["key"],
        ), SEED_NOW)
    return len(section)


async def load_rules(session: AsyncSession, section: list[Mapping[str, Any]]) -> int:
    for item in section:
        if await rules.by_seed_key(session, item["key"]) is None:
            await rules.create(session, text=item["text"], rrule=item["rrule"], dtstart=SEED_NOW,
                               holiday_shift=item["holiday_shift"], owner_id=None, audience="team", now=SEED_NOW,
                               seed_key=item["key"])
    return len(section)


def _check_budget(section: Mapping[str, Any]) -> None:
    """The report's own totals must hold on both axes before anything is loaded."""
    totals = section["totals"]
    for row in section["lines"]:
        if row["budget"] - row["spent"] != row["left"]:
            raise SeedError(f"budget line {row['name']}: {row['budget']} - {row['spent']} != {row['left']}")
    for column in ("budget", "spent", "left"):
        if sum(row[column] for row in section["lines"]) != totals[column]:
            raise SeedError(f"budget lines: {column} does not add up to {totals[column]}")
    if sum(row["spent"] for row in section["fields"]) != totals["spent"]:
        raise SeedError("budget fields: spent does not add up to the total")
    if sum(row["payments"] for row in section["fields"]) != totals["payments"]:
        raise SeedError("budget fields: payments do not add up to the total")


async def load_budget(session: AsyncSession, section: Mapping[str, Any]) -> int:
    _check_budget(section)
    year, as_of, source = section["year"], section["as_of"], section["source"]
    openings: list[BudgetOpening] = []
    for position, row in enumerate(section["lines"]):
        line = await budget.upsert_line(session, year, row["name"], row["short_name"], row["purpose"],
                                        row["budget"] * 1000, position)
        openings.append(BudgetOpening(year=year, as_of=as_of, line_id=line.id, spent_won=row["spent"] * 1000,
                                      payments=None, source=source))
    for position, row in enumerate(section["fields"]):
        field = await budget.upsert_field(session, year, row["name"], row["description"], list(row["aliases"]),
                                          position)
        openings.append(BudgetOpening(year=year, as_of=as_of, field_id=field.id, spent_won=row["spent"] * 1000,
                                      payments=row["payments"], source=source))
    await budget.replace_openings(session, year, openings)
    return len(section["lines"]) + len(section["fields"])


async def load_pledges(session: AsyncSession, section: Mapping[str, Any]) -> int:
    whole, *axes = section["reported"]
    for column in ("areas", "core_pledges", "sub_projects"):
        if sum(axis[column] for axis in axes) != whole[column]:
            raise SeedError(f"pledges: the axes' {column} do not add up to {whole[column]}")
    for position, row in enumerate(section["reported"]):
        await pledges.upsert_report(session, section["as_of"], row["scope"], row["areas"], row["core_pledges"],
                                    row["sub_projects"], list(row["examples"]), section["source"], position)
    return len(section["reported"])


async def load_fieldwork(session: AsyncSession, section: Mapping[str, Any]) -> int:
    for position, name in enumerate(section["districts"]):
        await fieldwork.upsert_district(session, name, position)
    for place in section["places"]:
        unknown = set(place["districts"]) - set(section["districts"])
        if unknown:
            raise SeedError(f"place {place['name']}: unknown districts {sorted(unknown)}")
        await fieldwork.upsert_place(session, place["name"], place["districts"], by=None)
    return len(section["districts"]) + len(section["places"])


FACTS_FILE = SEED_FILE.with_name("facts_2018_07.toml")


def fact_drafts(path: Path = FACTS_FILE) -> list[facts.FactDraft]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [facts.FactDraft(key=item["key"], topic=item["topic"], questions=tuple(item["questions"]),
                            answer=item["answer"], figures=tuple(item.get("figures", ())), source=item["source"],
                            as_of=item["as_of"], render=item.get("render")) for item in data["facts"]]


async def load_facts(session: AsyncSession, drafts: list[facts.FactDraft]) -> int:
    """The report's facts; an admin's later update of a seeded fact is not undone by seeding again."""
    for draft in drafts:
        existing = await facts.by_key(session, draft.key)
        if existing is None or existing.entered_by is None:
            await facts.save(session, draft, SEED_NOW, None, keep_history=False)
    return len(drafts)


# Section name in the data file -> its loader, in load order. Later features register theirs here.
LOADERS: dict[str, SectionLoader] = {
    "staffing": load_staffing,
    "events": load_events,
    "rules": load_rules,
    "budget": load_budget,
    "pledges": load_pledges,
    "fieldwork": load_fieldwork,
}


async def seed(session: AsyncSession, data: Mapping[str, Any] | None = None) -> dict[str, int]:
    """Load every known section, then the facts file; returns the number of records per section."""
    data = read_seed() if data is None else data
    counts = {name: await loader(session, data[name]) for name, loader in LOADERS.items() if name in data}
    counts["facts"] = await load_facts(session, fact_drafts())
    return counts

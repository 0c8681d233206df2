"""The triggers that bump cache_versions: every write to a cached table (ORM, Core, bulk import, by hand in psql)
adds one to its group's version in the same transaction, so every process sees the change on its next read.

On PostgreSQL one plpgsql function and a FOR EACH STATEMENT trigger per table (a 50,000-row import bumps once);
SQLite has no statement triggers, so a row trigger per table and operation.

Trap: SQLite's batch mode (``op.batch_alter_table``, which recreates the table) drops its triggers. A migration
that batch-alters a cached table must create them again (``create_statements`` for that group);
tests/test_read_cache.py fails at head when a cached table has lost them.
"""

from __future__ import annotations

from collections.abc import Mapping

# Group name -> the tables whose writes change what is cached under it (bot/services read through storage/readcache).
CACHED: Mapping[str, tuple[str, ...]] = {
    "people": ("people",),
    "facts": ("facts",),
    "budget": ("budget_lines", "budget_fields", "budget_openings"),
    "pledges": ("pledge_reports", "pledge_areas", "core_pledges", "sub_projects", "pledge_stats"),
    "staffing": ("staffing",),
    "spending": ("spending_daily",),
    "agenda": ("events", "visits", "meetings", "follow_ups"),
}
OPERATIONS = ("insert", "update", "delete")
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION cache_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = TG_ARGV[0];
    RETURN NULL;
END;
$$
"""


def trigger_name(table: str, operation: str = "") -> str:
    return f"cache_bump_{table}" + (f"_{operation}" if operation else "")


def create_statements(dialect: str, groups: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The DDL creating the triggers of `groups` (the function too on PostgreSQL)."""
    if dialect == "postgresql":
        return [PG_FUNCTION.strip(), *(
            f"CREATE TRIGGER {trigger_name(table)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE PROCEDURE cache_bump('{name}')"
            for name, tables in groups.items() for table in tables)]
    return [f"CREATE TRIGGER {trigger_name(table, op)} AFTER {op.upper()} ON {table} FOR EACH ROW BEGIN "
            f"UPDATE cache_versions SET version = version + 1 WHERE name = '{name}'; END"
            for name, tables in groups.items() for table in tables for op in OPERATIONS]


def drop_statements(dialect: str, groups: Mapping[str, tuple[str, ...]]) -> list[str]:
    if dialect == "postgresql":
        return [*(f"DROP TRIGGER IF EXISTS {trigger_name(table)} ON {table}"
                  for tables in groups.values() for table in tables), "DROP FUNCTION IF EXISTS cache_bump()"]
    return [f"DROP TRIGGER IF EXISTS {trigger_name(table, op)}"
            for tables in groups.values() for table in tables for op in OPERATIONS]

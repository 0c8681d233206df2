"""cache_versions: a counter per group of rarely changing tables, bumped by triggers on every write

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.cache_triggers import create_statements, drop_statements

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# The groups as of this revision (storage/cache_triggers.CACHED may grow in later revisions).
GROUPS = {
    "people": ("people",),
    "facts": ("facts",),
    "budget": ("budget_lines", "budget_fields", "budget_openings"),
    "pledges": ("pledge_reports", "pledge_areas", "core_pledges", "sub_projects", "pledge_stats"),
    "staffing": ("staffing",),
    "spending": ("spending_daily",),
    "agenda": ("events", "visits", "meetings", "follow_ups"),
}


def upgrade() -> None:
    versions = op.create_table('cache_versions',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_cache_versions'))
    )
    op.bulk_insert(versions, [{"name": name, "version": 0} for name in GROUPS])
    for statement in create_statements(op.get_bind().dialect.name, GROUPS):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_statements(op.get_bind().dialect.name, GROUPS):
        op.execute(statement)
    op.drop_table('cache_versions')

"""people.report_push: whether an admin gets the previous month's work report on each month's first working day

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.cache_triggers import create_statements, drop_statements

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

PEOPLE = {"people": ("people",)}  # the read cache's group of this table (storage/cache_triggers.py)


def upgrade() -> None:
    # A plain ADD COLUMN, not batch mode: on SQLite that would recreate the table and drop its cache triggers.
    op.add_column('people', sa.Column('report_push', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('report_push')
    if dialect == "sqlite":  # the batch recreated the table without its triggers
        for statement in drop_statements(dialect, PEOPLE) + create_statements(dialect, PEOPLE):
            op.execute(statement)

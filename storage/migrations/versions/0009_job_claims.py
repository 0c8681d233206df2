"""job_claims: work done once across replicas (the daily briefing, the start-up catch-up)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 13:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.coltypes

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job_claims',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('claimed_by', sa.String(length=40), nullable=False),
    sa.Column('claimed_at', storage.coltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', storage.coltypes.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('name', 'period', name=op.f('pk_job_claims'))
    )


def downgrade() -> None:
    op.drop_table('job_claims')

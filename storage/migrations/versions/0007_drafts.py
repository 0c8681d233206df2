"""drafts: echoes, forms and questions waiting for the user's answer

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 08:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.coltypes

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.BigInteger(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=True),
    sa.Column('created_at', storage.coltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.coltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', storage.coltypes.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafts'))
    )
    op.create_index('ix_drafts_owner_chat_state', 'drafts', ['owner_id', 'chat_id', 'state'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_drafts_owner_chat_state', table_name='drafts')
    op.drop_table('drafts')

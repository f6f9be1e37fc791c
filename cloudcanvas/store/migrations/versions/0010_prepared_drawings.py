"""drawings prepared when a scan stores its snapshot (the viewer's first drawing of a large estate)

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import cloudcanvas.store.base

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'prepared_drawings',
        sa.Column('snapshot_id', sa.String(length=36), nullable=False),
        sa.Column('view_key', sa.String(length=64), nullable=False),
        sa.Column('created_at', cloudcanvas.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['snapshot_id'], ['snapshots.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('snapshot_id', 'view_key'),
    )


def downgrade() -> None:
    op.drop_table('prepared_drawings')

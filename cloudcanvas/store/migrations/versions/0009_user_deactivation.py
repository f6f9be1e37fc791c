"""users can be deactivated (kept, with their history, but unable to log in or use keys)

Revision ID: 0009
Revises: 0008 (main added 0008 on 0004 meanwhile)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import cloudcanvas.store.base

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(
            sa.Column(
                'deactivated_at', cloudcanvas.store.base.UTCDateTime(timezone=True), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('deactivated_at')

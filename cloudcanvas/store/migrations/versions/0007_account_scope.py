"""accounts over several subscriptions: subscription_ids and scope

Revision ID: 0007
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('azure_accounts', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('subscription_ids', sa.JSON(), nullable=False, server_default='[]')
        )
        batch_op.add_column(
            sa.Column('scope', sa.String(length=300), nullable=False, server_default='')
        )


def downgrade() -> None:
    with op.batch_alter_table('azure_accounts', schema=None) as batch_op:
        batch_op.drop_column('scope')
        batch_op.drop_column('subscription_ids')

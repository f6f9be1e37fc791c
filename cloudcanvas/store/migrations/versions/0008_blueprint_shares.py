"""blueprint share links

Revision ID: 0008
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import cloudcanvas.store.base

revision = '0008'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'blueprint_shares',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('blueprint_id', sa.String(length=36), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('embeddable', sa.Boolean(), nullable=False),
        sa.Column('created_by', sa.String(length=36), nullable=True),
        sa.Column('created_at', cloudcanvas.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', cloudcanvas.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['blueprint_id'], ['blueprints.id'],
            name=op.f('fk_blueprint_shares_blueprint_id_blueprints'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_blueprint_shares')),
        sa.UniqueConstraint('blueprint_id', name=op.f('uq_blueprint_shares_blueprint_id')),
    )


def downgrade() -> None:
    op.drop_table('blueprint_shares')

"""blueprints and their versions

Revision ID: 0004
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import cloudcanvas.store.base

revision = '0004'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'blueprints',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('organization_id', sa.String(length=36), nullable=False),
        sa.Column('creator_id', sa.String(length=36), nullable=True),
        sa.Column('last_user_id', sa.String(length=36), nullable=True),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('tags', sa.JSON(), nullable=False),
        sa.Column('read_access', sa.JSON(), nullable=False),
        sa.Column('write_access', sa.JSON(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('current_version_id', sa.String(length=36), nullable=True),
        sa.Column('live_account_id', sa.String(length=36), nullable=True),
        sa.Column('created_at', cloudcanvas.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', cloudcanvas.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['organization_id'], ['organizations.id'],
            name=op.f('fk_blueprints_organization_id_organizations'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_blueprints')),
    )
    with op.batch_alter_table('blueprints', schema=None) as batch_op:
        batch_op.create_index('ix_blueprints_org_updated', ['organization_id', 'updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_blueprints_live_account_id'), ['live_account_id'], unique=False)

    op.create_table(
        'blueprint_versions',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('blueprint_id', sa.String(length=36), nullable=False),
        sa.Column('user_id', sa.String(length=36), nullable=True),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('created_at', cloudcanvas.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['blueprint_id'], ['blueprints.id'],
            name=op.f('fk_blueprint_versions_blueprint_id_blueprints'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_blueprint_versions')),
    )
    with op.batch_alter_table('blueprint_versions', schema=None) as batch_op:
        batch_op.create_index('ix_blueprint_versions_bp_created', ['blueprint_id', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('blueprint_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_blueprint_versions_bp_created')
    op.drop_table('blueprint_versions')
    with op.batch_alter_table('blueprints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blueprints_live_account_id'))
        batch_op.drop_index('ix_blueprints_org_updated')
    op.drop_table('blueprints')

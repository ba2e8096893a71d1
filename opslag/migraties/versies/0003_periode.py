"""periode: signalen van de perioderegels; dagen en afwezige dagen in het grootboek

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('periodesignaal',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('regio', sa.String(length=100), nullable=False),
    sa.Column('jaar', sa.Integer(), nullable=False),
    sa.Column('kwartaal', sa.Integer(), nullable=False),
    sa.Column('aanbieder', sa.String(length=16), nullable=False),
    sa.Column('gemeente', sa.String(length=8), nullable=False),
    sa.Column('segment', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('regel_id', sa.String(length=300), nullable=False),
    sa.Column('artikel', sa.String(length=40), nullable=False),
    sa.Column('lid', sa.String(length=40), nullable=False),
    sa.Column('waarden', sa.String(), nullable=False),
    sa.Column('zin', sa.String(), nullable=False),
    sa.Column('regelset_hash', sa.String(length=64), nullable=False),
    sa.Column('berekend_op', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('periodesignaal', schema=None) as batch_op:
        batch_op.create_index('ix_periodesignaal_periode', ['regio', 'jaar', 'kwartaal'],
                              unique=False)
    # Rows written before this revision get 0: they were stored without their days (a
    # ledger filled before 0003 reports % days present only for lines assessed after it).
    with op.batch_alter_table('grootboek', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dagen', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('afwezige_dagen', sa.Integer(), nullable=False,
                                      server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('grootboek', schema=None) as batch_op:
        batch_op.drop_column('afwezige_dagen')
        batch_op.drop_column('dagen')
    with op.batch_alter_table('periodesignaal', schema=None) as batch_op:
        batch_op.drop_index('ix_periodesignaal_periode')
    op.drop_table('periodesignaal')

"""betaling: de betalingen van de betaalrun, als vastgelegde feiten (issue 15); een
dekkende index op het grootboek voor de productie van de vaststelling

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('betaling',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('regio', sa.String(length=100), nullable=False),
    sa.Column('aanbieder', sa.String(length=16), nullable=False),
    sa.Column('gemeente', sa.String(length=8), nullable=False),
    sa.Column('soort', sa.String(length=24), nullable=False),
    sa.Column('zorgjaar', sa.Integer(), nullable=False),
    sa.Column('betaaljaar', sa.Integer(), nullable=False),
    sa.Column('betaalmaand', sa.Integer(), nullable=False),
    sa.Column('bedrag', sa.BigInteger(), nullable=False),
    sa.Column('toelichting', sa.String(), nullable=False),
    sa.Column('vastgelegd_op', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('regio', 'betaaljaar', 'betaalmaand', 'aanbieder', 'gemeente', 'soort',
                        'zorgjaar', name='uq_betaling_eenmaal')
    )
    with op.batch_alter_table('betaling', schema=None) as batch_op:
        batch_op.create_index('ix_betaling_zorgjaar', ['regio', 'zorgjaar', 'aanbieder',
                                                       'gemeente'], unique=False)
    with op.batch_alter_table('grootboek', schema=None) as batch_op:
        batch_op.create_index('ix_grootboek_productie', ['regio', 'jaar', 'aanbieder', 'gemeente',
                                                         'productcategorie', 'maand',
                                                         'goedgekeurd_bedrag'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('grootboek', schema=None) as batch_op:
        batch_op.drop_index('ix_grootboek_productie')
    with op.batch_alter_table('betaling', schema=None) as batch_op:
        batch_op.drop_index('ix_betaling_zorgjaar')
    op.drop_table('betaling')

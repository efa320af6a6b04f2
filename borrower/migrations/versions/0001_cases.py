"""The cases table as the store created it before migrations (create_all).

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_number", sa.String(20), nullable=False, unique=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("platform", sa.String(100)),
        sa.Column("institution_type", sa.String(40)),
        sa.Column("loan_type", sa.String(40)),
        sa.Column("amount", sa.Float),
        sa.Column("summary", sa.Text),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("draft", sa.Text),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_cases_sender_id", "cases", ["sender_id"])


def downgrade() -> None:
    op.drop_table("cases")

"""Reply deadlines, case-number verification, encrypted contact numbers; who an incident reached.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_CASE_COLUMNS = (
    "follow_up_body", "follow_up_due", "follow_up_notified", "verifier", "verify_failures",
    "verify_locked_until", "contact_secret",
)


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("follow_up_body", sa.String(40)))
        batch.add_column(sa.Column("follow_up_due", sa.Date))
        batch.add_column(sa.Column("follow_up_notified", sa.Date))
        batch.add_column(sa.Column("verifier", sa.String(64)))
        batch.add_column(sa.Column("verify_failures", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("verify_locked_until", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("contact_secret", sa.Text))
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("contacted", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("contacted")
    with op.batch_alter_table("cases") as batch:
        for column in _CASE_COLUMNS:
            batch.drop_column(column)

"""Cases belong to a channel identity, "<channel>:<sender id>", not to a bare sender id; wrong
verification answers are counted per requesting identity.

A case made before this revision without a channel gets the owner "unknown:<sender id>": no
conversation has that identity, so its owner reaches it by case number and phone digits.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.alter_column("sender_id", new_column_name="owner", existing_type=sa.String(255), existing_nullable=False)
    op.execute("UPDATE cases SET owner = COALESCE(channel, 'unknown') || ':' || owner")
    op.drop_index("ix_cases_sender_id", table_name="cases")
    op.create_index("ix_cases_owner", "cases", ["owner"])
    op.create_table(
        "verify_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("requester", sa.String(255), nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("case_id", "requester", name="uq_verify_attempts_case_requester"),
    )
    op.create_index("ix_verify_attempts_case_id", "verify_attempts", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_verify_attempts_case_id", table_name="verify_attempts")
    op.drop_table("verify_attempts")
    op.drop_index("ix_cases_owner", table_name="cases")
    cases = sa.table("cases", sa.column("id", sa.Integer), sa.column("owner", sa.String))
    connection = op.get_bind()
    for case_id, owner in connection.execute(sa.select(cases.c.id, cases.c.owner)).all():
        connection.execute(cases.update().where(cases.c.id == case_id).values(owner=owner.split(":", 1)[-1]))
    with op.batch_alter_table("cases") as batch:
        batch.alter_column("owner", new_column_name="sender_id", existing_type=sa.String(255), existing_nullable=False)
    op.create_index("ix_cases_sender_id", "cases", ["sender_id"])

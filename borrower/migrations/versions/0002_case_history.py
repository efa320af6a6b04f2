"""Status history, versioned letters and incidents; channel and region on the case.

Each existing case gets its current status as the first history entry, and its draft becomes
version 1 of its letter (the draft column goes).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_KINDS = {"complaint": "complaint_letter", "negotiation": "negotiation_letter"}


def _case_fk() -> sa.Column:
    return sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("channel", sa.String(40)))
        batch.add_column(sa.Column("region", sa.String(60)))
    op.create_table(
        "status_events",
        sa.Column("id", sa.Integer, primary_key=True),
        _case_fk(),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        _case_fk(),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("case_id", "kind", "version", name="uq_documents_case_kind_version"),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, primary_key=True),
        _case_fk(),
        sa.Column("occurred", sa.String(100)),
        sa.Column("behaviours", sa.JSON, nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    for table in ("status_events", "documents", "incidents"):
        op.create_index(f"ix_{table}_case_id", table, ["case_id"])

    connection = op.get_bind()
    cases = sa.table("cases", sa.column("id"), sa.column("category"), sa.column("status"),
                     sa.column("draft"), sa.column("created_at"))
    for case in connection.execute(sa.select(cases)).mappings().all():
        connection.execute(sa.text(
            "INSERT INTO status_events (case_id, status, changed_by, note, changed_at) "
            "VALUES (:id, :status, 'assistant', 'before history was kept', :at)"
        ), {"id": case["id"], "status": case["status"], "at": case["created_at"]})
        if case["draft"]:
            connection.execute(sa.text(
                "INSERT INTO documents (case_id, kind, version, body, created_at) VALUES (:id, :kind, 1, :body, :at)"
            ), {"id": case["id"], "kind": _KINDS.get(case["category"], "letter"), "body": case["draft"],
                "at": case["created_at"]})
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("draft")


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("draft", sa.Text))
    op.execute(
        "UPDATE cases SET draft = (SELECT body FROM documents WHERE documents.case_id = cases.id "
        "ORDER BY version DESC LIMIT 1)"
    )
    for table in ("incidents", "documents", "status_events"):
        op.drop_table(table)
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("region")
        batch.drop_column("channel")

"""Participants, assessment runs, answers and results.

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
        "participants",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("pseudonym", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("channel", "pseudonym", name="uq_participant"),
    )
    op.create_table(
        "assessment_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "participant_id", sa.Integer, sa.ForeignKey("participants.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("instrument", sa.String(32), nullable=False),
        sa.Column("domain", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_assessment_runs_participant_id", "assessment_runs", ["participant_id"])
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("assessment_runs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("item_number", sa.Integer, nullable=False),
        sa.Column("value", sa.Integer),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("run_id", "item_number", name="uq_answer_item"),
    )
    op.create_index("ix_answers_run_id", "answers", ["run_id"])
    op.create_table(
        "results",
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("assessment_runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("anxiety", sa.Float, nullable=False),
        sa.Column("avoidance", sa.Float, nullable=False),
        sa.Column("style", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("results")
    op.drop_index("ix_answers_run_id", "answers")
    op.drop_table("answers")
    op.drop_index("ix_assessment_runs_participant_id", "assessment_runs")
    op.drop_table("assessment_runs")
    op.drop_table("participants")

"""Name things by what they are: assessment_runs.domain -> relationship, table results -> scores.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessment_runs") as batch:
        batch.alter_column("domain", new_column_name="relationship")
    op.rename_table("results", "scores")


def downgrade() -> None:
    op.rename_table("scores", "results")
    with op.batch_alter_table("assessment_runs") as batch:
        batch.alter_column("relationship", new_column_name="domain")

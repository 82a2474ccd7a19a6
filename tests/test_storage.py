"""Storage on SQLite and on the local PostgreSQL server: the same suite on both."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from bot.privacy import pseudonymize
from bot.questionnaire import ACTIVE, COMPLETED, PAUSED
from bot.scoring import Result
from bot.storage import AssessmentStore, Base

KEY = b"test-key"


@pytest.fixture
def store(database_url):
    store = AssessmentStore(database_url, key=KEY)
    store.migrate()
    yield store
    store.dispose()


def test_migrations_create_every_table(store, database_url):
    engine = create_engine(database_url, future=True)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"participants", "assessment_runs", "answers", "scores", "alembic_version"} <= tables


def test_the_models_and_the_migrations_describe_the_same_schema(store, database_url):
    """As pytest-alembic's model-definitions check: autogenerate finds nothing left to migrate."""
    engine = create_engine(database_url, future=True)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_the_raw_sender_id_is_never_stored(store, database_url):
    store.start_run("telegram", "123456789", "ecr-rs", "partner")
    engine = create_engine(database_url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT channel, pseudonym FROM participants")).all()
    engine.dispose()
    assert rows == [("telegram", pseudonymize("telegram", "123456789", KEY))]
    assert "123456789" not in rows[0][1]


def test_answers_are_kept_replaced_and_removed_one_by_one(store):
    run = store.start_run("rest", "alice", "ecr-rs", "partner")
    store.record_answer(run.id, 1, 7)
    store.record_answer(run.id, 2, None)
    store.record_answer(run.id, 1, 5)
    assert store.run_state(run.id).answers == {1: 5, 2: None}
    store.remove_answer(run.id, 2)
    assert store.run_state(run.id).answers == {1: 5}


def test_a_new_store_object_resumes_the_paused_run(store, database_url):
    run = store.start_run("rest", "bob", "ecr-rs", "friend")
    store.record_answer(run.id, 1, 6)
    store.set_status(run.id, PAUSED)
    reopened = AssessmentStore(database_url, key=KEY)  # as after a server restart
    state = reopened.open_run("rest", "bob")
    reopened.dispose()
    assert (state.id, state.status, state.relationship, state.answers) == (run.id, PAUSED, "friend", {1: 6})


def test_completed_runs_form_the_history_oldest_first(store):
    first = store.start_run("rest", "carol", "ecr-rs", "partner")
    store.complete(first.id, Result(5.0, 5.5, "fearful", 9))
    second = store.start_run("rest", "carol", "ecr-rs", "partner")
    assert store.open_run("rest", "carol").id == second.id
    store.record_answer(second.id, 1, 7)
    assert store.run_state(second.id).status == ACTIVE
    store.complete(second.id, Result(2.0, 2.5, "secure", 9))
    assert store.run_state(second.id).status == COMPLETED
    assert store.open_run("rest", "carol") is None
    history = store.history("rest", "carol")
    assert [(past.run_id, past.result.style) for past in history] == [
        (first.id, "fearful"),
        (second.id, "secure"),
    ]


def test_deleting_a_person_removes_all_their_rows_and_only_theirs(store, database_url):
    mine = store.start_run("rest", "dave", "ecr-rs", "partner")
    store.record_answer(mine.id, 1, 4)
    store.complete(mine.id, Result(3.0, 3.0, "secure", 9))
    theirs = store.start_run("rest", "erin", "ecr-rs", "partner")
    store.record_answer(theirs.id, 1, 2)
    assert store.delete_participant("rest", "dave") is True
    assert store.history("rest", "dave") == [] and store.open_run("rest", "dave") is None
    assert store.open_run("rest", "erin").answers == {1: 2}
    engine = create_engine(database_url, future=True)
    with engine.connect() as connection:
        counts = {
            table: connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()
            for table in ("participants", "assessment_runs", "answers", "scores")
        }
    engine.dispose()
    assert counts == {"participants": 1, "assessment_runs": 1, "answers": 1, "scores": 0}
    assert store.delete_participant("rest", "dave") is False


def test_the_same_sender_on_another_channel_is_another_person(store):
    store.start_run("telegram", "42", "ecr-rs", "partner")
    assert store.open_run("rest", "42") is None


def test_the_export_holds_every_answer_and_result_of_that_person_only(store):
    run = store.start_run("rest", "fay", "ecr-rs", "mother")
    for item, value in [(1, 6), (2, None), (3, 2)]:
        store.record_answer(run.id, item, value)
    store.complete(run.id, Result(2.5, 4.0, "avoidant", 9))
    store.start_run("rest", "gus", "ecr-rs", "partner")
    export = store.export_participant("rest", "fay")
    assert export["pseudonym"] == pseudonymize("rest", "fay", KEY) and export["channel"] == "rest"
    [assessment] = export["assessments"]
    assert assessment["relationship"] == "mother" and assessment["status"] == COMPLETED
    assert assessment["answers"] == {"1": 6, "2": None, "3": 2}
    assert assessment["result"] == {"anxiety": 2.5, "avoidance": 4.0, "nearest_style": "avoidant"}
    assert store.export_participant("rest", "nobody") is None


def test_retention_deletes_people_inactive_for_longer_than_the_period(store, database_url):
    old = store.start_run("rest", "hal", "ecr-rs", "partner")
    store.record_answer(old.id, 1, 3)
    recent = store.start_run("rest", "ida", "ecr-rs", "partner")
    engine = create_engine(database_url, future=True)
    with engine.begin() as connection:  # hal was last active 400 days ago
        long_ago = datetime.now(timezone.utc) - timedelta(days=400)
        connection.execute(
            text("UPDATE assessment_runs SET updated_at = :t WHERE id = :id"), {"t": long_ago, "id": old.id}
        )
        connection.execute(text("UPDATE participants SET created_at = :t"), {"t": long_ago})
    engine.dispose()
    assert store.purge_inactive(timedelta(days=365)) == 1
    assert store.open_run("rest", "hal") is None and store.open_run("rest", "ida").id == recent.id
    assert store.purge_inactive(timedelta(days=365)) == 0

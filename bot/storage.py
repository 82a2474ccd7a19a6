"""Storage for questionnaires, behind one small module (SQLAlchemy 2.0 style on 1.4).

People are stored pseudonymously (bot.privacy): a keyed hash of channel and sender id,
never the raw id. Every answer is written the moment it is given, so a crash loses
nothing. SQLite by default; PostgreSQL (or any SQLAlchemy URL) through DATABASE_URL.
The schema is created and upgraded by Alembic migrations (bot/migrations); rows are
handed out as the core's types (bot.questionnaire), never as ORM objects.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    create_engine,
    delete,
    func,
    select,
)
from sqlalchemy.orm import Session, declarative_base, sessionmaker

from bot.keys import VAR_DIR
from bot.privacy import PurgeSchedule, pseudonym_key, pseudonymize, retention_period
from bot.questionnaire import ACTIVE, COMPLETED, CompletedRun, RunState
from bot.rq import RQ_ID, RQResult, from_stored_answers
from bot.scoring import Result

DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'iwm.sqlite3'}"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

Base = declarative_base()


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Participant(Base):
    __tablename__ = "participants"
    id = Column(Integer, primary_key=True)
    channel = Column(String(32), nullable=False)
    pseudonym = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    __table_args__ = (UniqueConstraint("channel", "pseudonym", name="uq_participant"),)


class AssessmentRun(Base):
    __tablename__ = "assessment_runs"
    id = Column(Integer, primary_key=True)
    participant_id = Column(
        Integer, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False, index=True
    )
    instrument = Column(String(32), nullable=False)
    relationship = Column(String(32), nullable=False)
    status = Column(String(16), nullable=False, default=ACTIVE)
    started_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    completed_at = Column(DateTime(timezone=True))


class Answer(Base):
    __tablename__ = "answers"
    id = Column(Integer, primary_key=True)
    run_id = Column(Integer, ForeignKey("assessment_runs.id", ondelete="CASCADE"), nullable=False, index=True)
    item_number = Column(Integer, nullable=False)
    value = Column(Integer)  # NULL: the person skipped the item
    answered_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    __table_args__ = (UniqueConstraint("run_id", "item_number", name="uq_answer_item"),)


class Score(Base):
    __tablename__ = "scores"
    run_id = Column(Integer, ForeignKey("assessment_runs.id", ondelete="CASCADE"), primary_key=True)
    anxiety = Column(Float, nullable=False)
    avoidance = Column(Float, nullable=False)
    style = Column(String(16), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def migrate(database_url: str) -> None:
    """Bring the schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    command.upgrade(config, "head")


class AssessmentStore:
    def __init__(self, database_url: str | None = None, key: bytes | None = None):
        self.database_url = database_url or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
        if self.database_url.startswith("sqlite:///"):
            Path(self.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self._engine = create_engine(self.database_url, future=True, pool_pre_ping=True)
        self._sessions = sessionmaker(self._engine, future=True, expire_on_commit=False)
        self._key = key or pseudonym_key()
        self._purge_schedule = PurgeSchedule()

    def migrate(self) -> None:
        migrate(self.database_url)

    def dispose(self) -> None:
        self._engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def _participant(
        self, session: Session, channel: str, sender_id: str, create: bool
    ) -> Participant | None:
        pseudonym = pseudonymize(channel, sender_id, self._key)
        query = select(Participant).where(Participant.channel == channel, Participant.pseudonym == pseudonym)
        participant = session.execute(query).scalar_one_or_none()
        if participant is None and create:
            participant = Participant(channel=channel, pseudonym=pseudonym)
            session.add(participant)
            session.flush()
        return participant

    def open_run(self, channel: str, sender_id: str) -> RunState | None:
        """The person's unfinished (active or paused) run, if any."""
        with self._session() as session:
            participant = self._participant(session, channel, sender_id, create=False)
            if participant is None:
                return None
            query = (
                select(AssessmentRun)
                .where(AssessmentRun.participant_id == participant.id, AssessmentRun.status != COMPLETED)
                .order_by(AssessmentRun.id.desc())
                .limit(1)
            )
            run = session.execute(query).scalar_one_or_none()
            return self._state(session, run) if run else None

    def start_run(self, channel: str, sender_id: str, instrument: str, relationship: str) -> RunState:
        with self._session() as session:
            participant = self._participant(session, channel, sender_id, create=True)
            run = AssessmentRun(
                participant_id=participant.id, instrument=instrument, relationship=relationship
            )
            session.add(run)
            session.flush()
            return self._state(session, run)

    def record_answer(self, run_id: int, item_number: int, value: int | None) -> None:
        """Store (or replace) one answer at once; None records a skipped item."""
        with self._session() as session:
            query = select(Answer).where(Answer.run_id == run_id, Answer.item_number == item_number)
            answer = session.execute(query).scalar_one_or_none()
            if answer is None:
                session.add(Answer(run_id=run_id, item_number=item_number, value=value))
            else:
                answer.value, answer.answered_at = value, _now()
            self._touch(session, run_id, ACTIVE)

    def remove_answer(self, run_id: int, item_number: int) -> None:
        with self._session() as session:
            session.execute(delete(Answer).where(Answer.run_id == run_id, Answer.item_number == item_number))
            self._touch(session, run_id, ACTIVE)

    def set_status(self, run_id: int, status: str) -> None:
        with self._session() as session:
            self._touch(session, run_id, status)

    def complete(self, run_id: int, result: Result) -> None:
        with self._session() as session:
            session.merge(
                Score(run_id=run_id, anxiety=result.anxiety, avoidance=result.avoidance, style=result.style)
            )
            run = self._touch(session, run_id, COMPLETED)
            run.completed_at = run.updated_at

    def save_completed_run(
        self, channel: str, sender_id: str, instrument: str, relationship: str, answers: dict[int, int]
    ) -> int:
        """A questionnaire answered in one go (the RQ), stored complete in one transaction, so no
        half-stored run is ever left for the ECR-RS to resume."""
        with self._session() as session:
            participant = self._participant(session, channel, sender_id, create=True)
            now = _now()
            run = AssessmentRun(
                participant_id=participant.id,
                instrument=instrument,
                relationship=relationship,
                status=COMPLETED,
                updated_at=now,
                completed_at=now,
            )
            session.add(run)
            session.flush()
            session.add_all(
                Answer(run_id=run.id, item_number=item, value=value) for item, value in answers.items()
            )
            return run.id

    def run_state(self, run_id: int) -> RunState | None:
        with self._session() as session:
            run = session.get(AssessmentRun, run_id)
            return self._state(session, run) if run else None

    def history(self, channel: str, sender_id: str) -> list[CompletedRun]:
        """Every completed run of this person with its scores, oldest first."""
        with self._session() as session:
            participant = self._participant(session, channel, sender_id, create=False)
            if participant is None:
                return []
            answered = (
                select(func.count(Answer.value))  # skipped items are NULL and not counted
                .where(Answer.run_id == AssessmentRun.id)
                .scalar_subquery()
            )
            query = (
                select(AssessmentRun, Score, answered)
                .join(Score, Score.run_id == AssessmentRun.id)
                .where(AssessmentRun.participant_id == participant.id)
                .order_by(AssessmentRun.completed_at, AssessmentRun.id)
            )
            return [
                CompletedRun(
                    run.id,
                    run.relationship,
                    Result(score.anxiety, score.avoidance, score.style, count),
                    run.completed_at,
                )
                for run, score, count in session.execute(query)
            ]

    def latest_rq(self, channel: str, sender_id: str) -> RQResult | None:
        """This person's latest four-paragraph result, scored again from its answers (the RQ keeps
        no score row, so `history` holds the ECR-RS alone)."""
        with self._session() as session:
            participant = self._participant(session, channel, sender_id, create=False)
            if participant is None:
                return None
            run = session.scalars(
                select(AssessmentRun)
                .where(
                    AssessmentRun.participant_id == participant.id,
                    AssessmentRun.instrument == RQ_ID,
                    AssessmentRun.status == COMPLETED,
                )
                .order_by(AssessmentRun.completed_at.desc(), AssessmentRun.id.desc())
                .limit(1)
            ).first()
            return from_stored_answers(self._state(session, run).answers) if run else None

    def delete_participant(self, channel: str, sender_id: str) -> bool:
        """Remove everything stored about this person; True if there was anything."""
        with self._session() as session:
            participant = self._participant(session, channel, sender_id, create=False)
            if participant is None:
                return False
            self._delete(session, [participant.id])
            return True

    def purge_if_due(self) -> int:
        """Apply the retention period (IWM_RETENTION_DAYS) at most once a day."""
        return self.purge_inactive(retention_period()) if self._purge_schedule.due() else 0

    def purge_inactive(self, retention: timedelta) -> int:
        """Delete everyone whose last activity is older than `retention`; how many were deleted."""
        cutoff = _now() - retention
        last_run = (
            select(AssessmentRun.participant_id, func.max(AssessmentRun.updated_at).label("last"))
            .group_by(AssessmentRun.participant_id)
            .subquery()
        )
        expired = (
            select(Participant.id)
            .outerjoin(last_run, last_run.c.participant_id == Participant.id)
            .where(func.coalesce(last_run.c.last, Participant.created_at) < cutoff)
        )
        with self._session() as session:
            ids = list(session.execute(expired).scalars())
            self._delete(session, ids)
            return len(ids)

    def export_participant(self, channel: str, sender_id: str) -> dict | None:
        """Everything stored about this person, as plain JSON-ready data; None if nothing."""
        with self._session() as session:
            participant = self._participant(session, channel, sender_id, create=False)
            if participant is None:
                return None
            runs = session.execute(
                select(AssessmentRun, Score)
                .outerjoin(Score, Score.run_id == AssessmentRun.id)
                .where(AssessmentRun.participant_id == participant.id)
                .order_by(AssessmentRun.id)
            ).all()
            return {
                "pseudonym": participant.pseudonym,
                "channel": participant.channel,
                "first_seen": _iso(participant.created_at),
                "assessments": [
                    {
                        "instrument": run.instrument,
                        "relationship": run.relationship,
                        "status": run.status,
                        "started": _iso(run.started_at),
                        "completed": _iso(run.completed_at),
                        "answers": {
                            str(item): value
                            for item, value in sorted(self._state(session, run).answers.items())
                        },
                        "result": self._exported_result(session, run, score),
                    }
                    for run, score in runs
                ],
            }

    def _exported_result(self, session: Session, run: AssessmentRun, score: Score | None) -> dict | None:
        if score is not None:
            return {"anxiety": score.anxiety, "avoidance": score.avoidance, "nearest_style": score.style}
        if run.instrument == RQ_ID and run.status == COMPLETED:
            return from_stored_answers(self._state(session, run).answers).as_dict()
        return None

    @staticmethod
    def _delete(session: Session, participant_ids: list[int]) -> None:
        run_ids = select(AssessmentRun.id).where(AssessmentRun.participant_id.in_(participant_ids))
        statements = (
            delete(Answer).where(Answer.run_id.in_(run_ids)),
            delete(Score).where(Score.run_id.in_(run_ids)),
            delete(AssessmentRun).where(AssessmentRun.participant_id.in_(participant_ids)),
            delete(Participant).where(Participant.id.in_(participant_ids)),
        )
        for statement in statements:  # explicit, since SQLite does not enforce ON DELETE CASCADE
            session.execute(statement.execution_options(synchronize_session=False))

    @staticmethod
    def _touch(session: Session, run_id: int, status: str) -> AssessmentRun:
        run = session.get(AssessmentRun, run_id)
        if run is None:
            raise KeyError(f"no assessment run {run_id}")
        run.status, run.updated_at = status, _now()
        return run

    @staticmethod
    def _state(session: Session, run: AssessmentRun) -> RunState:
        rows = session.execute(select(Answer.item_number, Answer.value).where(Answer.run_id == run.id))
        return RunState(run.id, run.instrument, run.relationship, run.status, dict(rows.all()))

"""Case records (SQLAlchemy 1.4 with the 2.0-style API): the repository the actions and the
staff CLI (borrower/cases.py) use.

A case has its status history (StatusEvent), its drafted letters, versioned (Document), and for
harassment the incidents the user described (Incident). The schema is built and upgraded by the
Alembic migrations in borrower/migrations when a store opens a database; a database the store
created before migrations existed is recognised and upgraded in place.

SQLite file by default (WAL, busy timeout); any SQLAlchemy URL via CASES_DB_URL, e.g.
postgresql+psycopg2://user:pass@host/db.
"""

import os
import secrets
import unicodedata
from pathlib import Path
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Optional, Tuple

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    JSON, Column, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, create_engine,
    event, func, inspect, select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, declarative_base, relationship, validates

from borrower.paths import VAR_DIR

Base = declarative_base()

CATEGORIES = ("complaint", "harassment", "negotiation")
# open → submitted → awaiting_reply → resolved / closed; a case can be closed at any point and
# reopened from resolved or closed.
STATUSES = ("open", "submitted", "awaiting_reply", "resolved", "closed")
_NEXT_STATUSES = {
    "open": {"submitted", "closed"},
    "submitted": {"awaiting_reply", "resolved", "closed"},
    "awaiting_reply": {"resolved", "closed"},
    "resolved": {"open", "closed"},
    "closed": {"open"},
}
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Crockford base32 without I, L, O, U: no look-alike characters when read out or typed.
_CASE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CASE_RANDOM_CHARS = 5  # 32^5 ≈ 33.5 million per month prefix


def _now() -> datetime:
    return datetime.now(timezone.utc)


MAX_TEXT = 20_000  # characters of a summary or letter; a letter is about 1,500


def _fit(value: Optional[str], length: int) -> Optional[str]:
    """The text without control characters (NUL is refused by PostgreSQL), cut to `length`."""
    if value is None:
        return None
    text = "".join(ch for ch in str(value) if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs"))
    return text if len(text) <= length else text[: length - 1] + "…"


def _fitted(*columns: str) -> Any:
    """A validator for the models: text written to these columns loses its control characters
    and is cut to the column's length (MAX_TEXT for unbounded text), whatever writes it."""

    @validates(*columns)
    def fit(self: Any, key: str, value: Optional[str]) -> Optional[str]:
        return _fit(value, getattr(self.__table__.c[key].type, "length", None) or MAX_TEXT)

    return fit


class Case(Base):
    __tablename__ = "cases"

    id = Column(Integer, primary_key=True)
    case_number = Column(String(20), unique=True, nullable=False)
    sender_id = Column(String(255), index=True, nullable=False)  # the channel identity that owns it
    channel = Column(String(40))  # rest, socketio, wechat, cmdline …
    category = Column(String(20), nullable=False)
    platform = Column(String(100))
    institution_type = Column(String(40))
    loan_type = Column(String(40))
    amount = Column(Float)
    region = Column(String(60))
    summary = Column(Text)
    details = Column(JSON, nullable=False, default=dict)
    status = Column(String(20), nullable=False, default="open")
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=_now, onupdate=_now)

    history = relationship("StatusEvent", order_by="StatusEvent.id", cascade="all, delete-orphan")
    documents = relationship("Document", order_by="Document.id", cascade="all, delete-orphan")
    incidents = relationship("Incident", order_by="Incident.id", cascade="all, delete-orphan")
    _fit_text = _fitted("channel", "platform", "institution_type", "loan_type", "region", "summary")


class StatusEvent(Base):
    __tablename__ = "status_events"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), index=True, nullable=False)
    status = Column(String(20), nullable=False)
    changed_by = Column(String(100), nullable=False)  # "assistant", "user", "staff:<name>"
    note = Column(Text)
    changed_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    _fit_text = _fitted("changed_by", "note")


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("case_id", "kind", "version", name="uq_documents_case_kind_version"),)

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), index=True, nullable=False)
    kind = Column(String(40), nullable=False)  # complaint_letter, negotiation_letter
    version = Column(Integer, nullable=False)
    body = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    _fit_text = _fitted("body")


class Incident(Base):
    """One harassment event as the user described it (masked): when, which behaviours (who was
    contacted is the third_party_contact behaviour and the description), what was said or done."""

    __tablename__ = "incidents"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), index=True, nullable=False)
    occurred = Column(String(100))  # as the user said it: 凌晨两点, 昨天晚上
    behaviours = Column(JSON, nullable=False, default=list)
    description = Column(Text)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    _fit_text = _fitted("occurred", "description")


DOCUMENT_KINDS = {"complaint": "complaint_letter", "negotiation": "negotiation_letter"}


@dataclass(frozen=True)
class CaseRecord:
    """What callers get back: plain data, detached from any session."""

    case_number: str
    sender_id: str
    channel: Optional[str]
    category: str
    platform: Optional[str]
    institution_type: Optional[str]
    loan_type: Optional[str]
    amount: Optional[float]
    region: Optional[str]
    summary: Optional[str]
    details: Dict[str, Any]
    status: str
    created_at: datetime
    updated_at: datetime
    draft: Optional[str]  # the latest version of its letter
    history: Tuple[Tuple[str, str, datetime], ...]  # (status, changed_by, changed_at)

    @classmethod
    def of(cls, row: Case) -> "CaseRecord":
        plain = {name: getattr(row, name) for name in cls.__dataclass_fields__ if name not in ("draft", "history")}
        return cls(
            **plain,
            draft=row.documents[-1].body if row.documents else None,
            history=tuple((e.status, e.changed_by, e.changed_at) for e in row.history),
        )


def new_case_number(now: Optional[datetime] = None) -> str:
    """E.g. TS-2611-7K3QX: year and month, then 5 random Crockford base32 characters."""
    now = now or _now()
    random_part = "".join(secrets.choice(_CASE_ALPHABET) for _ in range(_CASE_RANDOM_CHARS))
    return f"TS-{now:%y%m}-{random_part}"


def default_url() -> str:
    return os.environ.get("CASES_DB_URL") or f"sqlite:///{VAR_DIR / 'cases.db'}"


class CaseError(ValueError):
    """A request the store refuses: unknown case, category or status, a status it cannot move to."""


def migrate(engine: Engine) -> None:
    """Brings the database to the newest schema. A database made before migrations existed (a
    cases table, no alembic_version) is first recorded as revision 0001, which is what it is."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # SQLite alters a table by copying it and dropping the old one; with foreign keys
            # on, the drop would cascade to every status event, letter and incident.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        with connection.begin():
            config.attributes["connection"] = connection
            tables = set(inspect(connection).get_table_names())
            if "cases" in tables and "alembic_version" not in tables:
                command.stamp(config, "0001")
            command.upgrade(config, "head")
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


class CaseStore:
    def __init__(self, url: Optional[str] = None) -> None:
        self.url = url or default_url()
        if self.url.startswith("sqlite:///"):
            os.makedirs(os.path.dirname(os.path.abspath(self.url[len("sqlite:///"):])), exist_ok=True)
        self.engine = create_engine(self.url, future=True, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        migrate(self.engine)

    def create_case(
        self,
        sender_id: str,
        category: str,
        *,
        channel: Optional[str] = None,
        platform: Optional[str] = None,
        institution_type: Optional[str] = None,
        loan_type: Optional[str] = None,
        amount: Optional[float] = None,
        region: Optional[str] = None,
        summary: Optional[str] = None,
        details: Optional[Dict[str, Any]] = None,
        draft: Optional[str] = None,
        incidents: Iterable[Dict[str, Any]] = (),
    ) -> CaseRecord:
        """A new open case with its letter (version 1) and incidents, under a fresh number."""
        if category not in CATEGORIES:
            raise CaseError(f"unknown case category {category!r}")
        for _ in range(5):  # a clash of random numbers is rare; try again with a new one
            with Session(self.engine) as session:
                row = Case(
                    case_number=new_case_number(), sender_id=sender_id, channel=channel, category=category,
                    platform=platform, institution_type=institution_type, loan_type=loan_type, amount=amount,
                    region=region, summary=summary, details=details or {}, status="open",
                )
                row.history.append(StatusEvent(status="open", changed_by="assistant"))
                if draft:
                    row.documents.append(Document(kind=DOCUMENT_KINDS.get(category, "letter"), version=1, body=draft))
                row.incidents.extend(
                    Incident(occurred=incident.get("occurred"), behaviours=list(incident.get("behaviours") or []),
                             description=incident.get("description"))
                    for incident in incidents
                )
                session.add(row)
                try:
                    session.commit()
                except IntegrityError:
                    session.rollback()
                    continue
                return CaseRecord.of(row)
        raise RuntimeError("could not allocate a unique case number")

    def _query(self, session: Session, **filters: Optional[str]) -> List[Case]:
        query = select(Case).order_by(Case.created_at, Case.id)
        for name, value in filters.items():
            if value is not None:
                query = query.where(getattr(Case, name) == value)
        return list(session.execute(query).scalars())

    def cases_for(self, sender_id: str) -> List[CaseRecord]:
        with Session(self.engine) as session:
            return [CaseRecord.of(row) for row in self._query(session, sender_id=sender_id)]

    def find(self, case_number: str, sender_id: str) -> Optional[CaseRecord]:
        """The case with that number, only if it belongs to `sender_id`."""
        with Session(self.engine) as session:
            rows = self._query(session, case_number=case_number, sender_id=sender_id)
            return CaseRecord.of(rows[0]) if rows else None

    # Staff (borrower/cases.py): every case, by any of its fields.

    def all_cases(self, *, status: Optional[str] = None, category: Optional[str] = None,
                  platform: Optional[str] = None) -> List[CaseRecord]:
        with Session(self.engine) as session:
            return [CaseRecord.of(row) for row in
                    self._query(session, status=status, category=category, platform=platform)]

    def get(self, case_number: str) -> CaseRecord:
        with Session(self.engine) as session:
            return CaseRecord.of(self._one(session, case_number))

    def incidents(self, case_number: str) -> List[Dict[str, Any]]:
        with Session(self.engine) as session:
            return [{"occurred": i.occurred, "behaviours": i.behaviours, "description": i.description}
                    for i in self._one(session, case_number).incidents]

    def set_status(self, case_number: str, status: str, changed_by: str, note: Optional[str] = None) -> CaseRecord:
        """Moves the case to `status` along open → submitted → awaiting_reply → resolved / closed
        and records who did it and when."""
        with Session(self.engine) as session:
            row = self._one(session, case_number)
            if status not in _NEXT_STATUSES.get(row.status, set()):
                raise CaseError(f"{case_number} is {row.status}; it cannot become {status!r} "
                                f"(next: {', '.join(sorted(_NEXT_STATUSES[row.status]))})")
            row.status = status
            row.history.append(StatusEvent(status=status, changed_by=changed_by, note=note))
            session.commit()
            return CaseRecord.of(row)

    def add_document(self, case_number: str, body: str) -> int:
        """A new version of the case's letter; returns its version number."""
        with Session(self.engine) as session:
            row = self._one(session, case_number)
            kind = DOCUMENT_KINDS.get(row.category, "letter")
            version = 1 + (session.execute(
                select(func.max(Document.version)).where(Document.case_id == row.id, Document.kind == kind)
            ).scalar() or 0)
            row.documents.append(Document(kind=kind, version=version, body=body))
            row.updated_at = _now()
            session.commit()
            return version

    def delete_for(self, sender_id: str) -> int:
        """Deletes every case of `sender_id` with its history, letters and incidents; returns how
        many cases there were."""
        with Session(self.engine) as session:
            rows = self._query(session, sender_id=sender_id)
            for row in rows:
                session.delete(row)  # the ORM cascade takes the children along
            session.commit()
            return len(rows)

    @staticmethod
    def _one(session: Session, case_number: str) -> Case:
        row = session.execute(select(Case).where(Case.case_number == case_number)).scalar_one_or_none()
        if row is None:
            raise CaseError(f"no case {case_number}")
        return row


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()

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
import re
import secrets
import unicodedata
from pathlib import Path
from dataclasses import dataclass
from collections import deque
from datetime import date, datetime, timedelta, timezone
from typing import Any, Dict, Iterable, List, Optional, Tuple

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    JSON, Column, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, create_engine,
    event, func, inspect, select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, declarative_base, relationship, validates

from borrower.paths import VAR_DIR
from borrower.secret import decrypt, encrypt, keyed_hash, same_hash

Base = declarative_base()

CATEGORIES = ("complaint", "harassment", "negotiation")
# open → submitted → awaiting_reply → resolved / closed; a case can be closed at any point and
# reopened from resolved or closed.
STATUSES = ("open", "submitted", "awaiting_reply", "resolved", "closed")
_NEXT_STATUSES = {
    "open": {"submitted", "closed"},
    "submitted": {"submitted", "awaiting_reply", "resolved", "closed"},
    "awaiting_reply": {"submitted", "resolved", "closed"},
    "resolved": {"open", "closed"},
    "closed": {"open"},
}
# Where a case waits for a body's reply; a new submission (the next step up) is allowed from there.
WAITING = ("submitted", "awaiting_reply")
FINISHED = ("resolved", "closed")
# Verification of a case number asked from another identity (10,000 possible last four digits):
# after MAX_VERIFY_FAILURES wrong answers that identity cannot verify the case for a day; after
# MAX_CASE_VERIFY_FAILURES wrong answers from all identities, nobody can (the owner's own
# identity still sees it). A stranger's guesses then have at most a 0.3 % chance a day.
MAX_VERIFY_FAILURES = 5
MAX_CASE_VERIFY_FAILURES = 30
VERIFY_LOCK = timedelta(days=1)
# History note on the statuses a user update passes through on its way (staff read it in the CLI).
INTERMEDIATE_NOTE = "随后续进展补记"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Crockford base32 without I, L, O, U: no look-alike characters when read out or typed.
_CASE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CASE_RANDOM_CHARS = 5  # 32^5 ≈ 33.5 million per month prefix


def _now() -> datetime:
    return datetime.now(timezone.utc)


MAX_TEXT = 20_000  # characters of a summary or letter; a letter is about 1,500
MAX_NOTE = 2_000  # characters of one note the user added to a case
MAX_NOTES = 50  # notes kept per case, the newest
AMENDABLE = ("amount", "platform", "institution_type", "loan_type", "region")


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
    # The channel identity that owns it, "<channel>:<sender id>" (actions/identity.py): the same
    # sender id on another channel is someone else.
    owner = Column(String(255), index=True, nullable=False)
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
    # The body the case was last submitted to (knowledge/follow_up.yml) and when its reply is due.
    follow_up_body = Column(String(40))
    follow_up_due = Column(Date)
    follow_up_notified = Column(Date)  # when the user was last told the reply is overdue
    # Keyed hash of the case number and the last four digits of the phone the user gave; a
    # case number asked from another identity is shown only when they match.
    verifier = Column(String(64))
    verify_failures = Column(Integer, nullable=False, default=0, server_default="0")
    verify_locked_until = Column(DateTime(timezone=True))
    # Encrypted phone / ID numbers, only once the user asked for them in full in their letter.
    contact_secret = Column(Text)

    history = relationship("StatusEvent", order_by="StatusEvent.id", cascade="all, delete-orphan")
    documents = relationship("Document", order_by="Document.id", cascade="all, delete-orphan")
    incidents = relationship("Incident", order_by="Incident.id", cascade="all, delete-orphan")
    verify_attempts = relationship("VerifyAttempt", cascade="all, delete-orphan")
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
    """One harassment event as the user described it (masked): when, which behaviours, who was
    contacted, what was said or done."""

    __tablename__ = "incidents"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), index=True, nullable=False)
    occurred = Column(String(100))  # as the user said it: 凌晨两点, 昨天晚上
    behaviours = Column(JSON, nullable=False, default=list)
    contacted = Column(JSON)  # who the collector contacted: 我妈, 同事, 通讯录 …
    description = Column(Text)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    _fit_text = _fitted("occurred", "description")


class VerifyAttempt(Base):
    """Wrong answers to a case's verification from one requesting identity."""

    __tablename__ = "verify_attempts"
    __table_args__ = (UniqueConstraint("case_id", "requester", name="uq_verify_attempts_case_requester"),)

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), index=True, nullable=False)
    requester = Column(String(255), nullable=False)
    failures = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime(timezone=True))


DOCUMENT_KINDS = {"complaint": "complaint_letter", "negotiation": "negotiation_letter"}


@dataclass(frozen=True)
class CaseRecord:
    """What callers get back: plain data, detached from any session."""

    case_number: str
    owner: str
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
    follow_up_body: Optional[str]
    follow_up_due: Optional[date]
    follow_up_notified: Optional[date]
    draft: Optional[str]  # the latest version of its letter
    history: Tuple[Tuple[str, str, datetime], ...]  # (status, changed_by, changed_at)

    def overdue(self, today: date) -> bool:
        """Waiting for a reply whose deadline has passed."""
        return self.status in WAITING and self.follow_up_due is not None and self.follow_up_due < today

    @classmethod
    def of(cls, row: Case) -> "CaseRecord":
        plain = {name: getattr(row, name) for name in cls.__dataclass_fields__ if name not in ("draft", "history")}
        return cls(
            **plain,
            draft=row.documents[-1].body if row.documents else None,
            history=tuple((e.status, e.changed_by, e.changed_at) for e in row.history),
        )


# What is written like a case number, mistyped or not: 「TS-2611-7K3Q」「ts 2611 7k3qx」
# 「TS-2611–7K3QX」, or without its prefix 「2611-7K3QX」; bounded, since it is quoted back.
_CASE_NUMBER_LIKE = re.compile(
    r"(?<![A-Za-z0-9])(?:[Tt][Ss][\s\-_—–－]*[0-9]{2,4}[\s\-_—–－]*[0-9A-Za-z]{0,8}"
    r"|[0-9]{4}[\-_—–－][0-9A-Za-z]{4,6})(?![A-Za-z0-9])")


def case_number_like(text: Optional[str]) -> Optional[str]:
    """The first thing in `text` written like a case number (upper case, trimmed), even one that
    is not a valid number; None when there is none."""
    match = _CASE_NUMBER_LIKE.search(text or "")
    return match.group(0).strip().upper() if match else None


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
        owner: str,
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
        phone_last4: Optional[str] = None,
    ) -> CaseRecord:
        """A new open case with its letter (version 1) and incidents, under a fresh number. With
        `phone_last4`, the case number can later be verified from another identity."""
        if category not in CATEGORIES:
            raise CaseError(f"unknown case category {category!r}")
        for _ in range(5):  # a clash of random numbers is rare; try again with a new one
            with Session(self.engine) as session:
                row = Case(
                    case_number=new_case_number(), owner=owner, channel=channel, category=category,
                    platform=platform, institution_type=institution_type, loan_type=loan_type, amount=amount,
                    region=region, summary=summary, details=details or {}, status="open",
                )
                if phone_last4:
                    row.verifier = keyed_hash(row.case_number, phone_last4)
                row.history.append(StatusEvent(status="open", changed_by="assistant"))
                if draft:
                    row.documents.append(Document(kind=DOCUMENT_KINDS.get(category, "letter"), version=1, body=draft))
                row.incidents.extend(_incident(incident) for incident in incidents)
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

    def cases_for(self, owner: str) -> List[CaseRecord]:
        with Session(self.engine) as session:
            return [CaseRecord.of(row) for row in self._query(session, owner=owner)]

    def find(self, case_number: str, owner: str) -> Optional[CaseRecord]:
        """The case with that number, only if it belongs to `owner`."""
        with Session(self.engine) as session:
            rows = self._query(session, case_number=case_number, owner=owner)
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
            return [{"occurred": i.occurred, "behaviours": i.behaviours, "contacted": i.contacted or [],
                     "description": i.description} for i in self._one(session, case_number).incidents]

    def add_incident(self, case_number: str, incident: Dict[str, Any]) -> CaseRecord:
        with Session(self.engine) as session:
            row = self._one(session, case_number)
            row.incidents.append(_incident(incident))
            row.updated_at = _now()
            session.commit()
            return CaseRecord.of(row)

    def amend(self, case_number: str, fields: Dict[str, Any], note: Optional[str] = None) -> CaseRecord:
        """Corrects the case's amount / platform / institution type / loan type / region (those in `fields`)
        and keeps what the user said as a dated note in details["notes"] (the newest MAX_NOTES)."""
        with Session(self.engine) as session:
            row = self._one(session, case_number)
            for name in AMENDABLE:
                if fields.get(name) is not None:
                    setattr(row, name, fields[name])
            if note:
                notes = list((row.details or {}).get("notes") or [])
                notes.append({"at": _now().isoformat(timespec="seconds"), "text": _fit(note, MAX_NOTE)})
                row.details = {**(row.details or {}), "notes": notes[-MAX_NOTES:]}
            row.updated_at = _now()
            session.commit()
            return CaseRecord.of(row)

    def open_case(self, owner: str, category: str, platform: Optional[str]) -> Optional[CaseRecord]:
        """The user's newest unfinished case of this category against this platform."""
        with Session(self.engine) as session:
            rows = [row for row in self._query(session, owner=owner, category=category, platform=platform)
                    if row.status not in FINISHED]
            return CaseRecord.of(rows[-1]) if rows else None

    def set_status(self, case_number: str, status: str, changed_by: str, note: Optional[str] = None) -> CaseRecord:
        """Moves the case to `status` along open → submitted → awaiting_reply → resolved / closed
        and records who did it and when."""
        with Session(self.engine) as session:
            row = self._one(session, case_number)
            _move(row, status, changed_by, note)
            session.commit()
            return CaseRecord.of(row)

    def advance(self, case_number: str, status: str, changed_by: str, note: Optional[str] = None) -> CaseRecord:
        """Moves the case to `status` through the workflow's intermediate statuses where needed
        (a user who says the lender has answered never said they had submitted), in one
        transaction: each step is recorded, the intermediate ones with a note saying so."""
        with Session(self.engine) as session:
            row = self._one(session, case_number)
            path = workflow_path(row.status, status)
            if path is None:
                raise CaseError(f"{case_number} is {row.status}; it cannot become {status!r}")
            for index, step in enumerate(path, start=1):
                _move(row, step, changed_by, note if index == len(path) else INTERMEDIATE_NOTE)
            session.commit()
            return CaseRecord.of(row)

    def set_follow_up(self, case_number: str, body: Optional[str], due: Optional[date]) -> CaseRecord:
        """Which body the case waits for and when its reply is due (None: no legal deadline)."""
        with Session(self.engine) as session:
            row = self._one(session, case_number)
            row.follow_up_body, row.follow_up_due, row.follow_up_notified = body, due, None
            session.commit()
            return CaseRecord.of(row)

    def overdue_cases(self, owner: str, today: date) -> List[CaseRecord]:
        """The user's cases waiting for a reply that is overdue and that they have not yet been
        told about today."""
        return [case for case in self.cases_for(owner)
                if case.overdue(today) and case.follow_up_notified != today]

    def mark_notified(self, case_number: str, today: date) -> None:
        with Session(self.engine) as session:
            self._one(session, case_number).follow_up_notified = today
            session.commit()

    def verify(self, case_number: str, last4: str, requester: str,
               now: Optional[datetime] = None) -> Optional[CaseRecord]:
        """The case, when `last4` are the last four digits of the phone given when it was made.
        None for a wrong answer, an unknown number, a case without a phone, or a lock — callers
        cannot tell these apart. Wrong answers lock the `requester` who gave them after
        MAX_VERIFY_FAILURES, so a stranger cannot lock the owner out of their case; identities
        are cheap to make, so the case also closes to every requester after
        MAX_CASE_VERIFY_FAILURES wrong answers from all of them (its owner's own identity never
        needs to verify)."""
        now = now or _now()
        with Session(self.engine) as session:
            row = session.execute(select(Case).where(Case.case_number == case_number)).scalar_one_or_none()
            if row is None or row.verifier is None:
                return None
            attempt = session.execute(select(VerifyAttempt).where(
                VerifyAttempt.case_id == row.id, VerifyAttempt.requester == requester)).scalar_one_or_none()
            if attempt is None:
                attempt = VerifyAttempt(requester=requester, failures=0)
                row.verify_attempts.append(attempt)
            if _later(row.verify_locked_until, now) or _later(attempt.locked_until, now):
                return None
            if same_hash(row.verifier, case_number, last4):
                row.verify_failures, attempt.failures = 0, 0
                session.commit()
                return CaseRecord.of(row)
            attempt.failures = (attempt.failures or 0) + 1
            if attempt.failures >= MAX_VERIFY_FAILURES:
                attempt.failures, attempt.locked_until = 0, now + VERIFY_LOCK
            row.verify_failures = (row.verify_failures or 0) + 1
            if row.verify_failures >= MAX_CASE_VERIFY_FAILURES:
                row.verify_failures, row.verify_locked_until = 0, now + VERIFY_LOCK
            session.commit()
            return None

    def store_contact(self, case_number: str, contact: Dict[str, Optional[str]]) -> None:
        """Keeps the numbers encrypted with the case, for its letter; earlier ones are replaced
        only by numbers given now (a new phone keeps the stored ID number)."""
        with Session(self.engine) as session:
            row = self._one(session, case_number)
            merged = {**(decrypt(row.contact_secret) or {}), **{k: v for k, v in contact.items() if v}}
            row.contact_secret = encrypt(merged)
            session.commit()

    def contact(self, case_number: str) -> Dict[str, Optional[str]]:
        with Session(self.engine) as session:
            return decrypt(self._one(session, case_number).contact_secret) or {}

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

    def delete_for(self, owner: str) -> int:
        """Deletes every case of `owner` with its history, letters and incidents; returns how
        many cases there were."""
        with Session(self.engine) as session:
            rows = self._query(session, owner=owner)
            for row in rows:
                session.delete(row)  # the ORM cascade takes the children along
            session.commit()
            return len(rows)

    def delete_case(self, case_number: str, owner: str) -> bool:
        """Deletes one case of `owner` with its history, letters and incidents; False when
        there is no such case of theirs (another user's case is never touched)."""
        with Session(self.engine) as session:
            rows = self._query(session, case_number=case_number, owner=owner)
            for row in rows:
                session.delete(row)
            session.commit()
            return bool(rows)

    @staticmethod
    def _one(session: Session, case_number: str) -> Case:
        row = session.execute(select(Case).where(Case.case_number == case_number)).scalar_one_or_none()
        if row is None:
            raise CaseError(f"no case {case_number}")
        return row


def _later(moment: Optional[datetime], now: datetime) -> bool:
    """Whether `moment` (naive from SQLite: UTC) is after `now`."""
    return moment is not None and (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)) > now


def _move(row: Case, status: str, changed_by: str, note: Optional[str]) -> None:
    """One step of the workflow, recorded; a case that no longer waits for a reply loses its
    deadline."""
    if status not in _NEXT_STATUSES.get(row.status, set()):
        raise CaseError(f"{row.case_number} is {row.status}; it cannot become {status!r} "
                        f"(next: {', '.join(sorted(_NEXT_STATUSES[row.status]))})")
    row.status = status
    row.history.append(StatusEvent(status=status, changed_by=changed_by, note=note))
    if status not in WAITING:
        row.follow_up_body = row.follow_up_due = row.follow_up_notified = None


def workflow_path(current: str, target: str) -> Optional[List[str]]:
    """The shortest list of statuses that leads from `current` to `target` (empty when already
    there and it cannot be entered again), or None when the workflow has no way."""
    if target not in STATUSES:
        return None
    if current == target:
        return [target] if target in _NEXT_STATUSES.get(current, ()) else []
    queue, seen = deque([(current, [])]), {current}
    while queue:
        status, path = queue.popleft()
        for following in sorted(_NEXT_STATUSES.get(status, ())):
            if following == target:
                return path + [following]
            if following not in seen:
                seen.add(following)
                queue.append((following, path + [following]))
    return None


def _incident(incident: Dict[str, Any]) -> Incident:
    return Incident(occurred=incident.get("occurred"), behaviours=list(incident.get("behaviours") or []),
                    contacted=list(incident.get("contacted") or []), description=incident.get("description"))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()

"""Case records (SQLAlchemy 1.4 with the 2.0-style API): the repository the actions use.

SQLite file by default (WAL, busy timeout); any SQLAlchemy URL via CASES_DB_URL, e.g.
postgresql+psycopg2://user:pass@host/db.
"""

import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

from sqlalchemy import JSON, Column, DateTime, Float, Integer, String, Text, create_engine, event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, declarative_base

from borrower.paths import VAR_DIR

Base = declarative_base()

CATEGORIES = ("complaint", "harassment", "negotiation")
# Crockford base32 without I, L, O, U: no look-alike characters when read out or typed.
_CASE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CASE_RANDOM_CHARS = 5  # 32^5 ≈ 33.5 million per month prefix


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Case(Base):
    __tablename__ = "cases"

    id = Column(Integer, primary_key=True)
    case_number = Column(String(20), unique=True, nullable=False)
    sender_id = Column(String(255), index=True, nullable=False)
    category = Column(String(20), nullable=False)
    platform = Column(String(100))
    institution_type = Column(String(40))
    loan_type = Column(String(40))
    amount = Column(Float)
    summary = Column(Text)
    details = Column(JSON, nullable=False, default=dict)
    draft = Column(Text)
    status = Column(String(20), nullable=False, default="open")
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=_now, onupdate=_now)


@dataclass(frozen=True)
class CaseRecord:
    """What callers get back: plain data, detached from any session."""

    case_number: str
    sender_id: str
    category: str
    platform: Optional[str]
    institution_type: Optional[str]
    loan_type: Optional[str]
    amount: Optional[float]
    summary: Optional[str]
    details: Dict[str, Any]
    draft: Optional[str]
    status: str
    created_at: datetime

    @classmethod
    def of(cls, row: Case) -> "CaseRecord":
        return cls(**{name: getattr(row, name) for name in cls.__dataclass_fields__})


def new_case_number(now: Optional[datetime] = None) -> str:
    """E.g. TS-2611-7K3QX: year and month, then 5 random Crockford base32 characters."""
    now = now or _now()
    random_part = "".join(secrets.choice(_CASE_ALPHABET) for _ in range(_CASE_RANDOM_CHARS))
    return f"TS-{now:%y%m}-{random_part}"


def default_url() -> str:
    return os.environ.get("CASES_DB_URL") or f"sqlite:///{VAR_DIR / 'cases.db'}"


class CaseStore:
    def __init__(self, url: Optional[str] = None) -> None:
        self.url = url or default_url()
        if self.url.startswith("sqlite:///"):
            os.makedirs(os.path.dirname(os.path.abspath(self.url[len("sqlite:///"):])), exist_ok=True)
        self.engine = create_engine(self.url, future=True, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(self.engine)

    def create_case(
        self,
        sender_id: str,
        category: str,
        *,
        platform: Optional[str] = None,
        institution_type: Optional[str] = None,
        loan_type: Optional[str] = None,
        amount: Optional[float] = None,
        summary: Optional[str] = None,
        details: Optional[Dict[str, Any]] = None,
        draft: Optional[str] = None,
    ) -> CaseRecord:
        if category not in CATEGORIES:
            raise ValueError(f"unknown case category {category!r}")
        for _ in range(5):  # a clash of random numbers is rare; try again with a new one
            with Session(self.engine) as session:
                row = Case(
                    case_number=new_case_number(),
                    sender_id=sender_id,
                    category=category,
                    platform=platform,
                    institution_type=institution_type,
                    loan_type=loan_type,
                    amount=amount,
                    summary=summary,
                    details=details or {},
                    draft=draft,
                )
                session.add(row)
                try:
                    session.commit()
                except IntegrityError:
                    session.rollback()
                    continue
                return CaseRecord.of(row)
        raise RuntimeError("could not allocate a unique case number")

    def cases_for(self, sender_id: str) -> List[CaseRecord]:
        with Session(self.engine) as session:
            rows = session.execute(
                select(Case).where(Case.sender_id == sender_id).order_by(Case.created_at)
            ).scalars()
            return [CaseRecord.of(row) for row in rows]

    def find(self, case_number: str, sender_id: str) -> Optional[CaseRecord]:
        """The case with that number, only if it belongs to `sender_id`."""
        with Session(self.engine) as session:
            row = session.execute(
                select(Case).where(Case.case_number == case_number, Case.sender_id == sender_id)
            ).scalar_one_or_none()
            return CaseRecord.of(row) if row else None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()

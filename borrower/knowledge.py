"""The knowledge base (knowledge/*.yml): channels, institution types and rules, each with its
source and confidence. Validated when loaded: a malformed entry raises KnowledgeError naming it.
"""

from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional

import yaml
from pydantic import BaseModel, ValidationError, root_validator, validator

from borrower.paths import KNOWLEDGE_DIR

CONFIDENCE_LEVELS = ("H", "M", "L", "H/M", "M/H", "M/L", "L/M")
# The knowledge files and the KnowledgeBase field each fills (None: its top-level keys are fields).
KNOWLEDGE_FILES = {
    "channels.yml": None, "rules.yml": None, "lpr.yml": None, "escalation.yml": "escalation",
    "follow_up.yml": "follow_up",
}
# Knowledge sections whose facts a complaint letter may cite (IssueType.letter_facts).
LETTER_SECTIONS = ("interest", "credit_report", "harassment_general")
# Placeholder in a harassment entry's channels: the regulator of the lender at hand.
REGULATOR = "regulator"


class KnowledgeError(ValueError):
    """The knowledge base on disk is malformed."""


class Sourced(BaseModel):
    source: str
    confidence: str

    @validator("source")
    def _source_present(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("every fact needs a source")
        return value

    @validator("confidence")
    def _known_confidence(cls, value: str) -> str:
        if value not in CONFIDENCE_LEVELS:
            raise ValueError(f"confidence must be one of {CONFIDENCE_LEVELS}")
        return value

    @property
    def certain(self) -> bool:
        """Weak facts (L first or alone) must be worded as uncertain."""
        return not self.confidence.startswith("L")


class Fact(Sourced):
    text: str
    letter: bool = False  # cited in drafted letters (only certain facts are)


class Channel(Sourced):
    id: str
    name: str
    contact: str
    handles: str
    online: bool
    online_note: Optional[str] = None
    hours_note: Optional[str] = None
    response_time: Optional[str] = None
    last_checked: str


class InstitutionType(Sourced):
    id: str
    name: str
    name_markers: List[str]
    loan_types: List[str] = []
    regulator_channels: List[str]
    first_step: str = "lender"  # escalation role the ladder starts with (escalation.yml roles)
    settle_step: str = "mediation"  # escalation role before the court
    regulator_why: Optional[str] = None  # replaces the regulator role's reason
    issues: Optional[List[str]] = None  # issue types this kind can cause; None: all
    otherwise: Optional[str] = None  # institution type whose ladder serves the other issues
    problem_markers: List[str] = []  # words in a problem description that name this kind as its cause
    overrides_known_lender: bool = False  # problem markers win even when the lender's type is known


class Role(BaseModel):
    """A common escalation step (escalation.yml roles): why it fits and what to bring. The
    regulator role takes its source from the institution type, so it has none of its own."""

    why: str
    bring: str
    channel: Optional[str] = None
    source: Optional[str] = None
    confidence: Optional[str] = None


class IssueStep(Sourced):
    channel: str
    why: str
    bring: str
    online_only: bool = False


class IssueLenderStep(Sourced):
    why: str
    bring: str


class ChannelNote(Sourced):
    why: str


class IssueType(BaseModel):
    id: str
    name: str
    words: List[str]
    bring: List[str]
    steps: List[IssueStep]
    safety: bool = False
    lender: Optional[IssueLenderStep] = None
    letter_facts: Optional[str] = None  # knowledge section whose `letter` facts a complaint letter cites


class Escalation(BaseModel):
    roles: Dict[str, Role]
    find_out: str
    local_channels: List[str]
    issue_types: List[IssueType]
    channel_notes: Dict[str, ChannelNote] = {}

    @root_validator(skip_on_failure=True)
    def _roles_complete(cls, values: dict) -> dict:
        needed = {"lender", "regulator", "police", "mediation", "court"}
        missing = needed - set(values["roles"])
        if missing:
            raise ValueError(f"escalation roles missing {sorted(missing)}")
        for role_id, role in values["roles"].items():
            if role_id == "regulator":
                continue
            if not role.channel or not role.source or role.confidence not in CONFIDENCE_LEVELS:
                raise ValueError(f"escalation role {role_id} needs a channel, a source and a confidence")
        return values

    def issue_type(self, issue_id: str) -> IssueType:
        return next(issue for issue in self.issue_types if issue.id == issue_id)


class HarassmentRules(BaseModel):
    name: str
    rules: List[Fact]
    evidence: List[str]
    channels: List[str]


class Negotiation(BaseModel):
    credit_card: List[Fact]
    other: List[Fact]
    general: List[Fact]
    documents: Fact


class Lpr(Sourced):
    one_year_percent: float
    five_year_percent: float
    as_of: str
    note: str

    @property
    def private_lending_cap_percent(self) -> float:
        """4 × the one-year LPR: the court cap for private lending."""
        return round(4 * self.one_year_percent, 2)


class FollowUpBody(Sourced):
    """A body a complaint or dispute can be submitted to, with its reply deadline when the law
    sets one (follow_up.yml)."""

    id: str
    name: str
    words: List[str]
    reply_days: Optional[int] = None
    deadline: Optional[str] = None  # the deadline as told to the user
    next: List[str]  # channel ids, or `regulator`
    next_note: Optional[str] = None

    @root_validator(skip_on_failure=True)
    def _deadline_complete(cls, values: dict) -> dict:
        if (values.get("reply_days") is None) != (values.get("deadline") is None):
            raise ValueError(f"follow-up body {values['id']}: give reply_days and deadline together")
        return values


class FollowUp(BaseModel):
    bodies: List[FollowUpBody]

    def body(self, body_id: str) -> FollowUpBody:
        return next(body for body in self.bodies if body.id == body_id)


class KnowledgeBase(BaseModel):
    channels: List[Channel]
    institution_types: List[InstitutionType]
    harassment: Dict[str, HarassmentRules]
    harassment_general: List[Fact]
    harassment_default_evidence: List[str]
    negotiation: Negotiation
    interest: List[Fact]
    credit_report: List[Fact]
    complaint_evidence: List[str]
    lpr: Lpr
    escalation: Escalation
    follow_up: FollowUp

    @root_validator(skip_on_failure=True)
    def _references_resolve(cls, values: dict) -> dict:
        known = {channel.id for channel in values["channels"]}
        for kind in values["institution_types"]:
            missing = set(kind.regulator_channels) - known
            if missing:
                raise ValueError(f"institution type {kind.id} names unknown channels {missing}")
        for behaviour, entry in values["harassment"].items():
            missing = set(entry.channels) - known - {REGULATOR}
            if missing:
                raise ValueError(f"harassment {behaviour} names unknown channels {missing}")
        if not any(kind.id == "unknown" for kind in values["institution_types"]):
            raise ValueError("institution_types needs an 'unknown' entry")
        escalation = values["escalation"]
        named = [role.channel for role in escalation.roles.values() if role.channel]
        named += [step.channel for issue in escalation.issue_types for step in issue.steps]
        named += list(escalation.channel_notes)
        missing = set(named) - known
        if missing:
            raise ValueError(f"escalation.yml names unknown channels {sorted(missing)}")
        missing = set(escalation.local_channels) - known
        if missing:
            raise ValueError(f"escalation.yml local_channels names unknown channels {sorted(missing)}")
        for issue in escalation.issue_types:
            if issue.letter_facts and issue.letter_facts not in LETTER_SECTIONS:
                raise ValueError(f"issue type {issue.id}: letter_facts must be one of {LETTER_SECTIONS}")
        missing = {step for body in values["follow_up"].bodies for step in body.next} - known - {REGULATOR}
        if missing:
            raise ValueError(f"follow_up.yml names unknown channels {sorted(missing)}")
        issue_ids = {issue.id for issue in escalation.issue_types}
        kind_ids = {kind.id for kind in values["institution_types"]}
        for kind in values["institution_types"]:
            if set(kind.issues or ()) - issue_ids or (kind.otherwise and kind.otherwise not in kind_ids):
                raise ValueError(f"institution type {kind.id} names unknown issue or institution types")
            if kind.issues is not None and not kind.otherwise:
                raise ValueError(f"institution type {kind.id} lists issues but no `otherwise`")
            for role in (kind.first_step, kind.settle_step):
                if role not in escalation.roles:
                    raise ValueError(f"institution type {kind.id} names unknown escalation role {role}")
        return values

    def channel(self, channel_id: str) -> Channel:
        return next(channel for channel in self.channels if channel.id == channel_id)

    def institution_type(self, type_id: str) -> InstitutionType:
        return next(kind for kind in self.institution_types if kind.id == type_id)

    def classify_institution(self, name: Optional[str], loan_type: Optional[str]) -> InstitutionType:
        """Institution type from the lender's name (markers) or, failing that, the loan type id."""
        for kind in self.institution_types:
            if name and any(marker in name for marker in kind.name_markers):
                return kind
        for kind in self.institution_types:
            if loan_type and loan_type in kind.loan_types:
                return kind
        return self.institution_type("unknown")


def load_knowledge(directory: Path = KNOWLEDGE_DIR) -> KnowledgeBase:
    data: dict = {}
    for name, key in KNOWLEDGE_FILES.items():
        path = directory / name
        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            data.update({key: content} if key else content)
        except (OSError, yaml.YAMLError) as error:
            raise KnowledgeError(f"cannot read {path}: {error}") from error
    try:
        return KnowledgeBase.parse_obj(data)
    except ValidationError as error:
        raise KnowledgeError(f"knowledge base in {directory} is malformed:\n{error}") from error


@lru_cache(maxsize=1)
def knowledge() -> KnowledgeBase:
    return load_knowledge()

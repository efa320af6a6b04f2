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
    for name in ("channels.yml", "rules.yml", "lpr.yml"):
        path = directory / name
        try:
            data.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        except (OSError, yaml.YAMLError) as error:
            raise KnowledgeError(f"cannot read {path}: {error}") from error
    try:
        return KnowledgeBase.parse_obj(data)
    except ValidationError as error:
        raise KnowledgeError(f"knowledge base in {directory} is malformed:\n{error}") from error


@lru_cache(maxsize=1)
def knowledge() -> KnowledgeBase:
    return load_knowledge()

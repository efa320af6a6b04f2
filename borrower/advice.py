"""Domain decisions behind the advice: which channels, in what order; which rules a collection
behaviour breaks; what a repayment plan looks like. Pure functions over the knowledge base.
"""

import math
from dataclasses import dataclass, field
from typing import List, Optional, Sequence

from borrower.knowledge import REGULATOR, Channel, Fact, InstitutionType, KnowledgeBase
from borrower.lexicon import lexicon
from borrower.text import clock_hours, is_night_hour

# Order in which channels are recommended: safety first, then the lender, then supervisors,
# then bodies that handle a part of the problem, the court last.
CHANNEL_PRIORITY = (
    "police_110",
    "lender",
    "nfra_12378",
    "local_finance_bureau",
    "hotline_12345",
    "pboc_12363",
    "samr_12315",
    "miit_12321",
    "nifa_report",
    "consumer_association",
    "mediation",
    "court",
)
DEALER_WORDS = ("4s", "4S", "车商", "经销商", "金融服务费", "服务费", "gps", "GPS", "加装")
# Longest instalment plan the fact sheet reports as a typical outcome (months).
MAX_PLAN_MONTHS = 60


def _ordered(channel_ids: Sequence[str]) -> List[str]:
    unique = list(dict.fromkeys(channel_ids))
    return sorted(unique, key=CHANNEL_PRIORITY.index)


@dataclass
class Ladder:
    kind: InstitutionType
    channels: List[Channel]


def complaint_ladder(
    kb: KnowledgeBase, platform: Optional[str], loan_type: Optional[str], problem: Optional[str]
) -> Ladder:
    """Escalation ladder for a complaint: the lender first, then its supervisor, then helpers."""
    kind = kb.classify_institution(platform, loan_type)
    ids = ["lender", *kind.regulator_channels]
    if loan_type == "online_loan" or kind.id == "micro_loan":
        ids.append("nifa_report")
    if problem and any(word in problem for word in DEALER_WORDS):
        ids.append("samr_12315")
    ids += ["mediation", "court"]
    return Ladder(kind, [kb.channel(channel_id) for channel_id in _ordered(ids)])


NIGHT_CALLS = "night_calls"


def behaviours_in(text: Optional[str]) -> List[str]:
    """Collection behaviours a message describes, as knowledge-base ids, in order of mention.

    Night calls are read from the time ("半夜", "凌晨两点", "晚上11点"), the rest from the
    lexicon's harassment_type terms.
    """
    found = [entry.id for entry in lexicon().find(text, "harassment_type")]
    night_words = any(entry.id == "night" for entry in lexicon().find(text, "time_of_day"))
    if night_words or any(is_night_hour(hour) for hour in clock_hours(text)):
        found.insert(0, NIGHT_CALLS)
    return found


@dataclass
class HarassmentFindings:
    kind: InstitutionType
    behaviours: List[str]
    rules: List[Fact]
    evidence: List[str]
    channels: List[Channel]
    general: List[Fact] = field(default_factory=list)


def harassment_findings(
    kb: KnowledgeBase, behaviours: Sequence[str], platform: Optional[str], loan_type: Optional[str]
) -> HarassmentFindings:
    """Rules broken, evidence to keep and channels, for the behaviours the user described."""
    kind = kb.classify_institution(platform, loan_type)
    known = [b for b in dict.fromkeys(behaviours) if b in kb.harassment]
    rules: List[Fact] = []
    evidence: List[str] = []
    channel_ids: List[str] = []
    for behaviour in known:
        entry = kb.harassment[behaviour]
        rules += [rule for rule in entry.rules if rule not in rules]
        evidence += [item for item in entry.evidence if item not in evidence]
        channel_ids += entry.channels
    if not known:
        channel_ids = ["lender", REGULATOR]
        evidence = list(kb.harassment_default_evidence)
    resolved: List[str] = []
    for channel_id in channel_ids:
        resolved += kind.regulator_channels if channel_id == REGULATOR else [channel_id]
    return HarassmentFindings(
        kind=kind,
        behaviours=known,
        rules=rules,
        evidence=evidence,
        channels=[kb.channel(channel_id) for channel_id in _ordered(resolved)],
        general=list(kb.harassment_general),
    )


@dataclass
class RepaymentSketch:
    debt: float
    income: float
    affordable: float
    months_needed: Optional[int]  # None when nothing can be paid
    fits_plan: bool  # months_needed within MAX_PLAN_MONTHS
    min_monthly_for_max_plan: float
    share_of_income: Optional[float]  # affordable / income, None without income
    max_plan_months: int = MAX_PLAN_MONTHS


def repayment_sketch(debt: float, income: float, affordable: float) -> RepaymentSketch:
    """How long the debt takes at the amount the user can pay (principal only, no interest)."""
    months = math.ceil(debt / affordable) if affordable > 0 and debt > 0 else None
    return RepaymentSketch(
        debt=debt,
        income=income,
        affordable=affordable,
        months_needed=months,
        fits_plan=months is not None and months <= MAX_PLAN_MONTHS,
        min_monthly_for_max_plan=math.ceil(debt / MAX_PLAN_MONTHS) if debt > 0 else 0,
        share_of_income=(affordable / income) if income > 0 else None,
    )

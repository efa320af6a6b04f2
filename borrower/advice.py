"""Domain decisions behind the advice: which channels, in what order; which rules a collection
behaviour breaks; what a repayment plan looks like. Pure functions over the knowledge base.
"""

import math
from dataclasses import dataclass, field
from typing import List, Optional, Sequence

from borrower.knowledge import REGULATOR, Channel, Fact, InstitutionType, IssueType, KnowledgeBase
from borrower.lexicon import lexicon
from borrower.text import clock_hours, is_night_hour, normalize

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
# Longest instalment plan the fact sheet reports as a typical outcome (months).
MAX_PLAN_MONTHS = 60


def _ordered(channel_ids: Sequence[str]) -> List[str]:
    unique = list(dict.fromkeys(channel_ids))
    return sorted(unique, key=CHANNEL_PRIORITY.index)


@dataclass
class Step:
    """One rung of an escalation ladder: where to go, why it fits, what to bring."""

    channel: Channel
    why: str
    bring: str
    source: str
    certain: bool
    where: Optional[str] = None  # the user's region, for a local body
    deadline: Optional[str] = None  # the channel's reply deadline, unless the step has its own


@dataclass
class EscalationLadder:
    kind: InstitutionType
    issue: Optional[IssueType]
    steps: List[Step]
    bring: List[str]  # evidence for the whole complaint
    find_out: Optional[str] = None  # how to tell the institution type, when it is unknown
    redirected_from: Optional[InstitutionType] = None  # the kind named, when it does not cause this issue
    from_problem: bool = False  # the institution type was read from the problem ("4S店收了…")

    @property
    def channel_ids(self) -> List[str]:
        return [step.channel.id for step in self.steps]


def classify_issue(kb: KnowledgeBase, text: Optional[str]) -> Optional[IssueType]:
    """The kind of problem a description names: the first issue type (escalation.yml order,
    safety first) with a word in the text; None when none matches."""
    cleaned = normalize(text)
    return next((issue for issue in kb.escalation.issue_types if any(w in cleaned for w in issue.words)), None)


def escalation_ladder(
    kb: KnowledgeBase,
    kind_id: str,
    issue_id: Optional[str],
    region: Optional[str] = None,
    online: bool = False,
) -> EscalationLadder:
    """The ordered steps for a kind of institution and a kind of problem (escalation.yml):
    110 where safety is at stake, the institution's first step, its supervisors, the bodies the
    problem belongs to, mediation (or the consumer association), the court."""
    escalation = kb.escalation
    kind = kb.institution_type(kind_id)
    issue = escalation.issue_type(issue_id) if issue_id else None
    if issue and kind.issues is not None and issue.id not in kind.issues and kind.otherwise:
        ladder = escalation_ladder(kb, kind.otherwise, issue_id, region, online)
        ladder.redirected_from = kind
        return ladder
    roles = escalation.roles
    steps: List[Step] = []

    def add(channel_id: str, why: str, bring: str, source: str, confidence: str, own_deadline: bool = False) -> None:
        if channel_id in [step.channel.id for step in steps]:
            return
        channel = kb.channel(channel_id)
        steps.append(Step(
            channel=channel, why=why, bring=bring, source=source, certain=not confidence.startswith("L"),
            where=region if channel_id in escalation.local_channels else None,
            deadline=None if own_deadline else channel.response_time,
        ))

    def add_role(role_id: str) -> None:
        role = roles[role_id]
        add(role.channel, role.why, role.bring, role.source, role.confidence)

    if issue and issue.safety:
        add_role("police")
    if issue and issue.lender and kind.first_step == "lender":
        lender = issue.lender
        add(roles["lender"].channel, lender.why, lender.bring, lender.source, lender.confidence, own_deadline=True)
    else:
        add_role(kind.first_step)
    regulator = roles["regulator"]
    for channel_id in kind.regulator_channels:
        note = escalation.channel_notes.get(channel_id)
        if note:  # a body that forwards rather than supervises (12345)
            add(channel_id, note.why, regulator.bring, note.source, note.confidence)
        else:
            why = kind.regulator_why or regulator.why.format(regulated=kind.name)
            add(channel_id, why, regulator.bring, kind.source, kind.confidence)
    for step in issue.steps if issue else []:
        if online or not step.online_only:
            add(step.channel, step.why, step.bring, step.source, step.confidence)
    add_role(kind.settle_step)
    add_role("court")
    return EscalationLadder(
        kind=kind,
        issue=issue,
        steps=steps,
        bring=list(issue.bring) if issue else list(kb.complaint_evidence),
        find_out=escalation.find_out if kind.id == "unknown" else None,
    )


def complaint_ladder(
    kb: KnowledgeBase,
    platform: Optional[str],
    loan_type: Optional[str],
    problem: Optional[str],
    region: Optional[str] = None,
) -> EscalationLadder:
    """The escalation ladder for what the user said: the institution type from the lender's
    name or loan type — or from the problem, when it names who caused it ("4S店收了金融服务费") —
    the issue type from the problem's words, NIFA's report platform only for online lending."""
    kind = kb.classify_institution(platform, loan_type)
    issue = classify_issue(kb, problem)
    cleaned = normalize(problem)
    named = next((k for k in kb.institution_types if any(marker in cleaned for marker in k.problem_markers)), None)
    from_problem = bool(
        named and (issue is None or named.issues is None or issue.id in named.issues)
        and (kind.id == "unknown" or named.overrides_known_lender)
    )
    if from_problem:
        kind = named
    online = loan_type == "online_loan" or kind.id == "micro_loan"
    ladder = escalation_ladder(kb, kind.id, issue.id if issue else None, region, online)
    ladder.from_problem = from_problem
    return ladder


def letter_rules(kb: KnowledgeBase, issue: Optional[IssueType]) -> List[Fact]:
    """The facts a complaint letter about this kind of problem cites: the `letter` facts of the
    issue's knowledge section, certain ones only (a letter states them as fact)."""
    if issue is None or not issue.letter_facts:
        return []
    return [fact for fact in getattr(kb, issue.letter_facts) if fact.letter and fact.certain]


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


# Instalment terms a plan is proposed in (months); the longest is MAX_PLAN_MONTHS.
PLAN_TERMS = (12, 24, 36, 48, MAX_PLAN_MONTHS)
# The terms shown when the user did not say what they can pay each month.
UNKNOWN_MEANS_TERMS = (12, 36, MAX_PLAN_MONTHS)


@dataclass
class Plan:
    kind: str  # "instalments", "deferral" or "settlement"
    months: Optional[int] = None
    monthly: Optional[float] = None  # principal per month, rounded up to a yuan
    within_means: Optional[bool] = True  # monthly fits what the user can pay; None: not known


@dataclass
class RepaymentPlans:
    """Plans to propose to a lender, from the user's own numbers. Figures are principal only:
    whether interest and fees keep running is what the negotiation decides. A figure the user
    skipped or did not know is None — never 0, which would say "no income"."""

    debt: float
    income: Optional[float]
    essentials: Optional[float]
    affordable: Optional[float]  # what the user said they can pay
    pay: Optional[float]  # what the plans assume: the affordable amount, capped by income less essentials
    capacity: Optional[float]  # income less essentials, when the user knew both
    overstated: bool  # the affordable amount is more than income less essentials
    plans: List[Plan]
    max_plan_months: int = MAX_PLAN_MONTHS


def repayment_plans(
    debt: Optional[float], income: Optional[float], affordable: Optional[float], essentials: Optional[float] = None
) -> RepaymentPlans:
    """Instalments (the shortest common term the user can afford, and the longest, 60 months),
    deferral when nothing or not enough can be paid, and a lump-sum settlement to negotiate.
    Without the amount the user can pay, the common terms are shown without a verdict."""
    debt = debt or 0.0
    capacity = max(income - essentials, 0.0) if essentials is not None and income is not None else None
    ceiling = capacity if capacity is not None else income
    # Someone with no income may still pay from family help: only a stated income caps the amount.
    overstated = bool(income) and affordable is not None and ceiling is not None and affordable > ceiling
    pay = min(affordable, ceiling) if overstated else affordable
    plans: List[Plan] = []
    if debt > 0 and pay is None:
        plans = [Plan("instalments", months, float(math.ceil(debt / months)), within_means=None)
                 for months in UNKNOWN_MEANS_TERMS]
        plans.append(Plan("settlement"))
    elif debt > 0:
        shortest = next((n for n in PLAN_TERMS if debt / n <= pay), None) if pay > 0 else None
        for months in dict.fromkeys(n for n in (shortest, MAX_PLAN_MONTHS) if n):
            monthly = float(math.ceil(debt / months))
            plans.append(Plan("instalments", months, monthly, within_means=monthly <= pay))
        if shortest is None:
            plans.append(Plan("deferral", MAX_PLAN_MONTHS, float(math.ceil(debt / MAX_PLAN_MONTHS)), within_means=False))
        plans.append(Plan("settlement"))
    return RepaymentPlans(
        debt=debt, income=income, essentials=essentials, affordable=affordable, pay=pay,
        capacity=capacity, overstated=overstated, plans=plans,
    )

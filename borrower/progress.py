"""What a user's report on their case means: the status it moves to (lexicon/progress.yml), the
body they submitted to and its reply deadline (knowledge/follow_up.yml), and the day it
happened (「3天前」「十一月二号」「上周五」「上个月15号」「大前天」; not 「月初」「国庆后」)."""

import logging
import re
import warnings
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Text, Tuple

import cn2an
import yaml

from borrower.casestore import CaseRecord
from borrower.knowledge import REGULATOR, Channel, FollowUpBody, knowledge
from borrower.lexicon import lexicon
from borrower.paths import LEXICON_DIR
from borrower.render import render
from borrower.text import mask_pii, normalize, parse_duration_days

logger = logging.getLogger(__name__)

# Reports that change nothing: the assistant suggests the next step straight away.
NEXT_STEP_NOW = ("unsatisfied", "no_reply")


@dataclass(frozen=True)
class Progress:
    status: Optional[str]  # a case status, one of NEXT_STEP_NOW, or None: not understood
    body: Optional[FollowUpBody]  # who it was submitted to, when the message says
    on: date  # the day it happened

    def due(self, body: Optional[FollowUpBody] = None) -> Optional[date]:
        """When the reply of `body` (default: the body the message named) is due, if the law
        sets a deadline."""
        body = body or self.body
        if body is None or body.reply_days is None:
            return None
        return self.on + timedelta(days=body.reply_days)


@lru_cache(maxsize=1)
def _spec() -> Dict[str, Any]:
    return yaml.safe_load((LEXICON_DIR / "progress.yml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _vocabulary() -> Tuple[Dict[str, List[str]], "re.Pattern[str]"]:
    negation = "|".join(sorted(_spec()["negations"], key=len, reverse=True))
    return _spec()["statuses"], re.compile(f"(?:{negation})$")


@dataclass(frozen=True)
class CaseEdit:
    """What an update_case message adds to a recorded case besides a status."""

    incident: Optional[Dict[str, Any]]  # a new collection incident, as CaseStore.add_incident takes it
    fields: Dict[str, Any]  # corrected case fields: amount, platform, loan_type, region
    note: str  # the message, ID / phone / card numbers masked


@lru_cache(maxsize=1)
def _edit_vocabulary() -> Tuple["re.Pattern[str]", "re.Pattern[str]"]:
    stale = "|".join(sorted(_spec()["stale_value"], key=len, reverse=True))
    return re.compile("|".join(_spec()["corrections"])), re.compile(f"(?:{stale})\\s*$")


# Case field a correction may change → the entities that give it, the first found winning
# (「江苏苏州」: the city is the region).
_FIELDS = {"amount": ("amount",), "platform": ("platform",), "loan_type": ("loan_type",),
           "region": ("city", "province")}
_FIELD_ENTITIES = {name for names in _FIELDS.values() for name in names}


def read_edit(text: Optional[str], entities: Iterable[Dict[str, Any]]) -> CaseEdit:
    """The incident and corrections an update_case message carries, from its NLU entities:
    collection behaviours not negated (「已经不打我家人电话了」 is no incident) make an incident;
    amount / platform / loan type / city / province change the case only when the message says something
    was wrong, and then only the value that is not marked as the old one."""
    cleaned = normalize(text)
    corrects, stale = _edit_vocabulary()
    behaviours: List[str] = []
    time_of_day: Optional[str] = None
    candidates: Dict[str, List[Any]] = {}
    for entity in entities:
        name, value, start = entity.get("entity"), entity.get("value"), entity.get("start") or 0
        if value in (None, ""):
            continue
        if name == "harassment_type":
            if not _negated(cleaned, start) and value not in behaviours:
                behaviours.append(str(value))
        elif name == "time_of_day" and time_of_day is None:
            time_of_day = str(value)
        elif name in _FIELD_ENTITIES and not stale.search(cleaned[max(0, start - 5):start]):
            candidates.setdefault(name, []).append(value)
    fields: Dict[str, Any] = {}
    if corrects.search(cleaned):
        for field, names in _FIELDS.items():
            values = next((candidates[name] for name in names if name in candidates), [])
            distinct = list(dict.fromkeys(values))
            if len(distinct) == 1:  # two new values of one field: which one is meant is unclear
                fields[field] = float(distinct[0]) if field == "amount" else str(distinct[0])
    note = mask_pii(text)
    incident = None
    if behaviours:
        incident = {"occurred": time_of_day, "behaviours": behaviours,
                    "contacted": lexicon().contacted(text), "description": note}
    return CaseEdit(incident, fields, note)


def _negated(text: str, start: int) -> bool:
    """Whether a negation (lexicon/progress.yml) comes right before `start`: 「还没」解决, 「不再」打."""
    return bool(_vocabulary()[1].search(text[max(0, start - 3):start]))


def _says(text: str, word: str) -> bool:
    start = text.find(word)
    while start != -1:
        if not _negated(text, start):
            return True
        start = text.find(word, start + 1)
    return False


def status_said(text: Optional[str]) -> Optional[str]:
    statuses, _negation = _vocabulary()
    cleaned = normalize(text)
    for status, words in statuses.items():  # in the file's order
        if any(_says(cleaned, word) for word in words):
            return status
    return None


def body_said(text: Optional[str]) -> Optional[FollowUpBody]:
    cleaned = normalize(text).lower()
    for body in knowledge().follow_up.bodies:
        if any(word.lower() in cleaned for word in body.words):
            return body
    return None


_DAYS_AGO = re.compile(r"([0-9零一二两三四五六七八九十半]+(?:个)?半?(?:天|日|周|星期|礼拜|月|年)半?)(?:以|之)?前")
_MONTH_DAY = re.compile(r"(?<![0-9])([0-9]{1,2})月([0-9]{1,2})(?:日|号)")
# 「15号」「上个月15号」 (after cn2an has turned 「十五号」 into digits); not 「15号线」 or an address
# (「中山路18号」「3栋12号」).
_DAY_OF_MONTH = re.compile(
    r"(?:(上个?月|这个?月|本月)|(?<![0-9月路街道巷弄栋幢室]))([0-9]{1,2})(?:日|号)(?![0-9线楼院室])")
# 「上周五」「上上礼拜三」「这星期一」「周日」; cn2an has turned the weekday into a digit. Not
# 「每周三次」 or 「两周3天」.
_WEEKDAY = re.compile(r"(上上|上|这|本)?个?(?<![0-9每])(?:周|星期|礼拜)([1-7日天])(?![0-9次个天回遍])")
_RELATIVE_DAYS = {"大前天": 3, "前天": 2, "昨天": 1, "今天": 0}


def _digits(text: str) -> str:
    """Chinese numerals as digits (「十一月二号」 → 「11月2号」, 「上周五」 → 「上周5」)."""
    try:
        with warnings.catch_warnings():  # cn2an warns about numbers it leaves as they are (「1.2万」)
            warnings.simplefilter("ignore", UserWarning)
            return cn2an.transform(text, "cn2an")
    except (ValueError, KeyError, IndexError):  # cn2an gives up on some mixed forms
        logger.debug("cn2an could not read a date in %r", text)
        return text


def _day_of_month(number: int, last_month: bool, today: date) -> Optional[date]:
    """「15号」: this month's when it has passed (or 「上个月」 says last month), else last month's."""
    year, month = today.year, today.month
    if last_month or number > today.day:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    try:
        return date(year, month, number)
    except ValueError:  # 「31号」 of a 30-day month, 「0号」
        return None


def day_said(text: Optional[str], today: date) -> date:
    """The day the message says something happened — always in the past; today when it names
    none (or a day that does not exist)."""
    cleaned = normalize(text)
    digits = _digits(cleaned)
    match = _MONTH_DAY.search(digits)
    if match:
        try:
            day = date(today.year, int(match.group(1)), int(match.group(2)))
        except ValueError:
            day = None
        if day is not None:
            return day if day <= today else day.replace(year=today.year - 1)
    match = _DAYS_AGO.search(cleaned)  # before cn2an, which reads 「半个月」 as 「0.5个月」
    if match:
        days = parse_duration_days(match.group(1).replace("礼拜", "周").replace("星期", "周"))
        if days is not None:
            return today - timedelta(days=days)
    match = _WEEKDAY.search(digits)
    if match:
        weekday = 6 if match.group(2) in "日天" else int(match.group(2)) - 1
        weeks_back = {"上": 1, "上上": 2}.get(match.group(1) or "", 0)
        day = today - timedelta(days=today.weekday() - weekday + 7 * weeks_back)
        return day if day <= today else day - timedelta(days=7)  # 「周五」 said on a Tuesday: last Friday
    match = _DAY_OF_MONTH.search(digits)
    if match:
        day = _day_of_month(int(match.group(2)), bool(match.group(1) and match.group(1).startswith("上")), today)
        if day is not None:
            return day
    for word, days in _RELATIVE_DAYS.items():
        if word in cleaned:
            return today - timedelta(days=days)
    return today


def read_progress(text: Optional[str], today: date) -> Progress:
    return Progress(status_said(text), body_said(text), day_said(text, today))


def next_channels(body: FollowUpBody, institution_type: Optional[str]) -> List[Channel]:
    """Where to go when `body` did not reply in time or the answer did not help: its `next`
    channels, `regulator` standing for the supervisors of the lender's type."""
    kb = knowledge()
    kind = kb.institution_type(institution_type or "unknown")
    ids: List[str] = []
    for step in body.next:
        for channel_id in (kind.regulator_channels if step == REGULATOR else [step]):
            if channel_id not in ids:
                ids.append(channel_id)
    return [kb.channel(channel_id) for channel_id in ids]


def next_step(case: CaseRecord, overdue: bool) -> Optional[Text]:
    """What to tell the user about a case whose body did not reply in time (`overdue`) or did not
    help: the next channels (templates/follow_up.j2); None when the case was not submitted."""
    if not case.follow_up_body:
        return None
    body = knowledge().follow_up.body(case.follow_up_body)
    return render("follow_up.j2", mode="next", case=case, body=body, overdue=overdue,
                  channels=next_channels(body, case.institution_type))

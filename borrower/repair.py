"""Reading repair moves in a form answer (words in lexicon/repair.yml): a correction of an earlier
answer and which one it means, a skip or refusal, a question about why something is asked."""

from functools import lru_cache
from typing import Dict, Iterable, Optional, Sequence, Tuple

import yaml

from borrower.money import Amount, read_amounts
from borrower.paths import LEXICON_DIR
from borrower.text import normalize


# The cue group of lexicon/repair.yml slot_cues whose figures answer no question.
INSTALMENT_DUE = "instalment_due"
_CLAUSE_MARKS = "，,。.；;！!？?\n"


@lru_cache(maxsize=1)
def _words() -> Dict[str, object]:
    return yaml.safe_load((LEXICON_DIR / "repair.yml").read_text(encoding="utf-8"))


def _says(text: Optional[str], key: str) -> bool:
    cleaned = normalize(text)
    return bool(cleaned) and any(word in cleaned for word in _words()[key])


def says_correction(text: Optional[str]) -> bool:
    """「不对，是6万7」「刚才说错了」「金额改成1.2万」."""
    return _says(text, "correction")


def says_skip(text: Optional[str]) -> bool:
    """「跳过」「不想说」「保密」: no value, and no need to ask again."""
    return _says(text, "skip")


def says_resume(text: Optional[str]) -> bool:
    """「刚才说到哪了」「还是弄吧」: take up the form that was left unfinished."""
    return _says(text, "resume")


def says_switch(text: Optional[str]) -> bool:
    """「先不说这个了」「换个事」: the user turns to something else."""
    return _says(text, "switch")


def asks_why(text: Optional[str]) -> bool:
    """「你问这个干嘛」「凭什么告诉你」."""
    return _says(text, "why_asked")


def corrected_slot(text: Optional[str], candidates: Sequence[str], filled_in_order: Iterable[str]) -> Optional[str]:
    """Which of `candidates` (a form's slots that take this kind of value) a correction means: the
    first whose cue words the text has; else the one answered last of `filled_in_order`."""
    cleaned = normalize(text)
    cues: Dict[str, Tuple[str, ...]] = {slot: tuple(words) for slot, words in _words()["slot_cues"].items()}
    for slot in candidates:
        if any(word in cleaned for word in cues.get(slot, ())):
            return slot
    answered = [slot for slot in filled_in_order if slot in candidates]
    return answered[-1] if answered else None


def corrected_amount(text: Optional[str]) -> Optional[Amount]:
    """The new value a correction gives: the last amount not named as the one it replaces
    (「不对，不是5万，是6万7」 → 6万7; 「应该是8千，我说成8万了」 → 8千)."""
    cleaned = normalize(text)
    old_markers = tuple(_words()["old_value_before"])
    previous_end, kept = 0, []
    for amount in read_amounts(cleaned):
        lead = cleaned[previous_end:amount.start]
        lead = lead[max(lead.rfind(mark) for mark in _CLAUSE_MARKS) + 1:]
        previous_end = amount.end
        if not any(marker in lead for marker in old_markers):
            kept.append(amount)
    return kept[-1] if kept else None


def slot_label(slot: str) -> str:
    """How a slot is named to the user (「欠款总额」)."""
    return str(_words()["labels"].get(slot, slot))


def is_total_slot(slot: Optional[str]) -> bool:
    """Whether a slot takes a total (what is owed), never a figure paid every month."""
    return slot in _words()["total_slots"]


def amounts_by_slot(
    text: Optional[str], candidates: Sequence[str], asked: Optional[str] = None
) -> Tuple[Dict[str, float], Tuple[float, ...]]:
    """The amounts of a message that several answers share (「收入4500 房租吃饭2800 能还800」): each
    given to the slot of `candidates` whose cue word stands nearest before it since the previous
    amount (収入 → monthly_income); a stated total (「加起来6万7」) is the debt's when no cue says
    otherwise. A figure paid every month (「每个月还信用卡3000」) never goes to a total slot.
    Returns ({slot: value}, the values no cue claimed that could answer `asked`, in order)."""
    cleaned = normalize(text)
    cues: Dict[str, Tuple[str, ...]] = {slot: tuple(words) for slot, words in _words()["slot_cues"].items()}
    found: Dict[str, float] = {}
    unclaimed = []
    previous_end = 0
    for amount in read_amounts(cleaned):
        lead = cleaned[previous_end:amount.start]
        previous_end = amount.end
        best, where = None, -1
        for slot in (*candidates, INSTALMENT_DUE):
            if amount.per_period and is_total_slot(slot):
                continue
            for word in cues.get(slot, ()):
                position = lead.rfind(word)
                if position > where:
                    best, where = slot, position
        if best is None and amount.total and "debt_amount" in candidates and not amount.per_period:
            best = "debt_amount"
        if best == INSTALMENT_DUE:
            continue
        if best is None or best in found:
            if not (amount.per_period and is_total_slot(asked)):
                unclaimed.append(amount.value)
        else:
            found[best] = amount.value
    return found, tuple(unclaimed)

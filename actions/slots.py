"""Reading slot values the forms stored, the same way in every action."""

from typing import Optional

from rasa_sdk import Tracker

from borrower.lexicon import lexicon
from borrower.text import UNKNOWN


def known(tracker: Tracker, slot: str) -> Optional[str]:
    """The slot's text, or None when empty or the user said they do not know."""
    value = tracker.get_slot(slot)
    if value is None or value == UNKNOWN or value == "":
        return None
    return str(value)


def number(tracker: Tracker, slot: str) -> Optional[float]:
    value = tracker.get_slot(slot)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def loan_type_id(tracker: Tracker) -> Optional[str]:
    """The lexicon id (car_loan, credit_card, ...) of the loan type the user gave."""
    entry = lexicon().canonical(known(tracker, "loan_type"), "loan_type")
    return entry.id if entry else None


def region(tracker: Tracker) -> Optional[str]:
    """The user's city, or province, as they gave it (canonical name)."""
    return known(tracker, "city") or known(tracker, "province")

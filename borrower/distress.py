"""How strongly a message signals distress by its words (lexicon/crisis.yml); the classifier's
part is components/chinese.py `CrisisGuard`, which combines the two.

- CRISIS: a crisis phrase (not negated) or pattern — the full crisis reply first (12356,
  110 / 120), in every state;
- LINE_UNANSWERED: the crisis line did not answer (「打了12356没人接」) — the next step first;
- CHECK_IN: a crisis phrase only negated (「我没想死啊」), or strain (「压力大到睡不着」) — a
  one-line check-in with the numbers; the conversation goes on, no form is stopped;
- None: nothing. Money hardship alone is no signal.
"""

import re
from functools import lru_cache
from typing import List, Optional

import yaml

from borrower.lexicon import lexicon
from borrower.paths import LEXICON_DIR
from borrower.text import normalize

# The key of the parsed message (and of the tracker's parse_data) that carries a CHECK_IN or
# LINE_UNANSWERED tier (components/chinese.py sets it, components/patterns.py answers it).
MESSAGE_KEY = "distress"
CRISIS = "crisis"
LINE_UNANSWERED = "line_unanswered"
CHECK_IN = "check_in"


@lru_cache(maxsize=1)
def _spec() -> dict:
    return yaml.safe_load((LEXICON_DIR / "crisis.yml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _line_unanswered() -> List["re.Pattern[str]"]:
    return [re.compile(pattern) for pattern in _spec().get("line_unanswered") or ()]


def line_unanswered(text: Optional[str]) -> bool:
    simplified = normalize(text)
    return any(pattern.search(simplified) for pattern in _line_unanswered())


def strained(text: Optional[str]) -> bool:
    simplified = normalize(text)
    return any(word in simplified for word in _spec().get("strain") or ())


def level(text: Optional[str]) -> Optional[str]:
    """CRISIS, LINE_UNANSWERED, CHECK_IN or None, by the words of `text` alone."""
    if line_unanswered(text):
        return LINE_UNANSWERED
    if lexicon().mentions_crisis(text):
        return CRISIS
    if lexicon().mentions_negated_crisis(text) or strained(text):
        return CHECK_IN
    return None

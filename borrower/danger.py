"""Whether a message reports a threat to the user's or the family's safety (lexicon/danger.yml):
violence threatened, someone coming to the house or the children's school, standing at the
door, being held or followed. Such a message gets 110 first, in every state
(components/patterns.py)."""

import re
from functools import lru_cache
from typing import List, Optional

import yaml

from borrower.paths import LEXICON_DIR
from borrower.text import normalize


@lru_cache(maxsize=1)
def _patterns() -> List["re.Pattern[str]"]:
    spec = yaml.safe_load((LEXICON_DIR / "danger.yml").read_text(encoding="utf-8"))
    return [re.compile(pattern) for pattern in spec.get("patterns") or ()]


def reports_danger(text: Optional[str]) -> bool:
    simplified = normalize(text)
    return bool(simplified) and any(pattern.search(simplified) for pattern in _patterns())

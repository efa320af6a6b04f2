"""The project lexicon (lexicon/*.yml): closed lists of platforms, loan types and collection
behaviours, and the crisis phrases.

The same entries drive jieba's segmentation, the spaCy entity ruler and the actions, so a term
the NLU recognises always maps back to one canonical entry here.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import yaml

from borrower.paths import LEXICON_DIR
from borrower.text import normalize

# jieba frequency for domain words: high enough that they beat the built-in dictionary.
JIEBA_FREQ = 200000


@dataclass(frozen=True)
class Entry:
    label: str
    id: str
    name: str
    terms: Tuple[str, ...]  # surface forms that are entity spans
    cues: Tuple[str, ...] = ()  # words that signal the entry in free text but are not spans


class Lexicon:
    def __init__(
        self,
        entries: Iterable[Entry],
        crisis_phrases: Iterable[str],
        fillers: Iterable[str] = (),
        replies: Optional[Dict[str, Iterable[str]]] = None,
        behaviours: Optional[Dict[str, Any]] = None,
        segmentation_words: Iterable[str] = (),
        crisis_patterns: Iterable[str] = (),
        edits: Iterable[str] = (),
        edit_exclusions: Iterable[str] = (),
        crisis_negations: Iterable[str] = (),
        crisis_not_negations: Iterable[str] = (),
    ) -> None:
        # Words jieba must keep whole that are not entities (regulators, legal terms).
        self.segmentation_words = tuple(str(word) for word in segmentation_words)
        replies = dict(replies or {})
        self.reply_particles = "".join(replies.pop("particles", []))
        # whole-message answer (lower case) → intent
        self.replies: Dict[str, str] = {}
        for intent, words in replies.items():
            for word in words:
                if not isinstance(word, str):  # YAML reads a bare yes / no as a boolean
                    raise ValueError(f"lexicon/replies.yml: quote {word!r} under {intent}")
                self.replies[word.lower()] = intent
        self.entries = list(entries)
        self.crisis_phrases = tuple(crisis_phrases)
        self.crisis_negations = tuple(sorted(crisis_negations, key=len, reverse=True))
        self.crisis_not_negations = tuple(crisis_not_negations)
        self._crisis_patterns = tuple(re.compile(pattern) for pattern in crisis_patterns)
        self.fillers = tuple(sorted(fillers, key=len, reverse=True))
        # (term, entry) pairs, longest term first, so the most specific term wins.
        self._terms: List[Tuple[str, Entry]] = sorted(
            ((term.lower(), entry) for entry in self.entries for term in entry.terms + entry.cues),
            key=lambda pair: -len(pair[0]),
        )
        self._by_id: Dict[Tuple[str, str], Entry] = {(e.label, e.id): e for e in self.entries}
        self._patterns = self._compile_behaviours(behaviours or {})
        self._edits = re.compile("|".join(f"(?:{pattern})" for pattern in edits)) if edits else None
        self._edit_exclusions = (re.compile("|".join(f"(?:{pattern})" for pattern in edit_exclusions))
                                 if edit_exclusions else None)

    def _compile_behaviours(self, spec: Dict[str, Any]) -> List[Tuple["re.Pattern[str]", Entry]]:
        # Longest alternative first: a regex alternation takes the first that matches.
        words = {
            name: "|".join(sorted(re.sub(r"\s+", "", alternatives).split("|"), key=len, reverse=True))
            for name, alternatives in (spec.get("words") or {}).items()
        }
        # who or where a collector contacted (Lexicon.contacted): people first, the longer match
        reached = [words[name] for name in ("people", "workplaces") if name in words]
        self._people = re.compile("|".join(reached)) if reached else None
        compiled = []
        for entry_id, patterns in (spec.get("behaviours") or {}).items():
            entry = self._by_id.get(("harassment_type", entry_id))
            if entry is None:
                raise ValueError(f"lexicon/behaviours.yml: {entry_id} is not a harassment_type id in terms.yml")
            for pattern in patterns:
                # {people} → the alternatives; regex quantifiers such as {2} stay as they are
                expanded = re.sub(r"\{([a-z_]+)\}", lambda m: f"(?:{words[m.group(1)]})", pattern)
                compiled.append((re.compile(expanded), entry))
        return compiled

    def behaviour_spans(self, text: Optional[str]) -> List[Tuple[int, int, Entry]]:
        """Collection behaviours matched by the patterns of lexicon/behaviours.yml: longest
        first, no overlaps, in text order. Offsets refer to `text`."""
        cleaned = normalize(text)
        matches = sorted(
            ((m.start(), m.end(), entry) for pattern, entry in self._patterns for m in pattern.finditer(cleaned)
             if m.end() > m.start()),
            key=lambda match: (match[0] - match[1], match[0]),
        )
        kept: List[Tuple[int, int, Entry]] = []
        for start, end, entry in matches:
            if all(end <= s or start >= e for s, e, _ in kept):
                kept.append((start, end, entry))
        return sorted(kept, key=lambda match: match[0])

    def contacted(self, text: Optional[str]) -> List[str]:
        """The people named in the collection behaviours of `text` (打给我妈 → 我妈,
        爆通讯录 → 通讯录), in order, each once."""
        if self._people is None:
            return []
        cleaned = normalize(text)
        found: List[str] = []
        for start, end, _entry in self.behaviour_spans(text):
            found.extend(m.group(0) for m in self._people.finditer(cleaned[start:end]) if m.group(0) not in found)
        return found

    @classmethod
    def from_dir(cls, directory: Path = LEXICON_DIR) -> "Lexicon":
        terms = yaml.safe_load((directory / "terms.yml").read_text(encoding="utf-8"))
        crisis = yaml.safe_load((directory / "crisis.yml").read_text(encoding="utf-8"))
        fillers = yaml.safe_load((directory / "fillers.yml").read_text(encoding="utf-8"))
        replies = yaml.safe_load((directory / "replies.yml").read_text(encoding="utf-8"))
        behaviours = yaml.safe_load((directory / "behaviours.yml").read_text(encoding="utf-8"))
        regulators = yaml.safe_load((directory / "regulators.yml").read_text(encoding="utf-8"))
        progress = yaml.safe_load((directory / "progress.yml").read_text(encoding="utf-8"))
        entries = []
        for label, items in terms.items():
            for item in items:
                names = [item["name"], *item.get("terms", [])]
                entries.append(
                    Entry(label, item["id"], item["name"], tuple(dict.fromkeys(names)),
                          tuple(item.get("cues", [])))
                )
        return cls(
            entries, crisis["phrases"], fillers["words"], replies, behaviours, regulators["words"],
            crisis_patterns=crisis.get("patterns") or (), crisis_negations=crisis.get("negations") or (),
            crisis_not_negations=crisis.get("not_negations") or (),
            edits=progress.get("edits") or (), edit_exclusions=progress.get("edit_exclusions") or (),
        )

    def entry(self, label: str, entry_id: str) -> Optional[Entry]:
        return self._by_id.get((label, entry_id))

    def find(self, text: Optional[str], label: str) -> List[Entry]:
        """Entries of `label` mentioned in `text` (by a term or a cue), in order of first
        mention, no repeats.

        Longer terms are matched first and their characters consumed, so "冒充警察" is one
        impersonation mention, not also something shorter inside it.
        """
        remaining = normalize(text).lower()
        found: List[Tuple[int, Entry]] = []
        if label == "harassment_type":
            for start, end, entry in self.behaviour_spans(text):
                found.append((start, entry))
                remaining = remaining[:start] + "\0" * (end - start) + remaining[end:]
        for term, entry in self._terms:
            if entry.label != label:
                continue
            position = remaining.find(term)
            while position >= 0:
                found.append((position, entry))
                remaining = remaining[:position] + "\0" * len(term) + remaining[position + len(term):]
                position = remaining.find(term)
        found.sort(key=lambda pair: pair[0])
        return list(dict.fromkeys(entry for _, entry in found))

    def canonical(self, text: Optional[str], label: str) -> Optional[Entry]:
        """The first entry of `label` mentioned in `text`, if any."""
        matches = self.find(text, label)
        return matches[0] if matches else None

    def content(self, text: Optional[str]) -> str:
        """What is left of `text` without lexicon terms, filler words, punctuation and spaces:
        the part that tells what actually happened."""
        remaining = normalize(text).lower()
        for term, _entry in self._terms:
            remaining = remaining.replace(term, "")
        for word in self.fillers:
            remaining = remaining.replace(word.lower(), "")
        return "".join(ch for ch in remaining if ch.isalnum())

    def mentions_crisis(self, text: Optional[str]) -> bool:
        """A crisis phrase not negated (「我没想死啊」 is no crisis phrase), or a crisis pattern."""
        simplified = self._crisis_text(text)
        return any(self._phrase_said(simplified, phrase) for phrase in self.crisis_phrases) or any(
            pattern.search(simplified) for pattern in self._crisis_patterns
        )

    def mentions_negated_crisis(self, text: Optional[str]) -> bool:
        """A crisis phrase only in negated form (「我没想死啊」「放心，不会自杀的」)."""
        simplified = self._crisis_text(text)
        return any(phrase in simplified for phrase in self.crisis_phrases) and not self.mentions_crisis(text)

    @staticmethod
    def _crisis_text(text: Optional[str]) -> str:
        # OpenCC leaves 著 as it is in 「活著」; for these phrases it is always 着.
        return normalize(text).replace("著", "着")

    def _phrase_said(self, text: str, phrase: str) -> bool:
        start = text.find(phrase)
        while start >= 0:
            before = text[:start]
            if not before.endswith(self.crisis_negations) or before.endswith(self.crisis_not_negations):
                return True
            start = text.find(phrase, start + 1)
        return False

    def edits_case(self, text: Optional[str]) -> bool:
        """Whether the message adds to or corrects a case already recorded (lexicon/progress.yml:
        「补充一下：……」「上次记录的城市不对……帮我改一下」)."""
        if self._edits is None:
            return False
        simplified = normalize(text)
        if self._edit_exclusions is not None and self._edit_exclusions.search(simplified):
            return False
        return bool(self._edits.search(simplified))

    def short_reply(self, text: Optional[str]) -> Optional[str]:
        """"affirm" / "deny" when the whole message is a yes / no word ("好的呀", "不用了", "No!");
        "inform" when it is only digits ("1234", "138 1234 5678": an answer — digits to verify a
        case, an amount, a number — on which a character-n-gram classifier has nothing to go on),
        unless replies.yml lists it ("88" is goodbye)."""
        core = "".join(ch for ch in normalize(text).lower() if ch.isalnum())
        core = core.rstrip(self.reply_particles) or core
        if core in self.replies:
            return self.replies[core]
        return "inform" if core.isascii() and core.isdigit() else None

    def jieba_words(self) -> List[str]:
        """Every multi-character term and cue, crisis phrase and segmentation word (regulators,
        legal terms), for jieba's user dictionary."""
        words = {term for entry in self.entries for term in entry.terms + entry.cues if len(term) > 1}
        words.update(self.crisis_phrases)
        words.update(self.segmentation_words)
        return sorted(words)

    def ruler_patterns(self) -> List[Dict[str, str]]:
        """spaCy entity-ruler phrase patterns: label = entity type, id = canonical id."""
        return [
            {"label": entry.label, "pattern": term.lower(), "id": entry.id}
            for entry in self.entries
            for term in entry.terms
        ]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon.from_dir()


_jieba_ready = False


def install_jieba_dictionary() -> None:
    """Adds the lexicon's words to jieba's global dictionary (idempotent).

    spaCy's Chinese tokenizer calls the global jieba, so this must run in every process that
    tokenizes, before the first text (or entity-ruler pattern) is segmented.
    """
    global _jieba_ready
    if _jieba_ready:
        return
    import jieba

    jieba.setLogLevel(60)
    for word in lexicon().jieba_words():
        # jieba matches case-sensitively: "P图" and "p图" are both one word.
        for form in {word, word.lower(), word.upper()}:
            jieba.add_word(form, freq=JIEBA_FREQ)
    _jieba_ready = True


@lru_cache(maxsize=1)
def _out_of_scope_topics() -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    spec = yaml.safe_load((LEXICON_DIR / "out_of_scope.yml").read_text(encoding="utf-8"))
    return tuple((topic["channel"], tuple(topic["cues"])) for topic in spec["topics"])


def out_of_scope_channel(text: Optional[str]) -> Optional[str]:
    """The knowledge-base channel for a question outside lending (lexicon/out_of_scope.yml): 「网店
    不给退款」 → samr_12315; None when no topic shows."""
    cleaned = normalize(text)
    return next((channel for channel, cues in _out_of_scope_topics() if any(cue in cleaned for cue in cues)), None)

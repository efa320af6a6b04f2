"""Entity post-processing: one answer per span, with normalised values.

Three extractors run before this: the spaCy entity ruler (closed lists from the lexicon),
RegexEntityExtractor (case numbers) and DIET (open entities such as amounts, durations, clock
times and platform names the lexicon does not know). EntityResolver then
- takes closed-list types (behaviours, loan types, provinces, cities) from the ruler only;
- keeps one entity per span: a span inside a longer span of the same type goes ("晚上" inside
  "晚上11点"); between different types the ruler and the regexes win over DIET;
- normalises values: amount → yuan (cn2an), overdue_duration → days, platform / loan type /
  province / city → their canonical name ("招行" → "招商银行"), case_id → upper case.
"""

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from borrower.lexicon import lexicon
from borrower.text import parse_amount, parse_duration_days
from components.chinese import _Stateless

# Closed lists: only the entity ruler's word counts (DIET tends to return fragments of them).
RULER_ONLY_KINDS = ("harassment_type", "loan_type", "province", "city")
# Entities whose value becomes the lexicon's canonical name.
CANONICAL_KINDS = ("platform", "loan_type", "province", "city")
# Extractors whose word is final for the closed lists, in order of trust.
_RULE_BASED = ("RegexEntityExtractor", "SpacyEntityExtractor")


def _rank(entity: Dict[str, Any]) -> tuple:
    extractor = entity.get("extractor")
    trust = _RULE_BASED.index(extractor) if extractor in _RULE_BASED else len(_RULE_BASED)
    return (trust, -(entity["end"] - entity["start"]), -float(entity.get("confidence_entity") or 1.0))


def _overlaps(a: Dict[str, Any], b: Dict[str, Any]) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _inside(a: Dict[str, Any], b: Dict[str, Any]) -> bool:
    """a lies within b (and is not the same span)."""
    return b["start"] <= a["start"] and a["end"] <= b["end"] and (a["start"], a["end"]) != (b["start"], b["end"])


def resolve(entities: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """One entity per span (see module docstring), in text order."""
    entities = [
        e for e in entities
        if e["entity"] not in RULER_ONLY_KINDS or e.get("extractor") == "SpacyEntityExtractor"
    ]
    candidates = [
        e for e in entities
        if not any(e is not o and e["entity"] == o["entity"] and _inside(e, o) for o in entities)
    ]
    kept: List[Dict[str, Any]] = []
    for entity in sorted(candidates, key=_rank):
        if not any(_overlaps(entity, other) for other in kept):
            kept.append(entity)
    return sorted(kept, key=lambda e: e["start"])


def normalise_value(entity: Dict[str, Any], text: Text) -> Any:
    span = text[entity["start"]:entity["end"]]
    kind = entity["entity"]
    if kind == "amount":
        amount = parse_amount(span)
        return amount if amount is not None else span
    if kind == "overdue_duration":
        days = parse_duration_days(span)
        return days if days is not None else span
    if kind == "case_id":
        return span.upper()
    if kind in CANONICAL_KINDS:
        entry = lexicon().canonical(span, kind)
        return entry.name if entry else span
    return span  # time_of_day and harassment_type keep what the user wrote


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class EntityResolver(_Stateless):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = message.get(ENTITIES) or []
            if not entities:
                continue
            text = message.get(TEXT) or ""
            resolved = resolve(entities)
            for entity in resolved:
                entity["value"] = normalise_value(entity, text)
            message.set(ENTITIES, resolved, add_to_output=True)
        return messages

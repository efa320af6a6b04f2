"""Entity post-processing: one answer per span, with normalised values.

Eight extractors run before this: Amount-, Duration-, Behaviour-, ClockTime- and
LenderNameExtractor (below),
the spaCy entity ruler (closed lists from the lexicon), RegexEntityExtractor (case numbers) and
CharCRFEntityExtractor (the open entity: platform names the lexicon does not know). EntityResolver then
- takes closed-list types (loan types, provinces, cities) from the ruler only, behaviours from the
  ruler and BehaviourExtractor (patterns: verb + who was contacted / where they came), times of
  day from the ruler (words) and ClockTimeExtractor (clock times),
  amounts from AmountExtractor only (borrower/money.py: pattern + cn2an, skipping counts like
  36期 / 4倍 / 24%)
  overdue durations from DurationExtractor only (a duration with an overdue context) and case
  numbers from the regex only;
- drops a loan type that is part of a company name ("某某融资租赁有限公司", "某某小贷"), and platforms
  no lender is named by (one character, 「一个」, company words or 「某某」 alone);
- keeps one entity per span: a span inside a longer span of the same type goes ("晚上" inside
  "晚上11点") — but a lexicon or shaped lender name stays whole inside the CRF's longer span ("美团" of
  「美团加起来」); between different types the ruler and the regexes win over the CRF; touching
  platform fragments become one name ("鑫盛" + "融资租赁有限公司"), a platform name runs on
  over the company words after it ("某某" + "金融") and a name the CRF found over an app word
  ("闪电" + "借款"); a lender name by its shape ("中原消费金融") outranks the ruler's loan type
  inside it;
- normalises values: amount → yuan (cn2an), overdue_duration → days, platform / loan type /
  province / city → their canonical name ("招行" → "招商银行"), harassment_type → its category
  id ("打电话给我妈" → "third_party_contact"), case_id → upper case.
"""

import re
from typing import Any, Dict, List, Text, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from borrower.lexicon import lexicon
from borrower.money import find_amounts, parse_amount
from borrower.text import find_clock_times, find_lender_names, find_overdue_durations, parse_duration_days
from components.chinese import _Stateless

AMOUNT_EXTRACTOR = "AmountExtractor"
DURATION_EXTRACTOR = "DurationExtractor"
BEHAVIOUR_EXTRACTOR = "BehaviourExtractor"
CLOCK_EXTRACTOR = "ClockTimeExtractor"
LENDER_EXTRACTOR = "LenderNameExtractor"
# Trained extractors of the open entity (platform names the lexicon does not know).
LEARNED_EXTRACTORS = ("CharCRFEntityExtractor",)

# Kinds a rule-based extractor owns: a learned extractor's guesses for them are dropped (DIET returned
# fragments: "打電話", "12万先", "块").
OWNED_KINDS = {
    "harassment_type": ("SpacyEntityExtractor", BEHAVIOUR_EXTRACTOR),
    "loan_type": ("SpacyEntityExtractor",),
    "province": ("SpacyEntityExtractor",),
    "city": ("SpacyEntityExtractor",),
    "amount": (AMOUNT_EXTRACTOR,),
    "overdue_duration": (DURATION_EXTRACTOR,),
    "case_id": ("RegexEntityExtractor",),  # DIET, once, guessed "进度" and "thx"
    "time_of_day": ("SpacyEntityExtractor", CLOCK_EXTRACTOR),  # DIET, once, split "凌晨|一点多"
}
# Entities whose value becomes the lexicon's canonical name.
CANONICAL_KINDS = ("platform", "loan_type", "province", "city")
# Extractors whose word is final for the closed lists, in order of trust.
# A lender name by its shape outranks the ruler: "中原消费金融" is a lender, not the loan type
# "消费金融" the ruler sees inside it.
_RULE_BASED = (
    "RegexEntityExtractor", LENDER_EXTRACTOR, "SpacyEntityExtractor", BEHAVIOUR_EXTRACTOR, CLOCK_EXTRACTOR,
    AMOUNT_EXTRACTOR, DURATION_EXTRACTOR,
)
# Entities whose touching fragments are one entity: a learned extractor may split unknown company names.
_JOINABLE = ("platform",)
# What may follow a lender's name and belongs to it: the CRF may stop before it ("某某|金融",
# "鑫盛|融资租赁有限公司").
_COMPANY_SUFFIX = re.compile(
    r"(?:小额贷款|消费金融|汽车金融|融资租赁|金融租赁|融资担保|资产管理|网络科技|信息科技|科技|金融|小贷|贷款|银行|租赁|担保)*"
    r"(?:股份有限公司|有限责任公司|有限公司|公司)?"
)
# What may follow an app name the CRF found and belongs to it: it stops at "闪电" in "闪电借款",
# "闪电贷", "金牛分期" ("借" only where it is not the verb: "闪电借了我").
_APP_SUFFIX = re.compile(r"(?:借款|周转|分期|钱包|快贷|贷|借(?![了的钱过给]))?")
# Before or after a loan-type word, these make it part of a company name.
_NAME_BEFORE = ("某某",)
_NAME_AFTER = ("有限", "股份")


def _rank(entity: Dict[str, Any]) -> tuple:
    extractor = entity.get("extractor")
    trust = _RULE_BASED.index(extractor) if extractor in _RULE_BASED else len(_RULE_BASED)
    return (trust, -(entity["end"] - entity["start"]), -float(entity.get("confidence_entity") or 1.0))


def _overlaps(a: Dict[str, Any], b: Dict[str, Any]) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _inside(a: Dict[str, Any], b: Dict[str, Any]) -> bool:
    """a lies within b (and is not the same span)."""
    return b["start"] <= a["start"] and a["end"] <= b["end"] and (a["start"], a["end"]) != (b["start"], b["end"])


def _owner_agrees(entity: Dict[str, Any]) -> bool:
    owners = OWNED_KINDS.get(entity["entity"])
    return owners is None or entity.get("extractor") in owners


def _in_company_name(entity: Dict[str, Any], text: Text) -> bool:
    return entity["entity"] == "loan_type" and (
        text[:entity["start"]].endswith(_NAME_BEFORE) or text[entity["end"]:].startswith(_NAME_AFTER)
    )


# A stand-in for a name, not a name: 「某某区人民法院」 (one character is stray anyway).
_PLACEHOLDER = "某某"
# A number or demonstrative with a measure word names no lender: DIET once took 「一个」 of
# 「好像是叫某某金融的一个app」 for a second platform.
_MEASURE_PHRASE = re.compile(r"[一二两三四五六七八九十几这那哪每]+[个家款种些位]")


def _stray(entity: Dict[str, Any], text: Text) -> bool:
    """A platform no lender could be named: one character ("大" of 「这么大的窟窿」), a measure
    phrase ("一个", "这家") or company or app words alone ("金融" of 「美利车金融」, "某某" of
    「某某区人民法院」, 「汽车金融公司」, "借款" of 「没点确认借款」)."""
    if entity["entity"] != "platform":
        return False
    span = text[entity["start"]:entity["end"]]
    named_after = _COMPANY_SUFFIX.match(text, entity["end"]).end() > entity["end"]  # 「某某金融」 is a name
    generic = (span == _PLACEHOLDER and not named_after or _COMPANY_SUFFIX.fullmatch(span)
               or _APP_SUFFIX.fullmatch(span))  # 「借款」 of 「确认借款」
    return entity["end"] - entity["start"] < 2 or bool(span and (_MEASURE_PHRASE.fullmatch(span) or generic))


def _shaped_in_diet(inner: Dict[str, Any], outer: Dict[str, Any]) -> bool:
    """A lender name by its shape or from the lexicon is whole; the CRF's longer span around it took
    words before or after it ("我在" + "鑫源小额贷款有限公司", "美团" + "加" of 「美团加起来」). Company
    words after a name still join it (_with_company_suffixes)."""
    return inner.get("extractor") in (LENDER_EXTRACTOR, "SpacyEntityExtractor") and outer.get("extractor") in LEARNED_EXTRACTORS


def resolve(entities: List[Dict[str, Any]], text: Text = "") -> List[Dict[str, Any]]:
    """One entity per span (see module docstring), in text order."""
    entities = [e for e in entities if _owner_agrees(e) and not _in_company_name(e, text) and not _stray(e, text)]
    candidates = [
        e for e in entities
        if not any(e is not o and e["entity"] == o["entity"] and _inside(e, o) and not _shaped_in_diet(e, o)
                   for o in entities)
    ]
    kept: List[Dict[str, Any]] = []
    for entity in sorted(candidates, key=_rank):
        if not any(_overlaps(entity, other) for other in kept):
            kept.append(entity)
    merged: List[Dict[str, Any]] = []
    for entity in sorted(kept, key=lambda e: e["start"]):
        previous = merged[-1] if merged else None
        joinable = previous is not None and entity["entity"] == previous["entity"] and entity["entity"] in _JOINABLE
        if joinable and previous["end"] == entity["start"]:
            merged[-1] = {**previous, "end": entity["end"]}  # "鑫盛" + "融资租赁有限公司": one name
        else:
            merged.append(entity)
    return _with_company_suffixes(merged, text)


def _with_company_suffixes(entities: List[Dict[str, Any]], text: Text) -> List[Dict[str, Any]]:
    """A platform name runs on over the company words after it ("某某" + "金融"; a lexicon name only
    into a company's full name: "平安普惠" + "融资担保有限公司", not + "贷款"), and a name the CRF found
    over an app word ("闪电" + "贷"); entities the longer name now covers go."""
    result = list(entities)
    for index, entity in enumerate(result):
        if entity["entity"] not in _JOINABLE:
            continue
        end = _COMPANY_SUFFIX.match(text, entity["end"]).end()
        if entity.get("extractor") == "SpacyEntityExtractor" and not text[entity["end"]:end].endswith("公司"):
            end = entity["end"]  # a name the lexicon knows is whole: 「平安普惠|贷款强制买保险」
        if end == entity["end"] and entity.get("extractor") in LEARNED_EXTRACTORS:
            end = _APP_SUFFIX.match(text, end).end()
        if end > entity["end"]:
            result[index] = {**entity, "end": end}
    return [e for e in result if not any(o["entity"] in _JOINABLE and _inside(e, o) for o in result)]


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
    if kind in CANONICAL_KINDS or kind == "harassment_type":
        entry = lexicon().canonical(span, kind)
        if entry is None:
            return span
        return entry.id if kind == "harassment_type" else entry.name  # a behaviour's category
    return span  # time_of_day keeps what the user wrote


class _PatternExtractor(_Stateless):
    """Adds the spans a finder returns ((start, end, value) triples) as one entity type."""

    entity = ""

    @staticmethod
    def find(text: Text) -> List[Tuple[int, int, Any]]:
        raise NotImplementedError

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = [
                {"start": start, "end": end, "entity": self.entity, "value": value,
                 "extractor": type(self).__name__}
                for start, end, value in self.find(message.get(TEXT))
            ]
            if found:
                message.set(ENTITIES, (message.get(ENTITIES) or []) + found, add_to_output=True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class AmountExtractor(_PatternExtractor):
    """Money amounts by pattern (borrower/money.py find_amounts, words in lexicon/money.yml), value
    in yuan; a range (3到5万) has its upper bound. Not in Rasa's training graph (it only runs on
    messages, and nothing trained reads its output), so it needs no fingerprint addon: an edit to
    borrower/money.py or lexicon/money.yml takes effect when the model is loaded, untrained."""

    entity = "amount"
    find = staticmethod(find_amounts)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class DurationExtractor(_PatternExtractor):
    """How long the debt is overdue (borrower/text.py find_overdue_durations), value in days."""

    entity = "overdue_duration"
    find = staticmethod(find_overdue_durations)


def _behaviour_spans(text: Text) -> List[Tuple[int, int, Any]]:
    return [(start, end, entry.id) for start, end, entry in lexicon().behaviour_spans(text)]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class BehaviourExtractor(_PatternExtractor):
    """Collection behaviours by pattern (lexicon/behaviours.yml): 「打电话给我妈」「联系我家人」."""

    entity = "harassment_type"
    find = staticmethod(_behaviour_spans)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ClockTimeExtractor(_PatternExtractor):
    """Clock times by pattern (borrower/text.py find_clock_times): 「凌晨一点多」「晚上11点半」."""

    entity = "time_of_day"
    find = staticmethod(find_clock_times)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LenderNameExtractor(_PatternExtractor):
    """Lenders the lexicon does not know, by the shape of their names (borrower/text.py
    find_lender_names): 「中原消费金融」「鑫源小额贷款有限公司」「一个叫闪电周转的app」."""

    entity = "platform"
    find = staticmethod(find_lender_names)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class EntityResolver(_Stateless):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = message.get(ENTITIES) or []
            if not entities:
                continue
            text = message.get(TEXT) or ""
            resolved = resolve(entities, text)
            for entity in resolved:
                entity["value"] = normalise_value(entity, text)
            message.set(ENTITIES, resolved, add_to_output=True)
        return messages

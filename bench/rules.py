"""Scores the rule-based entity extractors on annotated data, without training.

The entity types a rule owns (components/entities.py OWNED_KINDS: amounts, durations, behaviours,
clock times, the ruler's loan types) do not depend on the learned extractor, so their spans can be
checked in seconds after a lexicon or pattern edit: this runs the spaCy model of
scripts/build_nlu_resources.py and the pattern extractors, resolves them as the pipeline does and
compares with the annotations of bench/nlu_dev.yml and data/nlu_blind_sets.yml (former blind
sets: the rules learn nothing from training data, so those annotations are as good a check as
the dev set's). It prints per-type strict / overlap F1 and, with --errors TYPE, each disagreement.

The held-out set is never read: it is never used for tuning (bench/README.md).

    python -m bench.rules [--errors harassment_type]
"""

import argparse
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from bench.nlu import BLIND_SETS_FILE, CATEGORY_SCORED, DEV_FILE, Span, category_score, entity_scores, load_examples

ROOT = Path(__file__).resolve().parents[1]
SPACY_MODEL = ROOT / "build" / "spacy_zh"
PATTERN_FINDERS = ("AmountExtractor", "DurationExtractor", "BehaviourExtractor", "ClockTimeExtractor")


def rule_entities(nlp: Any, text: str) -> List[Dict[str, Any]]:
    """The rule-based entities the pipeline would keep for `text` (the learned extractor left out)."""
    from components import entities as extractors
    from borrower.text import normalize

    normalised = normalize(text)
    found = [
        {"start": ent.start_char, "end": ent.end_char, "entity": ent.label_,
         "extractor": "SpacyEntityExtractor"}
        for ent in nlp(normalised).ents
    ]
    for name in PATTERN_FINDERS:
        extractor = getattr(extractors, name)
        found += [
            {"start": start, "end": end, "entity": extractor.entity, "extractor": name}
            for start, end, _ in extractor.find(normalised)
        ]
    kept = extractors.resolve(found, normalised)
    for entity in kept:
        entity["value"] = extractors.normalise_value(entity, normalised)
    return kept


def main(argv: Optional[Sequence[str]] = None) -> int:
    import spacy

    from borrower.lexicon import install_jieba_dictionary

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", metavar="TYPE", help="print the disagreements for one entity type")
    args = parser.parse_args(argv)

    install_jieba_dictionary()  # as the pipeline's SpacyNLP does: ruler spans follow jieba's words
    nlp = spacy.load(SPACY_MODEL)
    sources = (DEV_FILE, BLIND_SETS_FILE)
    examples = [example for path in sources for example in load_examples(path)]
    owned = {"harassment_type", "amount", "overdue_duration", "time_of_day", "loan_type"}
    gold: List[List[Span]] = [[s for s in e.entities if s[2] in owned] for e in examples]
    found = [rule_entities(nlp, example.text) for example in examples]
    predicted: List[List[Span]] = [[(e["start"], e["end"], e["entity"]) for e in f if e["entity"] in owned] for f in found]
    categories = [[(e["start"], e["end"], e["value"]) for e in f if e["entity"] == CATEGORY_SCORED] for f in found]
    strict, overlap = entity_scores(gold, predicted), entity_scores(gold, predicted, overlap=True)
    print(f"{len(examples)} examples of {', '.join(path.name for path in sources)}")
    print(f"{'entity':<18}{'support':>8}{'strict F1':>11}{'overlap F1':>12}")
    for entity, score in strict.items():
        print(f"{entity:<18}{score['support']:>8}{score['f1']:>11.3f}{overlap[entity]['f1']:>12.3f}")
    category = category_score([e.categories for e in examples], categories)
    print(f"{CATEGORY_SCORED} by category (overlap, same category): F1 {category['f1']:.3f}")
    if args.errors:
        for example, g, p, c in zip(examples, gold, predicted, categories):
            mine = sorted(s for s in g if s[2] == args.errors)
            theirs = sorted(s for s in p if s[2] == args.errors)
            if args.errors == CATEGORY_SCORED:
                mine, theirs = sorted(example.categories), sorted(c)
            if mine != theirs:
                show = lambda spans: ", ".join(f"{example.text[a:b]}/{k}" for a, b, k in spans) or "–"  # noqa: E731
                print(f"{example.text}\n    gold: {show(mine)}\n    rule: {show(theirs)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

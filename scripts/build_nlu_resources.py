"""Builds the blank Chinese spaCy pipeline (jieba segmenter + entity ruler from the lexicon)
into build/spacy_zh, the model config.yml's SpacyNLP loads.

There is no installable spaCy Chinese model here; the ruler gives closed-list entities
(platform, loan_type, harassment_type) whose boundaries agree with jieba's segmentation
because the same lexicon feeds jieba's user dictionary.
"""

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import spacy  # noqa: E402

from borrower.lexicon import install_jieba_dictionary, lexicon  # noqa: E402
from borrower.paths import BUILD_DIR  # noqa: E402


def main() -> None:
    install_jieba_dictionary()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(lexicon().ruler_patterns())
    target = BUILD_DIR / "spacy_zh"
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    print(f"spaCy pipeline with {len(ruler.patterns)} patterns written to {target}")


if __name__ == "__main__":
    main()

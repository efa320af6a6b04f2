"""Prints one hash of what our pipeline components add to Rasa's training fingerprints (their
`fingerprint_addon`: the jieba dictionary from lexicon/, their own code). scripts/train.sh
starts Rasa only when this or config / domain / data changed: a word-list edit that changes no
word jieba segments with needs no training at all.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from rasa.shared.utils.common import class_from_module_path  # noqa: E402

from components.chinese import fingerprint_of  # noqa: E402


def addons(config: Path = ROOT / "config.yml") -> list:
    """(component name, its fingerprint addon) for each custom component of the pipeline."""
    pipeline = yaml.safe_load(config.read_text(encoding="utf-8"))["pipeline"]
    result = []
    for item in pipeline:
        if "." in item["name"]:  # ours; Rasa's own are fingerprinted by Rasa
            component = class_from_module_path(item["name"])
            result.append((item["name"], component.fingerprint_addon(item)))
    return result


if __name__ == "__main__":
    print(fingerprint_of(addons()))

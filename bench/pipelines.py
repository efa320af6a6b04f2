"""Side by side, in one run: a baseline revision's pipeline against HEAD's, trained from scratch on
this machine and the same data, and the retraining after a word-list edit.

    python -m bench.pipelines [--baseline REV]     (make bench-pipelines)

For each revision, a git worktree of it (HEAD's `data/` copied over the baseline's, so both learn
from the same examples) runs `bash scripts/train.sh` with an empty Rasa cache: the whole training
a new machine does (NLU and policies), timed. Its model then parses bench/nlu_heldout.yml and
bench/nlu_dev.yml (HEAD's files, examples also in the training data left out) in a process of its
own, with that revision's components on the path, and both are scored as bench/nlu.py scores:
intent macro-F1 and accuracy, express_distress recall, amount / platform strict F1 and the
harassment-category F1. Then, in HEAD's worktree, scripts/train.sh runs again after: no change; a
comment added to lexicon/behaviours.yml; a platform name added to lexicon/terms.yml — each timed,
with the components Rasa retrained. Writes reports/pipeline_comparison.md.

Commit first: HEAD is what is compared, not the working tree.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "reports" / "pipeline_comparison.md"
# The last revision with DIET for intents and entities (40 epochs, char n-grams) averaged with the
# character regression: the pipeline issue 19 measured at 1,495 s of training.
DEFAULT_BASELINE = "f89cf08"
# Variables of the caller's environment that would point a worktree at the caller's files.
_LOCAL = ("MODEL_PATH", "BORROWER_VAR_DIR", "TRACKER_DB_URL", "CASES_DB_URL", "ACTION_ENDPOINT_URL",
          "RASA_CACHE_DIRECTORY", "PYTHONPATH")
_TRAINED = re.compile(r"Starting to train component '([^']+)'")
# A platform name for the word-list edit: a new jieba word and ruler pattern.
_NEW_PLATFORM = "  - {id: bench_probe, name: 维信金科, terms: [维信金科, 维信]}\n"


def _env(tree: Path) -> Dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in _LOCAL}
    env.update(RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH=str(tree),
               PATH=f"{ROOT / '.venv' / 'bin'}:{env.get('PATH', '')}")
    return env


def _worktree(revision: str, parent: Path, name: str) -> Path:
    tree = parent / name
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(tree), revision], cwd=ROOT, check=True)
    return tree


def _train(tree: Path) -> Tuple[float, List[str], str]:
    """scripts/train.sh in `tree`: seconds, the components Rasa trained, the last output line."""
    start = time.monotonic()
    result = subprocess.run(["bash", "scripts/train.sh"], cwd=tree, env=_env(tree),
                            capture_output=True, text=True)
    seconds = time.monotonic() - start
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise RuntimeError(f"training in {tree} failed:\n{output[-3000:]}")
    lines = [line for line in result.stdout.splitlines() if line.startswith("train:")]
    return seconds, _TRAINED.findall(output), lines[-1] if lines else ""


def _predict_in(tree: Path, texts: Sequence[str]) -> List[dict]:
    """Parses `texts` with `tree`'s model, in a process that imports `tree`'s components."""
    with tempfile.TemporaryDirectory() as tmp:
        given, parsed = Path(tmp) / "texts.json", Path(tmp) / "parsed.json"
        given.write_text(json.dumps(list(texts), ensure_ascii=False), encoding="utf-8")
        subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--predict", str(tree / "models" / "borrower.tar.gz"),
             str(given), str(parsed)],
            cwd=tree, env=_env(tree), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        return json.loads(parsed.read_text(encoding="utf-8"))


def _predict_main(model: str, given: str, parsed: str) -> None:
    import asyncio
    import logging

    logging.disable(logging.WARNING)
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    texts = json.loads(Path(given).read_text(encoding="utf-8"))

    async def parse_all() -> List[dict]:
        return [await agent.parse_message(text) for text in texts]

    results = [
        {"intent": r["intent"]["name"], "entities": [{k: e.get(k) for k in ("start", "end", "entity", "value")}
                                                      for e in r.get("entities", [])]}
        for r in asyncio.run(parse_all())
    ]
    Path(parsed).write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")


def _scores(examples, parsed: List[dict]) -> Dict[str, float]:
    from bench import nlu

    gold_intents = [e.intent for e in examples]
    intents = nlu.intent_scores(gold_intents, [p["intent"] for p in parsed])
    spans = [[(e["start"], e["end"], e["entity"]) for e in p["entities"]] for p in parsed]
    categories = [nlu._categories(p["entities"]) for p in parsed]
    entities = nlu.entity_scores([e.entities for e in examples], spans)
    distress = intents["per_intent"].get("express_distress", {})
    return {
        "intent macro-F1": intents["macro_f1"],
        "intent accuracy": intents["accuracy"],
        "express_distress recall": distress.get("recall", 0.0),
        "express_distress precision": distress.get("precision", 0.0),
        "lowest domain intent F1": min(intents["per_intent"].get(i, {}).get("f1", 0.0) for i in nlu.DOMAIN_INTENTS),
        "amount strict F1": entities.get("amount", {}).get("f1", 0.0),
        "platform strict F1": entities.get("platform", {}).get("f1", 0.0),
        "harassment category F1": nlu.category_score([e.categories for e in examples], categories)["f1"],
    }


def _measure(tree: Path, sets: Dict[str, list]) -> Dict[str, object]:
    seconds, trained, _ = _train(tree)
    texts = [e.text for examples in sets.values() for e in examples]
    parsed = _predict_in(tree, texts)
    result: Dict[str, object] = {"train_s": seconds, "trained": trained}
    offset = 0
    for name, examples in sets.items():
        result[name] = _scores(examples, parsed[offset:offset + len(examples)])
        offset += len(examples)
    return result


def _edits(tree: Path) -> List[Tuple[str, float, List[str], str]]:
    """Retraining in `tree` after each word-list edit, cumulatively."""
    rows = []
    for label, path, change in (
        ("nothing changed", None, ""),
        ("a comment added to lexicon/behaviours.yml", "lexicon/behaviours.yml", "\n# bench: touched\n"),
        ("a platform name added to lexicon/terms.yml", "lexicon/terms.yml", _NEW_PLATFORM),
    ):
        if path:
            target = tree / path
            text = target.read_text(encoding="utf-8")
            if path.endswith("terms.yml"):
                text = text.replace("platform:\n", "platform:\n" + change, 1)
            else:
                text += change
            target.write_text(text, encoding="utf-8")
        seconds, trained, last = _train(tree)
        rows.append((label, seconds, trained, last))
    return rows


def main(argv: Sequence[str] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default=DEFAULT_BASELINE)
    parser.add_argument("--predict", nargs=3, metavar=("MODEL", "TEXTS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.predict:
        _predict_main(*args.predict)
        return 0

    sys.path.insert(0, str(ROOT))
    from bench import nlu

    train = nlu.load_training_examples()
    sets = {"held-out": nlu.unseen(nlu.load_examples(nlu.HELDOUT_FILE), train)[0],
            "dev": nlu.unseen(nlu.load_examples(nlu.DEV_FILE), train)[0]}
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()
    base = subprocess.run(["git", "rev-parse", "--short", args.baseline], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()
    parent = Path(tempfile.mkdtemp(prefix="bench-pipelines-"))
    try:
        trees = {"baseline": _worktree(base, parent, "baseline"), "head": _worktree(head, parent, "head")}
        shutil.rmtree(trees["baseline"] / "data")
        shutil.copytree(trees["head"] / "data", trees["baseline"] / "data")
        results = {}
        for side, tree in trees.items():
            print(f"bench.pipelines: training {side} from scratch …", flush=True)
            results[side] = _measure(tree, sets)
        print("bench.pipelines: word-list edits …", flush=True)
        edits = _edits(trees["head"])
    finally:
        for tree in parent.iterdir():
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
        shutil.rmtree(parent, ignore_errors=True)

    report = _report(base, head, sets, results, edits)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(report, encoding="utf-8")
    print(report)
    print(f"\nwritten: {REPORT.relative_to(ROOT)}")
    return 0


def _report(base: str, head: str, sets, results, edits) -> str:
    old, new = results["baseline"], results["head"]
    lines = [
        "# Pipelines side by side",
        "",
        f"Made by `make bench-pipelines` (`python -m bench.pipelines --baseline {base}`) on "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, one run: baseline `{base}` "
        f"and HEAD `{head}`, each in a git worktree with HEAD's `data/`, trained from scratch "
        "(`bash scripts/train.sh`, empty Rasa cache: NLU and policies, what a new machine does).",
        "",
        f"| | baseline `{base}` | HEAD `{head}` |",
        "|---|---|---|",
        f"| full training (`scripts/train.sh`) | {old['train_s']:.0f} s | {new['train_s']:.0f} s |",
    ]
    for name, examples in sets.items():
        for metric in old[name]:
            lines.append(f"| {name} ({len(examples)}): {metric} | {old[name][metric]:.3f} | {new[name][metric]:.3f} |")
    lines += [
        "",
        "Components trained: baseline " + ", ".join(f"`{c}`" for c in old["trained"]) + "; HEAD "
        + ", ".join(f"`{c}`" for c in new["trained"]) + ".",
        "",
        "## Retraining after a word-list edit (HEAD, after the training above)",
        "",
        "| edit | `scripts/train.sh` | components Rasa retrained |",
        "|---|---|---|",
    ]
    for label, seconds, trained, last in edits:
        retrained = ", ".join(f"`{c}`" for c in trained) or ("none: " + last.replace("train: ", ""))
        lines.append(f"| {label} | {seconds:.0f} s | {retrained} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())

"""The conversation benchmark: whole conversations played against the real Rasa and action servers
over the REST channel, each a YAML script of user turns with what must hold after each turn.

    python -m bench.conversations                       all scripts under bench/conversations/
    python -m bench.conversations --only heldout        one folder (a held-out batch: run it once)
    make bench-conversations                             the same, report in reports/conversations.md

A turn passes when every check holds: `must_include_any` (one of these in the reply),
`must_not_include` (none of these), and — always — a real message is answered, never with the
failure apology or a programmer's artefact. A conversation passes when all its turns do. The
report gives success per pattern and overall, and every failing turn with the reply.
"""

import argparse
import json
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import requests
import yaml

from borrower.text import has_content
from connectors.wechat_protocol import MESSAGES
from tests.support.servers import ROOT, running_servers

SCRIPTS = ROOT / "bench" / "conversations"
REPORT = ROOT / "reports" / "conversations.md"
ARTEFACTS = ("Traceback", "None", "{", "}", "object at 0x")


@dataclass
class TurnResult:
    user: str
    reply: str
    problems: List[str]
    expect: str = ""


@dataclass
class ConversationResult:
    id: str
    pattern: str
    source: str
    turns: List[TurnResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(not turn.problems for turn in self.turns)


def load(only: Optional[str] = None) -> List[Dict[str, Any]]:
    """Every conversation of the scripts under bench/conversations/ (or its folder `only`)."""
    root = SCRIPTS / only if only else SCRIPTS
    conversations = []
    for path in sorted(root.rglob("*.yml")):
        if not only and "heldout" in path.relative_to(SCRIPTS).parts:
            continue  # held-out batches run only when asked for, once
        for conversation in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
            conversations.append({**conversation, "source": str(path.relative_to(ROOT))})
    return conversations


def check(turn: Dict[str, Any], reply: str) -> List[str]:
    """What is wrong with `reply` as the answer to `turn`."""
    problems = []
    wanted = [str(item) for item in turn.get("must_include_any") or []]
    if wanted and not any(item in reply for item in wanted):
        problems.append(f"none of {wanted}")
    present = [str(item) for item in turn.get("must_not_include") or [] if str(item) in reply]
    if present:
        problems.append(f"has {present}")
    if has_content(turn["user"]) and not reply.strip():
        problems.append("no answer")
    if MESSAGES["error"] in reply:
        problems.append("the failure apology")
    shown = [artefact for artefact in ARTEFACTS if artefact in reply]
    if shown:
        problems.append(f"artefact {shown}")
    return problems


def play(url: str, conversation: Dict[str, Any], run_id: str) -> ConversationResult:
    result = ConversationResult(conversation["id"], conversation.get("pattern", "?"), conversation["source"])
    sender = f"bench-{run_id}-{conversation['id']}"
    for turn in conversation["turns"]:
        response = requests.post(url, data=json.dumps({"sender": sender, "message": turn["user"]}),
                                 headers={"Content-Type": "application/json"}, timeout=120)
        if response.ok:
            reply = "\n".join(message.get("text") or json.dumps(message, ensure_ascii=False)
                              for message in response.json())
            problems = check(turn, reply)
        else:
            reply, problems = response.text[:200], [f"HTTP {response.status_code}"]
        result.turns.append(TurnResult(turn["user"], reply, problems, turn.get("expect", "")))
    return result


def run(conversations: List[Dict[str, Any]], model: Optional[Path] = None) -> List[ConversationResult]:
    run_id = datetime.now(timezone.utc).strftime("%H%M%S")
    with tempfile.TemporaryDirectory() as work, running_servers(Path(work), model) as servers:
        url = f"{servers.rasa_url}/webhooks/rest/webhook"
        return [play(url, conversation, run_id) for conversation in conversations]


def summary(results: List[ConversationResult]) -> Dict[str, List[int]]:
    """pattern → [conversations passed, conversations, turns passed, turns], with "all"."""
    table: Dict[str, List[int]] = {}
    for result in results:
        for key in (result.pattern, "all"):
            row = table.setdefault(key, [0, 0, 0, 0])
            row[0] += result.passed
            row[1] += 1
            row[2] += sum(not turn.problems for turn in result.turns)
            row[3] += len(result.turns)
    return table


def report(results: List[ConversationResult], command: str, seconds: float) -> str:
    table = summary(results)
    lines = [
        "# Conversation benchmark", "",
        f"Made by `{command}` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC in {seconds:.0f} s: "
        f"{len(results)} conversations, {sum(len(r.turns) for r in results)} turns, played over HTTP against the "
        "real Rasa and action servers (bench/conversations.py).", "",
        "A conversation passes when every turn does; the turn columns show how far from that it is.", "",
        "| pattern | conversations passed | of | share | turns passed | of | share |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for pattern in sorted(table, key=lambda key: (key == "all", key)):
        passed, total, turns_passed, turns = table[pattern]
        name = f"**{pattern}**" if pattern == "all" else pattern
        lines.append(f"| {name} | {passed} | {total} | {passed / total:.0%} | {turns_passed} | {turns} | "
                     f"{turns_passed / turns:.0%} |")
    lines += ["", "## Failing turns", ""]
    for result in results:
        for index, turn in enumerate(result.turns, start=1):
            if turn.problems:
                reply = turn.reply.replace("\n", " ⏎ ")
                lines.append(f"- `{result.id}` ({result.source}) turn {index}: 「{turn.user}」 — "
                             f"{'; '.join(turn.problems)}. Wanted: {turn.expect} Got: 「{reply[:220]}」")
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="a folder under bench/conversations/ (e.g. heldout)")
    parser.add_argument("--report", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    conversations = load(args.only)
    start = time.monotonic()
    results = run(conversations)
    command = "make bench-conversations" + (f" ONLY={args.only}" if args.only else "")
    text = report(results, command, time.monotonic() - start)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(text, encoding="utf-8")
    passed, total, turns_passed, turns = summary(results)["all"]
    print(f"{passed}/{total} conversations passed ({passed / total:.0%}), {turns_passed}/{turns} turns "
          f"({turns_passed / turns:.0%}); report: {args.report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A fuzz run over HTTP against the real servers: 2,000 hostile messages inside real
conversations (forms opened by ordinary borrower messages, then answered with personal numbers
in every notation, absurd amounts and dates, control characters and lone surrogates, template
and markup injection, forged intents, over-long text). Nothing may answer 5xx, stop a server,
leave a real message without an answer or answer it with the failure apology, show a
programmer's artefact, or leave a phone, ID or card number unmasked in the tracker store, the
case store or either server's log."""

import json
import os
import random
import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
import requests

from borrower.text import has_content, mask_pii
from connectors.inbound import clean_message
from connectors.wechat_protocol import MESSAGES

pytestmark = pytest.mark.e2e

MESSAGES_IN_RUN = 2000
CONVERSATIONS = 100
SEED = 20261207

OPENERS = ["我要投诉分期乐乱收费", "催收天天打电话给我同事", "我还不上网贷了，想协商分期", "招联金融的利息合法吗",
           "我的投诉进度怎么样了", "借了8千，到手只有6千", "你好", "转人工", "删除我的信息", "信里写完整号码"]
PII = ["13812345678", "+8613812345678", "138 1234 5678", "138-1234-5678", "１３８１２３４５６７８", "8613912345678",
       "110101199003071234", "110101 19900307 1234", "11010119900307123X", "6222 0212 3456 7890 128",
       "6222021234567890128", "4111-1111-1111-1111", "0086 139 8765 4321"]
ODD = ["-5万", "99999999999999999999万", "1e309", "NaN", "inf", "99999天前", "3000年前", "0", "-0", "1/0", "¥¥¥",
       "\ud800", "\udfff你好", "a\x00b", "\x07\x1b[31m红", "\u202e反向", "\ufeff", "🙂" * 50, "   ", "\n\n\t",
       "{{7*7}}", "{case_number}", "%s%s%n", "${jndi:ldap://x}", "<script>alert(1)</script>", "'; DROP TABLE cases;--",
       "/inform{\"platform\": \"13812345678\"}", "/restart", "/session_start", "/delete_my_data", "/nlu_fallback",
       "/include_contact_details{\"x\": 1}", "TS-2611-7K3QX", "TS-0000-00000", "ts 9999 zzzzz", "删除案件TS-2611-AAAA",
       "繁體：我欠了貳萬伍仟元", "我欠 ８千 块", "五万二", "一万出头", "88", "886", "？？？", "。", "呃", "啊啊啊啊啊"]


def hostile(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.35:
        # Chinese glued before the number, also in a "/…" message that Rasa logs as malformed
        # (rendered as JSON, Chinese is \uXXXX: the escape's hex digits run on into the number)
        return rng.choice(["我电话", "身份证", "卡号", "联系我", "", "/inform号", "/inform{\"号\": \"卡"]) + rng.choice(PII) + \
            rng.choice(["", "，", " 谢谢"])
    if kind < 0.75:
        return rng.choice(ODD)
    if kind < 0.85:
        return "".join(rng.choice(OPENERS + ODD + PII) for _ in range(rng.randint(2, 6)))
    if kind < 0.9:
        return "欠款" * rng.randint(1001, 1200)  # over the length limit
    return "".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(rng.randint(1, 40)))


def conversation(rng: random.Random, length: int) -> List[str]:
    messages = []
    while len(messages) < length:
        messages.append(rng.choice(OPENERS))
        messages += [hostile(rng) for _ in range(rng.randint(1, 5))]
    return messages[:length]


def _play(url: str, sender: str, messages: List[str]) -> List[Tuple[str, int, str]]:
    played = []
    for message in messages:
        response = requests.post(url, data=json.dumps({"sender": sender, "message": message}),
                                 headers={"Content-Type": "application/json"}, timeout=120)
        texts = " ".join(reply.get("text", "") for reply in response.json()) if response.ok else response.text
        played.append((message, response.status_code, texts))
    return played


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


_KEYED_HASH = re.compile(r"[0-9a-f]{64}")  # the case's verifier (borrower/secret.py), digits by chance


def unmasked(text: str) -> bool:
    """Whether masking would still change something: a number left in some notation."""
    if _KEYED_HASH.fullmatch(text):
        return False
    return mask_pii(text).count("*") > text.count("*") + text.count("＊")


def _database_strings(path: Path) -> Iterator[str]:
    with sqlite3.connect(path) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    if isinstance(value, str):
                        try:
                            yield from _strings(json.loads(value))
                        except ValueError:
                            yield value


def test_two_thousand_hostile_messages_inside_real_conversations(fresh_servers, tmp_path):
    servers = fresh_servers
    rng = random.Random(SEED)
    per = MESSAGES_IN_RUN // CONVERSATIONS
    scripts = {f"fuzz-{n}": conversation(rng, per) for n in range(CONVERSATIONS)}
    url = f"{servers.rasa_url}/webhooks/rest/webhook"
    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = list(pool.map(lambda item: _play(url, *item), scripts.items()))
    played = [turn for run in runs for turn in run]
    assert len(played) == MESSAGES_IN_RUN

    server_errors = [(m, status) for m, status, _ in played if status >= 500]
    assert not server_errors, server_errors[:5]
    real = [(m, text) for m, status, text in played if has_content(clean_message(m)) and not m.lstrip().startswith("/")]
    assert not [m for m, text in real if not text.strip()], "a real message got no answer"
    failed = [m for m, text in real if MESSAGES["error"] in text]
    assert not failed, f"{len(failed)} turns failed, e.g. {failed[:5]}"
    artefacts = ("Traceback", "None", "{", "}", "object at 0x", "Exception", "<script")
    shown = [(m, text) for m, _, text in played if any(a in text for a in artefacts)]
    assert not shown, shown[:3]
    for name, pid in servers.pids.items():
        os.kill(pid, 0)  # raises when the server exited

    leaks = [s for db in ("tracker.db", "cases.db") for s in _database_strings(tmp_path / db) if unmasked(s)]
    assert not leaks, leaks[:5]
    for log in ("rasa.log", "actions.log"):
        lines = [line for line in (tmp_path / log).read_text(errors="replace").splitlines() if unmasked(line)]
        assert not lines, (log, lines[:3])

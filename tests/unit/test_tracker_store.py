"""The masking tracker store against real SQLite and PostgreSQL databases: what is written, what
comes back, what a deletion leaves."""

import json

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from borrower.privacy import masked
from components.tracker_store import MaskingSQLTrackerStore

PHONE, ID_CARD, CARD = "13812345678", "11010519900307123X", "6222021234567890123"


def test_masked_walks_nested_data():
    data = {"text": f"电话{PHONE}", "entities": [{"value": ID_CARD}], "n": 3, "ok": None}
    assert masked(data) == {"text": "电话138****5678", "entities": [{"value": "110105***********X"}], "n": 3, "ok": None}


@pytest.fixture
def store(db_url):
    url = db_url
    domain = Domain.from_dict({"slots": {"complaint_problem": {"type": "text", "mappings": []}}})
    return MaskingSQLTrackerStore(domain, host=url), url


async def test_no_full_number_reaches_the_database(store):
    tracker_store, url = store
    tracker = DialogueStateTracker.from_events("alice", [
        ActionExecuted("action_listen"),
        UserUttered(f"我电话{PHONE}，身份证{ID_CARD}，卡号{CARD}",
                    parse_data={"intent": {"name": "inform", "confidence": 1.0}, "entities": []}),
        SlotSet("complaint_problem", f"打我电话{PHONE}"),
        BotUttered(f"联系电话：{PHONE}"),
    ])
    await tracker_store.save(tracker)
    assert PHONE in tracker.latest_message.text  # the tracker of this turn is left as it was

    with create_engine(url).connect() as connection:
        rows = [row[0] for row in connection.execute(text("SELECT data FROM events"))]
    stored = "\n".join(rows)
    assert len(rows) == 4 and all(json.loads(row) for row in rows)
    for number in (PHONE, ID_CARD, CARD, "1101051990"):
        assert number not in stored
    assert "138****5678" in stored and "6222***********0123" in stored

    again = await tracker_store.retrieve("alice")
    assert again.latest_message.text == "我电话138****5678，身份证110105***********X，卡号6222***********0123"
    assert again.get_slot("complaint_problem") == "打我电话138****5678"


def _turn(text):
    return [ActionExecuted("action_listen"),
            UserUttered(text, parse_data={"intent": {"name": "inform", "confidence": 1.0}, "entities": []})]


def _stored(url, sender):
    with create_engine(url).connect() as connection:
        return connection.execute(text("SELECT COUNT(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar_one()


async def test_a_confirmed_deletion_deletes_the_conversation_and_writes_nothing(store):
    tracker_store, url = store
    alice = DialogueStateTracker.from_events("alice", _turn("我要投诉易鑫"))
    await tracker_store.save(alice)
    await tracker_store.save(DialogueStateTracker.from_events("bob", _turn("你好")))
    assert _stored(url, "alice") == 2

    for event in _turn("确定删除") + [SlotSet("data_deleted", True), BotUttered("已删除")]:
        alice.update(event)
    await tracker_store.save(alice)
    assert _stored(url, "alice") == 0 and _stored(url, "bob") == 2
    assert len((await tracker_store.retrieve("alice") or DialogueStateTracker("alice", [])).events) == 0

    # Coming back later starts a new conversation, stored as usual.
    await tracker_store.save(DialogueStateTracker.from_events("alice", _turn("你好")))
    assert _stored(url, "alice") == 2

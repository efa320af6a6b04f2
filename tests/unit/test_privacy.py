"""「删除我的信息」: the confirmation, the deletion of the user's cases, and the marker that makes
the tracker store delete the conversation; 「删除案件TS-…」: one case, only the user's own."""

import pytest

import actions.cases
from actions.privacy import ActionConfirmDelete, ActionDeleteMyData
from borrower.casestore import CaseStore
from tests.conftest import rendered, responses


def _target(value):
    return {"event": "slot", "timestamp": None, "name": "delete_target", "value": value}


def _case_id(number):
    return [{"entity": "case_id", "value": number, "start": 2, "end": 2 + len(number)}]


async def test_confirmation_says_how_many_cases_would_go(tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    store.create_case("rest:alice", "complaint", platform="易鑫")
    store.create_case("rest:alice", "harassment")
    store.create_case("rest:bob", "negotiation")
    tracker = tracker_factory(sender_id="alice", text="删除我的信息", intent="delete_my_data")
    events = await ActionConfirmDelete().run(dispatcher, tracker, domain)
    assert events == [_target("all")]  # nothing is deleted yet
    assert responses(dispatcher) == ["utter_confirm_delete"]
    assert rendered(dispatcher, "utter_confirm_delete")["count"] == 2
    assert len(store.cases_for("rest:alice")) == 2


async def test_deletion_removes_only_the_users_cases_and_marks_the_conversation(
        tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    store.create_case("rest:alice", "complaint", summary="电话138****5678")
    store.create_case("rest:bob", "negotiation")
    tracker = tracker_factory({"delete_target": "all"}, sender_id="alice", text="确定删除", intent="affirm")
    events = await ActionDeleteMyData().run(dispatcher, tracker, domain)
    assert events == [{"event": "slot", "timestamp": None, "name": "data_deleted", "value": True}]
    assert responses(dispatcher) == ["utter_data_deleted"]
    assert rendered(dispatcher, "utter_data_deleted")["count"] == 1
    assert store.cases_for("rest:alice") == [] and len(store.cases_for("rest:bob")) == 1


async def test_deletion_with_the_database_down_deletes_nothing(tracker_factory, dispatcher, domain, monkeypatch):
    monkeypatch.setenv("CASES_DB_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    monkeypatch.setattr(actions.cases, "_store", None)
    tracker = tracker_factory({"delete_target": "all"}, sender_id="alice", intent="affirm")
    # the conversation stays too: no data_deleted
    assert await ActionDeleteMyData().run(dispatcher, tracker, domain) == [_target(None)]
    assert responses(dispatcher) == ["utter_delete_failed"]
    dispatcher.messages.clear()
    tracker = tracker_factory(sender_id="alice", intent="delete_my_data")
    assert await ActionConfirmDelete().run(dispatcher, tracker, domain) == [_target("all")]
    assert responses(dispatcher) == ["utter_confirm_delete_unknown_count"]
    dispatcher.messages.clear()
    # One case cannot be looked up, so there is nothing to confirm: a 「确定」 deletes nothing.
    tracker = tracker_factory(sender_id="alice", intent="delete_my_data", entities=_case_id("TS-2611-7K3QX"))
    assert await ActionConfirmDelete().run(dispatcher, tracker, domain) == [_target(None)]
    assert responses(dispatcher) == ["utter_delete_failed"]


async def test_one_named_case_is_confirmed_and_deleted_alone(tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    kept = store.create_case("rest:alice", "complaint", platform="易鑫")
    gone = store.create_case("rest:alice", "harassment")
    store.add_incident(gone.case_number, {"date": "2026-11-20", "behaviours": ["third_party_contact"]})
    store.add_document(gone.case_number, "投诉信")
    text = f"把案件{gone.case_number.lower()}删了"
    tracker = tracker_factory(sender_id="alice", text=text, intent="delete_my_data",
                              entities=_case_id(gone.case_number.lower()))
    assert await ActionConfirmDelete().run(dispatcher, tracker, domain) == [_target(gone.case_number)]
    assert responses(dispatcher) == ["utter_confirm_delete_case"]
    assert rendered(dispatcher, "utter_confirm_delete_case")["case_number"] == gone.case_number
    assert len(store.cases_for("rest:alice")) == 2  # not before the confirmation
    dispatcher.messages.clear()

    tracker = tracker_factory({"delete_target": gone.case_number}, sender_id="alice", text="确定删除", intent="affirm")
    events = await ActionDeleteMyData().run(dispatcher, tracker, domain)
    assert events == [_target(None)]  # no data_deleted: the conversation and the other case stay
    assert responses(dispatcher) == ["utter_case_deleted"]
    assert [c.case_number for c in store.cases_for("rest:alice")] == [kept.case_number]


async def test_another_users_case_cannot_be_deleted_or_probed(tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    bobs = store.create_case("rest:bob", "negotiation")
    for number in (bobs.case_number, "TS-2611-7K3QX"):  # exists (bob's) / does not exist: same answer
        dispatcher.messages.clear()
        tracker = tracker_factory(sender_id="alice", intent="delete_my_data", entities=_case_id(number))
        assert await ActionConfirmDelete().run(dispatcher, tracker, domain) == [_target(None)]
        assert responses(dispatcher) == ["utter_delete_case_not_found"]
    assert store.delete_case(bobs.case_number, "rest:alice") is False
    # Even with a target slot forged to bob's number, alice's confirmation deletes nothing of his.
    dispatcher.messages.clear()
    tracker = tracker_factory({"delete_target": bobs.case_number}, sender_id="alice", intent="affirm")
    assert await ActionDeleteMyData().run(dispatcher, tracker, domain) == [_target(None)]
    assert responses(dispatcher) == ["utter_delete_case_not_found"]
    assert len(store.cases_for("rest:bob")) == 1


async def test_a_confirmation_that_names_something_else_deletes_nothing(tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    one = store.create_case("rest:alice", "complaint")
    store.create_case("rest:alice", "harassment")
    # Asked about one case, the user answers 「全部删掉」: not what the warning they read described.
    tracker = tracker_factory({"delete_target": one.case_number}, sender_id="alice", text="全部删掉",
                              intent="delete_my_data")
    assert await ActionDeleteMyData().run(dispatcher, tracker, domain) == [_target(None)]
    assert responses(dispatcher) == ["utter_delete_scope_changed"]
    assert len(store.cases_for("rest:alice")) == 2
    # Repeating the same case number confirms it.
    dispatcher.messages.clear()
    tracker = tracker_factory({"delete_target": one.case_number}, sender_id="alice", intent="delete_my_data",
                              entities=_case_id(one.case_number))
    assert await ActionDeleteMyData().run(dispatcher, tracker, domain) == [_target(None)]
    assert responses(dispatcher) == ["utter_case_deleted"]
    assert len(store.cases_for("rest:alice")) == 1


async def test_nothing_is_deleted_without_a_confirmation_asked_for(tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    store.create_case("rest:alice", "complaint")
    tracker = tracker_factory(sender_id="alice", text="确定", intent="affirm")
    assert await ActionDeleteMyData().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_no_delete_pending"]
    assert len(store.cases_for("rest:alice")) == 1


@pytest.mark.parametrize("text", ["删除案件TS-2611-7K3Q", "删除案件 ts 2611 7k3qx", "删除案件TS26117K3QXX", "删除案件2611-7K3QX"])
async def test_a_mistyped_case_number_deletes_nothing(tracker_factory, dispatcher, domain, case_db, text):
    """Asked about everything, the user answers with a case number the regex cannot read: it
    used to count as 「删除我的信息」 again and deleted both cases."""
    store = CaseStore(case_db)
    store.create_case("rest:alice", "complaint")
    store.create_case("rest:alice", "harassment")
    tracker = tracker_factory({"delete_target": "all"}, sender_id="alice", text=text, intent="delete_my_data")
    assert await ActionDeleteMyData().run(dispatcher, tracker, domain) == [_target(None)]
    assert responses(dispatcher) == ["utter_delete_scope_changed"]
    assert len(store.cases_for("rest:alice")) == 2
    # Said first, it is a case number that is not found, not 「删除我的信息」.
    dispatcher.messages.clear()
    tracker = tracker_factory(sender_id="alice", text=text, intent="delete_my_data")
    assert await ActionConfirmDelete().run(dispatcher, tracker, domain) == [_target(None)]
    assert responses(dispatcher) == ["utter_delete_case_not_found"]

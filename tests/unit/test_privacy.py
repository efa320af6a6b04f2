"""「删除我的信息」: the confirmation, the deletion of the user's cases, and the marker that makes
the tracker store delete the conversation."""

import actions.cases
from actions.privacy import ActionConfirmDelete, ActionDeleteMyData
from borrower.casestore import CaseStore
from tests.conftest import rendered, responses


async def test_confirmation_says_how_many_cases_would_go(tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    store.create_case("alice", "complaint", platform="易鑫")
    store.create_case("alice", "harassment")
    store.create_case("bob", "negotiation")
    events = await ActionConfirmDelete().run(dispatcher, tracker_factory(sender_id="alice"), domain)
    assert events == []  # nothing is deleted yet
    assert responses(dispatcher) == ["utter_confirm_delete"]
    assert rendered(dispatcher, "utter_confirm_delete")["count"] == 2
    assert len(store.cases_for("alice")) == 2


async def test_deletion_removes_only_the_users_cases_and_marks_the_conversation(
        tracker_factory, dispatcher, domain, case_db):
    store = CaseStore(case_db)
    store.create_case("alice", "complaint", summary="电话138****5678")
    store.create_case("bob", "negotiation")
    events = await ActionDeleteMyData().run(dispatcher, tracker_factory(sender_id="alice"), domain)
    assert events == [{"event": "slot", "timestamp": None, "name": "data_deleted", "value": True}]
    assert responses(dispatcher) == ["utter_data_deleted"]
    assert rendered(dispatcher, "utter_data_deleted")["count"] == 1
    assert store.cases_for("alice") == [] and len(store.cases_for("bob")) == 1


async def test_deletion_with_the_database_down_deletes_nothing(tracker_factory, dispatcher, domain, monkeypatch):
    monkeypatch.setenv("CASES_DB_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    monkeypatch.setattr(actions.cases, "_store", None)
    tracker = tracker_factory(sender_id="alice")
    assert await ActionDeleteMyData().run(dispatcher, tracker, domain) == []  # the conversation stays too
    assert responses(dispatcher) == ["utter_delete_failed"]
    dispatcher.messages.clear()
    assert await ActionConfirmDelete().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_confirm_delete_unknown_count"]

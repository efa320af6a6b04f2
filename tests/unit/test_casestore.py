"""The case store on a real SQLite database: migrations, history, letters, incidents, deletion."""

from datetime import date, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from borrower.casestore import INTERMEDIATE_NOTE, MAX_CASE_VERIFY_FAILURES, MAX_NOTE, MAX_NOTES, MAX_VERIFY_FAILURES, MIGRATIONS_DIR, Base, CaseError, CaseStore, _now


def _config(connection):
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@pytest.fixture
def url(db_url):
    """Every test of the case store runs on SQLite and on a real PostgreSQL server (conftest.py)."""
    return db_url


def test_migrations_build_exactly_the_models_schema(url):
    CaseStore(url)
    with create_engine(url).connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0004"


def test_upgrade_from_the_first_revision_keeps_cases_and_their_drafts(url):
    engine = create_engine(url)
    with engine.begin() as connection:
        command.upgrade(_config(connection), "0001")
        connection.execute(text(
            "INSERT INTO cases (case_number, sender_id, category, details, draft, status, created_at, updated_at) "
            "VALUES ('TS-2611-AAAAA', 'alice', 'complaint', '{}', '投诉书（草稿）', 'open', "
            "'2026-11-01 10:00:00', '2026-11-01 10:00:00')"
        ))
    store = CaseStore(url)  # upgrades to the newest revision
    [case] = store.cases_for("unknown:alice")  # made on no known channel: no conversation owns it
    assert case.case_number == "TS-2611-AAAAA" and case.draft == "投诉书（草稿）"
    assert [status for status, _by, _at in case.history] == ["open"]
    assert "draft" not in {column["name"] for column in inspect(engine).get_columns("cases")}


def test_upgrade_from_the_previous_revision_keeps_cases(url):
    engine = create_engine(url)
    with engine.begin() as connection:
        command.upgrade(_config(connection), "0002")
        connection.execute(text(
            "INSERT INTO cases (case_number, sender_id, category, details, status, created_at, updated_at) "
            "VALUES ('TS-2611-BBBBB', 'alice', 'harassment', '{}', 'submitted', "
            "'2026-11-01 10:00:00', '2026-11-01 10:00:00')"
        ))
    store = CaseStore(url)
    [case] = store.cases_for("unknown:alice")
    assert (case.status, case.follow_up_due) == ("submitted", None)
    assert store.verify("TS-2611-BBBBB", "5678", "rest:alice") is None  # no phone was recorded with it
    with engine.begin() as connection:
        command.downgrade(_config(connection), "0002")
        assert connection.execute(text("SELECT status FROM cases")).scalar_one() == "submitted"


def test_a_database_made_before_migrations_is_recognised_and_upgraded(url):
    engine = create_engine(url)
    with engine.begin() as connection:
        command.upgrade(_config(connection), "0001")
        connection.execute(text("DROP TABLE alembic_version"))  # as create_all left it
    CaseStore(url)
    assert {"status_events", "documents", "incidents"} <= set(inspect(engine).get_table_names())


def test_downgrade_to_the_first_revision_puts_the_latest_letter_back(url):
    store = CaseStore(url)
    case = store.create_case("alice", "negotiation", draft="申请书 v1")
    store.add_document(case.case_number, "申请书 v2")
    engine = create_engine(url)
    with engine.begin() as connection:
        command.downgrade(_config(connection), "0001")
        assert connection.execute(text("SELECT draft FROM cases")).scalar_one() == "申请书 v2"


def test_a_case_keeps_its_history_letters_and_incidents(url):
    store = CaseStore(url)
    case = store.create_case(
        "alice", "harassment", channel="rest", platform="分期乐", region="广东 深圳",
        incidents=[{"occurred": "凌晨两点", "behaviours": ["third_party_contact"], "description": "打给我妈"}],
    )
    assert (case.channel, case.region, case.status, case.draft) == ("rest", "广东 深圳", "open", None)
    assert store.incidents(case.case_number) == [
        {"occurred": "凌晨两点", "behaviours": ["third_party_contact"], "contacted": [], "description": "打给我妈"}]
    store.add_incident(case.case_number, {"occurred": "昨天", "behaviours": ["third_party_contact"],
                                          "contacted": ["同事", "领导"], "description": "打到我单位"})
    assert store.incidents(case.case_number)[1]["contacted"] == ["同事", "领导"]
    assert store.add_document(case.case_number, "投诉书 v1") == 1
    assert store.add_document(case.case_number, "投诉书 v2") == 2
    assert store.get(case.case_number).draft == "投诉书 v2"

    store.set_status(case.case_number, "submitted", "staff:wang", note="已寄出")
    updated = store.set_status(case.case_number, "awaiting_reply", "user")
    assert [(status, by) for status, by, _at in updated.history] == [
        ("open", "assistant"), ("submitted", "staff:wang"), ("awaiting_reply", "user")]


@pytest.mark.parametrize("start, target", [("open", "resolved"), ("open", "awaiting_reply"), ("open", "nonsense")])
def test_status_moves_only_along_the_workflow(url, start, target):
    store = CaseStore(url)
    case = store.create_case("alice", "complaint")
    with pytest.raises(CaseError):
        store.set_status(case.case_number, target, "staff:wang")
    assert store.get(case.case_number).status == start


def test_a_user_update_walks_the_workflow_and_keeps_the_follow_up_while_waiting(url):
    store = CaseStore(url)
    case = store.create_case("alice", "complaint")
    store.advance(case.case_number, "submitted", "user", note="向平台投诉")
    store.set_follow_up(case.case_number, "lender", date(2026, 11, 16))
    assert [c.case_number for c in store.overdue_cases("alice", date(2026, 11, 16))] == []
    [due] = store.overdue_cases("alice", date(2026, 11, 17))
    assert (due.follow_up_body, due.follow_up_due) == ("lender", date(2026, 11, 16))
    store.mark_notified(case.case_number, date(2026, 11, 17))
    assert store.overdue_cases("alice", date(2026, 11, 17)) == []  # told once a day
    assert len(store.overdue_cases("alice", date(2026, 11, 18))) == 1
    assert store.overdue_cases("bob", date(2026, 11, 18)) == []

    # awaiting_reply keeps the deadline; a new submission (next step up) is allowed from there
    assert store.advance(case.case_number, "awaiting_reply", "user").follow_up_due == date(2026, 11, 16)
    assert store.advance(case.case_number, "awaiting_reply", "user").status == "awaiting_reply"  # no-op
    assert store.advance(case.case_number, "submitted", "user", note="向12378投诉").status == "submitted"
    resolved = store.advance(case.case_number, "resolved", "user")
    assert (resolved.follow_up_due, resolved.follow_up_body) == (None, None)
    assert [s for s, _by, _at in resolved.history] == [
        "open", "submitted", "awaiting_reply", "submitted", "resolved"]

    other = store.create_case("alice", "negotiation")
    walked = store.advance(other.case_number, "resolved", "user", note="同意分期")
    assert [s for s, _by, _at in walked.history] == ["open", "submitted", "resolved"]
    reopened = store.advance(other.case_number, "awaiting_reply", "user", note="平台反悔")  # went back on it
    assert [s for s, _by, _at in reopened.history][-3:] == ["open", "submitted", "awaiting_reply"]
    with create_engine(url).connect() as connection:
        notes = connection.execute(text(
            "SELECT e.note FROM status_events e JOIN cases c ON c.id = e.case_id "
            f"WHERE c.case_number = '{other.case_number}' ORDER BY e.id")).scalars().all()
    assert notes == [None, INTERMEDIATE_NOTE, "同意分期", INTERMEDIATE_NOTE, INTERMEDIATE_NOTE, "平台反悔"]
    with pytest.raises(CaseError):
        store.advance(other.case_number, "pending", "user")


def test_a_case_number_is_verified_by_the_phone_digits_with_a_lock_against_guessing(url):
    store = CaseStore(url)
    case = store.create_case("wechat:alice", "complaint", phone_last4="5678")
    assert store.verify(case.case_number, "5678", "socketio:a1").owner == "wechat:alice"
    assert store.verify("TS-2611-ZZZZZ", "5678", "socketio:a1") is None
    assert store.verify(store.create_case("wechat:alice", "complaint").case_number, "5678", "socketio:a1") is None
    for _ in range(MAX_VERIFY_FAILURES):
        assert store.verify(case.case_number, "0000", "rest:mallory") is None
    assert store.verify(case.case_number, "5678", "rest:mallory") is None  # locked, even for the right digits
    later = _now() + timedelta(days=2)
    assert store.verify(case.case_number, "5678", "rest:mallory", now=later).case_number == case.case_number
    with create_engine(url).connect() as connection:
        assert "5678" not in connection.execute(text(f"SELECT verifier FROM cases WHERE case_number = '{case.case_number}'")).scalar_one()


def test_a_strangers_wrong_guesses_do_not_lock_the_owner_out(url):
    store = CaseStore(url)
    case = store.create_case("wechat:alice", "complaint", phone_last4="5678")
    for _ in range(MAX_VERIFY_FAILURES + 2):
        assert store.verify(case.case_number, "1234", "rest:mallory") is None
    assert store.verify(case.case_number, "5678", "socketio:alice-laptop").case_number == case.case_number


def test_guesses_from_many_identities_close_the_case_to_every_requester_for_a_day(url):
    store = CaseStore(url)
    case = store.create_case("wechat:alice", "complaint", phone_last4="5678")
    for guess in range(MAX_CASE_VERIFY_FAILURES):
        assert store.verify(case.case_number, f"{guess:04d}", f"socketio:bot-{guess // 4}") is None
    assert store.verify(case.case_number, "5678", "socketio:alice-laptop") is None
    assert store.find(case.case_number, "wechat:alice") is not None  # the owner's own identity still sees it
    later = _now() + timedelta(days=2)
    assert store.verify(case.case_number, "5678", "socketio:alice-laptop", now=later) is not None


def test_upgrade_to_channel_identities_keys_cases_by_channel_and_sender(url):
    engine = create_engine(url)
    with engine.begin() as connection:
        command.upgrade(_config(connection), "0003")
        for number, sender, channel in (("TS-2611-CCCCC", "o1", "'wechat'"), ("TS-2611-DDDDD", "o1", "NULL")):
            connection.execute(text(
                "INSERT INTO cases (case_number, sender_id, channel, category, details, status, created_at, updated_at,"
                f" verify_failures) VALUES ('{number}', '{sender}', {channel}, 'complaint', '{{}}', 'open',"
                " '2026-11-01 10:00:00', '2026-11-01 10:00:00', 0)"))
    store = CaseStore(url)
    assert [c.case_number for c in store.cases_for("wechat:o1")] == ["TS-2611-CCCCC"]
    assert store.cases_for("rest:o1") == [] and store.cases_for("o1") == []
    with engine.begin() as connection:
        command.downgrade(_config(connection), "0003")
        rows = connection.execute(text("SELECT sender_id FROM cases ORDER BY case_number")).scalars().all()
    assert rows == ["o1", "o1"]


def test_contact_numbers_are_stored_encrypted_and_merged(url):
    store = CaseStore(url)
    case = store.create_case("alice", "complaint")
    assert store.contact(case.case_number) == {}
    store.store_contact(case.case_number, {"phone": "13812345678", "id_number": "11010119900307123X"})
    store.store_contact(case.case_number, {"phone": "13900001111", "id_number": None})
    assert store.contact(case.case_number) == {"phone": "13900001111", "id_number": "11010119900307123X"}
    with create_engine(url).connect() as connection:
        stored = connection.execute(text("SELECT contact_secret FROM cases")).scalar_one()
    assert "1390000" not in stored and "110101" not in stored


def test_unknown_case_and_category_are_refused(url):
    store = CaseStore(url)
    with pytest.raises(CaseError):
        store.get("TS-2611-ZZZZZ")
    with pytest.raises(CaseError):
        store.create_case("alice", "lottery")


def test_deletion_takes_history_letters_and_incidents_along_and_spares_others(url):
    store = CaseStore(url)
    store.create_case("alice", "complaint", draft="投诉书",
                      incidents=[{"behaviours": ["threats"], "description": "威胁我"}])
    store.create_case("bob", "negotiation", draft="申请书")
    assert store.delete_for("alice") == 1
    with create_engine(url).connect() as connection:
        for table, left in (("cases", 1), ("status_events", 1), ("documents", 1), ("incidents", 0)):
            assert connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one() == left, table


def test_staff_cli_lists_shows_moves_and_exports(url, tmp_path, capsys):
    import csv
    import io

    from borrower.cases import main

    store = CaseStore(url)
    first = store.create_case("alice", "complaint", platform="易鑫", amount=52000, draft="投诉书（草稿）")
    store.create_case("bob", "harassment", platform="分期乐",
                      incidents=[{"occurred": "凌晨两点", "behaviours": ["threats"], "description": "威胁我"}])

    out = io.StringIO()
    assert main(["list", "--category", "complaint"], out, url) == 0
    [line] = out.getvalue().splitlines()
    assert line.startswith(first.case_number) and "易鑫" in line and "52,000" in line

    out = io.StringIO()
    assert main(["set-status", first.case_number.lower(), "submitted", "--by", "wang", "--note", "已寄出"], out, url) == 0
    assert out.getvalue().strip() == f"{first.case_number}: submitted"
    out = io.StringIO()
    assert main(["show", first.case_number], out, url) == 0
    shown = out.getvalue()
    assert "submitted      staff:wang" in shown and "投诉书（草稿）" in shown

    assert main(["set-status", first.case_number, "open", "--by", "wang"], io.StringIO(), url) == 2
    assert "cannot become 'open'" in capsys.readouterr().err
    assert main(["show", "TS-2611-ZZZZZ"], io.StringIO(), url) == 2

    target = tmp_path / "cases.csv"
    assert main(["export", "--out", str(target)], io.StringIO(), url) == 0
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [row["status"] for row in rows] == ["submitted", "open"] and rows[1]["platform"] == "分期乐"


def test_hostile_and_oversized_text_is_stored_safely(url):
    store = CaseStore(url)
    sql = "'); DROP TABLE cases; --"
    case = store.create_case(
        "alice'; --", "complaint", platform="平" * 500 + sql, summary="x\x00y\x07z\n" + "长" * 30_000,
        region="<script>", draft=sql, incidents=[{"description": "a\x00b", "behaviours": ["threats"]}],
    )
    stored = store.get(case.case_number)
    assert len(stored.platform) == 100 and stored.platform.endswith("…")
    assert stored.summary.startswith("xyz\n") and len(stored.summary) == 20_000
    assert stored.draft == sql and stored.region == "<script>" and stored.owner == "alice'; --"
    assert store.incidents(case.case_number)[0]["description"] == "ab"
    assert [c.case_number for c in store.cases_for("alice'; --")] == [case.case_number]


def test_fifty_conversations_creating_cases_at_once_get_fifty_rows_and_numbers(url):
    from concurrent.futures import ThreadPoolExecutor

    store = CaseStore(url)  # one per action server, shared by every conversation it serves

    def create(index):
        return store.create_case(f"user-{index}", "harassment", summary=f"第{index}个").case_number

    with ThreadPoolExecutor(max_workers=50) as pool:
        numbers = list(pool.map(create, range(50)))
    assert len(set(numbers)) == 50
    with create_engine(url).connect() as connection:
        assert connection.execute(text("SELECT COUNT(DISTINCT owner) FROM cases")).scalar_one() == 50


def test_amending_corrects_fields_and_keeps_the_newest_notes(url):
    store = CaseStore(url)
    case = store.create_case("alice", "complaint", platform="分期乐", amount=120000, details={"problem": "乱收费"})
    amended = store.amend(case.case_number, {"amount": 12000.0, "region": "佛山", "platform": None}, "金额记错了")
    assert (amended.amount, amended.region, amended.platform) == (12000.0, "佛山", "分期乐")  # None changes nothing
    assert amended.details["problem"] == "乱收费" and amended.details["notes"][0]["text"] == "金额记错了"
    for n in range(MAX_NOTES + 1):
        store.amend(case.case_number, {}, f"第{n}条" + "长" * MAX_NOTE)
    notes = store.get(case.case_number).details["notes"]
    assert len(notes) == MAX_NOTES and notes[0]["text"].startswith("第1条") and notes[-1]["text"].startswith(f"第{MAX_NOTES}条")
    assert len(notes[-1]["text"]) == MAX_NOTE

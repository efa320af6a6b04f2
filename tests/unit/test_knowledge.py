import shutil

import pytest
import yaml

from borrower.advice import NIGHT_CALLS
from borrower.knowledge import KnowledgeError, knowledge, load_knowledge
from borrower.lexicon import lexicon
from borrower.paths import KNOWLEDGE_DIR


def test_knowledge_base_loads_with_sources():
    kb = knowledge()
    assert {"lender", "nfra_12378", "local_finance_bureau", "miit_12321", "police_110"} <= {
        c.id for c in kb.channels
    }
    for channel in kb.channels:
        assert channel.source and channel.confidence


def test_every_harassment_behaviour_has_rules():
    behaviours = {e.id for e in lexicon().entries if e.label == "harassment_type"} | {NIGHT_CALLS}
    assert behaviours == set(knowledge().harassment)


@pytest.mark.parametrize(
    "name, loan_type, expected",
    [
        ("上汽通用汽车金融", None, "car_finance"),
        ("招联消费金融", None, "consumer_finance"),
        ("招商银行", None, "bank"),
        ("某某融资租赁有限公司", None, "finance_lease"),
        ("某某金融租赁股份有限公司", None, "financial_leasing"),
        ("某某网络小额贷款有限公司", None, "micro_loan"),
        ("借呗", None, "unknown"),
        (None, "credit_card", "bank"),
        (None, "lease_to_own", "finance_lease"),
        (None, None, "unknown"),
    ],
)
def test_classify_institution(name, loan_type, expected):
    assert knowledge().classify_institution(name, loan_type).id == expected


def _copy_with(tmp_path, mutate, name="channels.yml"):
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    data = yaml.safe_load((target / name).read_text(encoding="utf-8"))
    mutate(data)
    (target / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def test_entry_without_source_is_rejected(tmp_path):
    def drop_source(data):
        data["channels"][0]["source"] = " "

    with pytest.raises(KnowledgeError, match="source"):
        load_knowledge(_copy_with(tmp_path, drop_source))


def test_unknown_confidence_is_rejected(tmp_path):
    def bad_confidence(data):
        data["channels"][1]["confidence"] = "sure"

    with pytest.raises(KnowledgeError, match="confidence"):
        load_knowledge(_copy_with(tmp_path, bad_confidence))


def test_reference_to_missing_channel_is_rejected(tmp_path):
    def dangling(data):
        data["institution_types"][0]["regulator_channels"] = ["no_such_channel"]

    with pytest.raises(KnowledgeError, match="no_such_channel"):
        load_knowledge(_copy_with(tmp_path, dangling))


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d["issue_types"][0]["steps"][0].update(channel="no_such_channel"), "no_such_channel"),
        (lambda d: d["issue_types"][0]["steps"][0].update(source=""), "source"),
        (lambda d: d["roles"].pop("court"), "court"),
        (lambda d: d["roles"]["lender"].pop("source"), "lender needs a channel, a source"),
        (lambda d: d["issue_types"][0].update(letter_facts="nonsense"), "letter_facts"),
    ],
    ids=["unknown channel", "step without source", "missing role", "role without source", "letter facts"],
)
def test_malformed_escalation_is_rejected(tmp_path, mutate, message):
    with pytest.raises(KnowledgeError, match=message):
        load_knowledge(_copy_with(tmp_path, mutate, "escalation.yml"))


def test_weak_facts_are_not_certain():
    kb = knowledge()
    assert not kb.negotiation.documents.certain  # confidence L
    assert all(rule.certain == (not rule.confidence.startswith("L")) for rule in kb.harassment_general)


def test_the_36_percent_line_is_stated_with_the_conditions_of_the_crime():
    """The 2019 opinion: unlicensed (or beyond the licence), habitual, over 36 % AND 情节严重; a
    licensed lender charging 37 % commits no crime under it. It was stated as 36 % alone."""
    [fact] = [rule for rule in knowledge().interest if "非法经营罪" in rule.text]
    for condition in ("未经监管部门批准", "超越经营范围", "10 次以上", "36%", "情节严重", "持牌机构"):
        assert condition in fact.text, condition
    assert "第一、二条" in fact.source

"""The escalation ladder for every institution type × issue type (issue 4 §2), as a table.

Codes: P 110, L the lender, D the dealer, N 12378, F 地方金融管理局, H 12345, S 12315, I 12321,
R 互金协会举报, C 12363, M 金融纠纷调解, A 消费者协会, J 法院. Offline lending (no R) unless a test
says otherwise.
"""

import pytest

from borrower.advice import classify_issue, complaint_ladder, escalation_ladder
from borrower.knowledge import knowledge
from borrower.render import render

CODES = {
    "P": "police_110", "L": "lender", "D": "dealer", "N": "nfra_12378", "F": "local_finance_bureau",
    "H": "hotline_12345", "S": "samr_12315", "I": "miit_12321", "R": "nifa_report", "C": "pboc_12363",
    "M": "mediation", "A": "consumer_association", "J": "court",
}

LADDERS = """
bank              threats              P L N I M J
bank              impersonation        P L N I M J
bank              credit_report_error  L N C M J
bank              privacy_leak         L N I M J
bank              harassment           L N I M J
bank              negotiation_refused  L N M J
bank              system_fault         L N M J
bank              fees_rates           L N M J
bank              contract             L N M J
bank              service              L N M J
consumer_finance  threats              P L N I M J
consumer_finance  impersonation        P L N I M J
consumer_finance  credit_report_error  L N C M J
consumer_finance  privacy_leak         L N I M J
consumer_finance  harassment           L N I M J
consumer_finance  negotiation_refused  L N M J
consumer_finance  system_fault         L N M J
consumer_finance  fees_rates           L N M J
consumer_finance  contract             L N M J
consumer_finance  service              L N M J
car_finance       threats              P L N I M J
car_finance       impersonation        P L N I M J
car_finance       credit_report_error  L N C M J
car_finance       privacy_leak         L N I M J
car_finance       harassment           L N I M J
car_finance       negotiation_refused  L N M J
car_finance       system_fault         L N M J
car_finance       fees_rates           L N M J
car_finance       contract             L N M J
car_finance       service              L N M J
financial_leasing threats              P L N I M J
financial_leasing impersonation        P L N I M J
financial_leasing credit_report_error  L N C M J
financial_leasing privacy_leak         L N I M J
financial_leasing harassment           L N I M J
financial_leasing negotiation_refused  L N M J
financial_leasing system_fault         L N M J
financial_leasing fees_rates           L N M J
financial_leasing contract             L N M J
financial_leasing service              L N M J
finance_lease     threats              P L F H I M J
finance_lease     impersonation        P L F H I M J
finance_lease     credit_report_error  L F H C M J
finance_lease     privacy_leak         L F H I M J
finance_lease     harassment           L F H I M J
finance_lease     negotiation_refused  L F H M J
finance_lease     system_fault         L F H M J
finance_lease     fees_rates           L F H M J
finance_lease     contract             L F H M J
finance_lease     service              L F H M J
micro_loan        threats              P L F H I M J
micro_loan        impersonation        P L F H I M J
micro_loan        credit_report_error  L F H C M J
micro_loan        privacy_leak         L F H I M J
micro_loan        harassment           L F H I M J
micro_loan        negotiation_refused  L F H M J
micro_loan        system_fault         L F H M J
micro_loan        fees_rates           L F H M J
micro_loan        contract             L F H M J
micro_loan        service              L F H M J
collection_agency threats              P L N F I M J
collection_agency impersonation        P L N F I M J
collection_agency credit_report_error  L N F C M J
collection_agency privacy_leak         L N F I M J
collection_agency harassment           L N F I M J
collection_agency negotiation_refused  L N F M J
collection_agency system_fault         L N F M J
collection_agency fees_rates           L N F M J
collection_agency contract             L N F M J
collection_agency service              L N F M J
unknown           threats              P L N F I M J
unknown           impersonation        P L N F I M J
unknown           credit_report_error  L N F C M J
unknown           privacy_leak         L N F I M J
unknown           harassment           L N F I M J
unknown           negotiation_refused  L N F M J
unknown           system_fault         L N F M J
unknown           fees_rates           L N F M J
unknown           contract             L N F M J
unknown           service              L N F M J
dealer            threats              P D S I A J
dealer            impersonation        P D S I A J
dealer            credit_report_error  L N F C M J
dealer            privacy_leak         D S I A J
dealer            harassment           L N F I M J
dealer            negotiation_refused  L N F M J
dealer            system_fault         L N F M J
dealer            fees_rates           D S A J
dealer            contract             D S A J
dealer            service              D S A J
"""
TABLE = [line.split(maxsplit=2) for line in LADDERS.strip().splitlines()]


def test_the_table_covers_every_institution_and_issue_type():
    kb = knowledge()
    pairs = {(kind, issue) for kind, issue, _ in TABLE}
    assert pairs == {(k.id, i.id) for k in kb.institution_types for i in kb.escalation.issue_types}
    assert len(TABLE) == len(pairs)


@pytest.mark.parametrize("kind, issue, expected", TABLE)
def test_ladder(kind, issue, expected):
    ladder = escalation_ladder(knowledge(), kind, issue)
    assert ladder.channel_ids == [CODES[code] for code in expected.split()]
    for step in ladder.steps:
        assert step.why and step.bring and step.source


@pytest.mark.parametrize("kind", ["bank", "micro_loan", "unknown"])
def test_online_lending_adds_the_nifa_report_platform_for_harassment_only(kind):
    kb = knowledge()
    assert "nifa_report" in escalation_ladder(kb, kind, "harassment", online=True).channel_ids
    assert "nifa_report" not in escalation_ladder(kb, kind, "fees_rates", online=True).channel_ids


def test_no_issue_type_gives_the_general_ladder_and_evidence():
    kb = knowledge()
    ladder = escalation_ladder(kb, "consumer_finance", None)
    assert ladder.channel_ids == ["lender", "nfra_12378", "mediation", "court"]
    assert ladder.bring == kb.complaint_evidence


def test_lender_step_states_the_15_day_rule_and_credit_disputes_the_20_day_rule():
    kb = knowledge()
    fees = escalation_ladder(kb, "bank", "fees_rates").steps[0]
    assert "答复时限见下" in fees.why and "15 日" in fees.deadline
    credit = escalation_ladder(kb, "bank", "credit_report_error").steps[0]
    assert "20 日" in credit.why and "征信业管理条例" in credit.source
    assert credit.deadline is None  # the 15-day complaint deadline would contradict it


def test_collection_agency_starts_with_the_lender_that_hired_it():
    step = escalation_ladder(knowledge(), "collection_agency", "harassment").steps[0]
    assert step.channel.id == "lender" and "委托" in step.why


def test_dealer_only_owns_its_own_problems():
    kb = knowledge()
    ladder = escalation_ladder(kb, "dealer", "credit_report_error")
    assert ladder.redirected_from.id == "dealer" and ladder.kind.id == "unknown"
    assert escalation_ladder(kb, "dealer", "fees_rates").redirected_from is None


def test_region_names_only_local_bodies():
    ladder = escalation_ladder(knowledge(), "micro_loan", "fees_rates", region="广东省")
    where = {step.channel.id: step.where for step in ladder.steps}
    assert where == {
        "lender": None, "local_finance_bureau": "广东省", "hotline_12345": "广东省",
        "mediation": "广东省", "court": "广东省",
    }


def test_unknown_institution_explains_how_to_find_out():
    ladder = escalation_ladder(knowledge(), "unknown", "fees_rates")
    assert "关于我们" in ladder.find_out and "开发者" in ladder.find_out
    assert escalation_ladder(knowledge(), "bank", "fees_rates").find_out is None


@pytest.mark.parametrize(
    "text, issue",
    [
        ("借了一万到手八千 砍头息太狠", "fees_rates"),
        ("說要弄死我全家", "threats"),
        ("有人冒充法院给我发传票", "impersonation"),
        ("征信上显示逾期但我早就还了", "credit_report_error"),
        ("被爆通讯录了", "privacy_leak"),
        ("半夜一直打电话骚扰", "harassment"),
        ("银行不同意个性化分期", "negotiation_refused"),
        ("App还款失败还算我逾期", "system_fault"),
        ("合同里说好两年过户", "contract"),
        ("客服态度太差", "service"),
        ("你好", None),
    ],
)
def test_classify_issue(text, issue):
    found = classify_issue(knowledge(), text)
    assert (found.id if found else None) == issue


def test_problem_naming_the_dealer_makes_it_the_dealer_ladder_even_for_a_known_lender():
    kb = knowledge()
    ladder = complaint_ladder(kb, "上汽通用汽车金融", "car_loan", "4S店收了金融服务费")
    assert ladder.from_problem and ladder.kind.id == "dealer"
    assert ladder.channel_ids[:2] == ["dealer", "samr_12315"]


def test_outsourced_collector_counts_only_when_the_lender_type_is_unknown():
    kb = knowledge()
    assert complaint_ladder(kb, "某某平台", None, "外包催收天天骚扰").kind.id == "collection_agency"
    assert complaint_ladder(kb, "招商银行", "credit_card", "外包催收天天骚扰").kind.id == "bank"


def test_rendered_ladder_numbers_each_step_with_why_bring_and_source():
    ladder = complaint_ladder(knowledge(), "某某小额贷款有限公司", None, "他们说要弄死我", region="深圳市")
    text = render("complaint_ladder.j2", ladder=ladder, platform="某某小额贷款有限公司")
    assert text.index("1. 110 报警") < text.index("2. 先向借款机构本身投诉") < text.index("3. 当地地方金融管理局")
    assert text.count("为什么：") == text.count("带上：") == text.count("来源：") == len(ladder.steps)
    assert "（深圳市）" in text and "先保证人身安全" in text
    assert "来源：同上" not in text

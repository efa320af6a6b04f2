import pytest

from borrower.advice import MAX_PLAN_MONTHS, complaint_ladder, harassment_findings, repayment_plans
from borrower.knowledge import knowledge


def _ids(channels):
    return [channel.id for channel in channels]


def test_car_finance_company_goes_lender_then_12378():
    ladder = complaint_ladder(knowledge(), "上汽通用汽车金融", "car_loan", "乱收费")
    assert ladder.kind.id == "car_finance" and ladder.issue.id == "fees_rates"
    assert ladder.channel_ids == ["lender", "nfra_12378", "mediation", "court"]


def test_lease_to_own_goes_to_local_finance_bureau_and_12345():
    ladder = complaint_ladder(knowledge(), "弹个车", "lease_to_own", "说好两年过户不给过户")
    assert ladder.kind.id == "finance_lease" and ladder.issue.id == "contract"
    assert ladder.channel_ids[:3] == ["lender", "local_finance_bureau", "hotline_12345"]
    assert "nfra_12378" not in ladder.channel_ids


def test_unknown_institution_lists_both_supervisors():
    ladder = complaint_ladder(knowledge(), "借呗", "online_loan", "催收天天骚扰")
    assert ladder.kind.id == "unknown"
    assert {"nfra_12378", "local_finance_bureau", "nifa_report"} <= set(ladder.channel_ids)


def test_dealer_fees_go_to_the_dealer_and_12315():
    ladder = complaint_ladder(knowledge(), "易鑫", "car_loan", "4S店收了金融服务费")
    assert ladder.channel_ids[:2] == ["dealer", "samr_12315"]
    assert "samr_12315" not in complaint_ladder(knowledge(), "易鑫", "car_loan", "利息高").channel_ids


def test_threats_put_110_first_and_cite_sources():
    findings = harassment_findings(knowledge(), ["threats", "night_calls"], "某某小额贷款有限公司", None)
    assert _ids(findings.channels)[0] == "police_110"
    assert "local_finance_bureau" in _ids(findings.channels)
    assert all(rule.source for rule in findings.rules)
    assert any("22:00" in rule.text for rule in findings.rules)


def test_call_bombing_recommends_12321():
    findings = harassment_findings(knowledge(), ["call_bombing"], None, None)
    assert "miit_12321" in _ids(findings.channels)
    assert "police_110" not in _ids(findings.channels)


def test_no_known_behaviour_still_gives_general_rules_and_channels():
    findings = harassment_findings(knowledge(), [], None, "credit_card")
    assert findings.rules == [] and findings.general
    assert _ids(findings.channels) == ["lender", "nfra_12378"]


def test_unknown_behaviour_ids_are_ignored():
    assert harassment_findings(knowledge(), ["no_such_thing"], None, None).behaviours == []


@pytest.mark.parametrize(
    "debt, income, essentials, affordable, expected",
    [
        # the shortest common term within means, then the longest (lowest monthly)
        (52000, 8000, None, 2000, [("instalments", 36, 1445, True), ("instalments", 60, 867, True)]),
        (24000, 8000, 3000, 2000, [("instalments", 12, 2000, True), ("instalments", 60, 400, True)]),
        (60000, 5000, None, 1000, [("instalments", 60, 1000, True)]),
        # too little even over 60 months: deferral too
        (100000, 5000, None, 1000, [("instalments", 60, 1667, False), ("deferral", 60, 1667, False)]),
        (50000, 0, None, 0, [("instalments", 60, 834, False), ("deferral", 60, 834, False)]),
        # what the user says they can pay is capped by income less essentials
        (30000, 5000, 4000, 3000, [("instalments", 36, 834, True), ("instalments", 60, 500, True)]),
    ],
)
def test_repayment_plans(debt, income, essentials, affordable, expected):
    plans = repayment_plans(debt, income, affordable, essentials)
    assert [(p.kind, p.months, p.monthly, p.within_means) for p in plans.plans] == [*expected, ("settlement", None, None, True)]
    assert all(p.months <= MAX_PLAN_MONTHS for p in plans.plans if p.months)


def test_repayment_plans_flag_an_amount_above_income_less_essentials():
    plans = repayment_plans(30000, 5000, 3000, 4000)
    assert plans.overstated and plans.pay == 1000 and plans.capacity == 1000
    family_help = repayment_plans(30000, 0, 1000, None)  # no income, paid by family: taken as said
    assert not family_help.overstated and family_help.pay == 1000


def test_no_debt_no_plans():
    assert repayment_plans(0, 5000, 1000).plans == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("催收半夜打電話，還爆我通訊錄", ["night_calls", "third_party_contact"]),
        ("晚上11点还在打", ["night_calls"]),
        ("凌晨两点打给我爸妈", ["night_calls", "third_party_contact"]),
        ("下午三点打电话骂人", ["insults"]),
        ("他们冒充警察", ["impersonation"]),
    ],
)
def test_behaviours_in(text, expected):
    from borrower.advice import behaviours_in

    assert behaviours_in(text) == expected

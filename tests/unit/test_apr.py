"""The APR calculator: test vectors from the fact sheet and textbooks, edge cases, properties."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borrower.apr import (
    NEVER_REPAID, NO_PAYMENTS, NOTHING_RECEIVED, AprError, equal_instalments, equal_principal,
    interest_only, loan_apr, read_figures, read_loan, real_apr,
)


def test_leaseback_vector_from_the_fact_sheet():
    # GPS ¥1,980 + notary ¥200 + "service" ¥6,154 deducted from ¥62,180: ¥53,846 received,
    # ¥2,523 × 36 paid → ≈ 37.84 % (monthly IRR × 12).
    result = loan_apr(62180, [2523] * 36, upfront_fees=1980 + 200 + 6154)
    assert result.received == 53846
    assert result.apr == pytest.approx(0.3784, abs=0.001)
    assert result.total_cost == pytest.approx(2523 * 36 - 53846)


@pytest.mark.parametrize("schedule", [equal_instalments, equal_principal, interest_only])
@pytest.mark.parametrize("rate, months", [(0.12, 12), (0.0435, 36), (0.24, 60), (0.36, 6)])
def test_a_loan_without_fees_costs_its_own_rate(schedule, rate, months):
    assert real_apr(10000, schedule(10000, rate, months)).apr == pytest.approx(rate, abs=1e-6)


def test_textbook_equal_instalment_payment():
    # ¥100,000 over 12 months at 6 % a year: ¥8,606.64 a month.
    assert equal_instalments(100000, 0.06, 12)[0] == pytest.approx(8606.64, abs=0.01)


def test_a_fee_taken_upfront_raises_the_rate_well_above_the_stated_one():
    # "月息 1 %" on ¥10,000 for 12 months, with a ¥1,000 砍头息.
    stated = equal_instalments(10000, 0.12, 12)
    assert loan_apr(10000, stated, upfront_fees=1000).apr == pytest.approx(0.325, abs=0.001)


def test_one_payment():
    assert real_apr(10000, [11000]).apr == pytest.approx(1.2)


def test_zero_interest():
    result = real_apr(12000, [1000] * 12)
    assert result.apr == 0 and result.total_cost == 0


@pytest.mark.parametrize(
    "received, payments, code",
    [
        (10000, [500] * 12, NEVER_REPAID),  # ¥6,000 back for ¥10,000: not a rate
        (10000, [], NO_PAYMENTS),
        (10000, [0, 0], NO_PAYMENTS),
        (10000, [-100, 20000], NO_PAYMENTS),
        (0, [100], NOTHING_RECEIVED),
        (-500, [100], NOTHING_RECEIVED),
        (1, [10 ** 12], NOTHING_RECEIVED),  # beyond any rate: the amounts are wrong
    ],
)
def test_inputs_that_describe_no_loan_give_a_reason_not_a_number(received, payments, code):
    with pytest.raises(AprError) as raised:
        real_apr(received, payments)
    assert raised.value.code == code


def test_fees_that_eat_the_whole_principal():
    with pytest.raises(AprError) as raised:
        loan_apr(10000, [1000] * 12, upfront_fees=10000)
    assert raised.value.code == NOTHING_RECEIVED


amounts = st.floats(min_value=1000, max_value=500000)
rates = st.floats(min_value=0.01, max_value=1.0)
terms = st.integers(min_value=1, max_value=60)


@settings(max_examples=60, deadline=None)
@given(principal=amounts, rate=rates, months=terms, fee_share=st.floats(0.0, 0.2), extra=st.floats(0.01, 0.2))
def test_a_bigger_upfront_fee_never_lowers_the_rate(principal, rate, months, fee_share, extra):
    payments = equal_instalments(principal, rate, months)
    lower = loan_apr(principal, payments, upfront_fees=principal * fee_share).apr
    higher = loan_apr(principal, payments, upfront_fees=principal * (fee_share + extra)).apr
    assert higher > lower


@settings(max_examples=60, deadline=None)
@given(principal=amounts, rate=rates, months=terms, monthly_fee=st.floats(1, 500))
def test_a_monthly_fee_raises_the_rate(principal, rate, months, monthly_fee):
    payments = equal_instalments(principal, rate, months)
    assert loan_apr(principal, payments, monthly_fees=monthly_fee).apr > real_apr(principal, payments).apr


@settings(max_examples=60, deadline=None)
@given(principal=amounts, low=rates, step=st.floats(0.005, 0.5), months=terms)
def test_a_higher_stated_rate_gives_a_higher_real_rate(principal, low, step, months):
    cheap = real_apr(principal, equal_instalments(principal, low, months)).apr
    dear = real_apr(principal, equal_instalments(principal, low + step, months)).apr
    assert dear > cheap


@pytest.mark.parametrize(
    "text, received, payment, months, principal",
    [
        ("我的网贷借了1万分12期，每个月还1100，真实年化多少", 10000, 1100, 12, None),
        ("合同写一万，到手八千，每个月还950，还12个月", 8000, 950, 12, 10000),
        ("借12万先扣了1.5万的咨询费，分36期每期还4800", 105000, 4800, 36, 120000),
        ("網貸借六千分六期，每期還一千二", 6000, 1200, 6, None),
        ("2021年借的车贷，到手5万，月供2000，分3年还", 50000, 2000, 36, None),
    ],
)
def test_read_loan(text, received, payment, months, principal):
    loan = read_loan(text)
    assert (loan.received, loan.payment, loan.months, loan.principal) == (received, payment, months, principal)


@pytest.mark.parametrize("text", ["利息太高了", "借一万一年利息三千，年化是多少", "每个月还1100", ""])
def test_read_loan_needs_money_instalment_and_term(text):
    assert read_loan(text) is None


@pytest.mark.parametrize(
    "text, missing",
    [
        ("到手5万，每月还2523，这合法吗", ("months",)),
        ("分36期，一期还2523", ("received",)),
        ("一年期LPR是多少，年化多少算高利贷", ("received", "payment", "months")),
        ("逾期3个月了，借了2万", ("payment", "months")),
    ],
)
def test_read_figures_says_what_is_missing(text, missing):
    assert read_figures(text).missing == missing


def test_figures_from_two_messages_make_a_loan():
    later, earlier = read_figures("还36期"), read_figures("到手53846，每月还2523")
    loan = later.completed_by(earlier).terms()
    assert (loan.received, loan.payment, loan.months) == (53846, 2523, 36)
    assert round(real_apr(loan.received, loan.payments).apr * 100, 1) == 37.8

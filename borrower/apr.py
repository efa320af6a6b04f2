"""The real annualised rate of a loan: the internal rate of return of the money actually
received against the payments made, as the PBOC requires lenders to state it (公告〔2021〕第 3 号).

    received = principal − upfront deductions (砍头息, GPS, "service" and notary fees)
    received = Σ payment_k / (1 + r)^k        (payment k at the end of month k)
    APR      = 12 · r                         (monthly IRR × 12, the figure courts and the
                                               fact sheet use; the compounded rate is reported too)

Schedules: equal instalments (等额本息), equal principal (等额本金), interest-only then the
principal at the end (先息后本), or any list of monthly payments. Pure functions; the legal lines
(4 × LPR, 24 %, 36 %) and what they apply to live in the knowledge base.
"""

import re
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from scipy.optimize import brentq

from borrower.money import find_amounts
from borrower.text import normalize, parse_numeral

# Monthly rates searched: up to 1000 % a month covers any loan shark; beyond that is an input error.
_MAX_MONTHLY_RATE = 10.0
_CENT = 0.005


class AprError(ValueError):
    """The inputs do not describe a loan with a rate. `code` names the reason for the user."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


# Reasons, for the responses in domain.yml (utter_apr_<code>).
NOTHING_RECEIVED = "nothing_received"  # fees ate the whole principal, or no amount
NO_PAYMENTS = "no_payments"
NEVER_REPAID = "never_repaid"  # the payments add up to less than was received


@dataclass(frozen=True)
class AprResult:
    received: float
    payments: Tuple[float, ...]
    monthly_rate: float

    @property
    def apr(self) -> float:
        """Nominal annual rate, monthly IRR × 12 (0.378 for 37.8 %)."""
        return self.monthly_rate * 12

    @property
    def effective_annual_rate(self) -> float:
        return (1 + self.monthly_rate) ** 12 - 1

    @property
    def total_paid(self) -> float:
        return sum(self.payments)

    @property
    def total_cost(self) -> float:
        """Everything paid beyond what was received: interest plus every fee."""
        return self.total_paid - self.received


def real_apr(received: float, payments: Sequence[float]) -> AprResult:
    """The rate at which `received` today is worth the monthly `payments`."""
    payments = tuple(float(p) for p in payments)
    if received <= _CENT:
        raise AprError(NOTHING_RECEIVED, f"received {received!r}: nothing to lend")
    if not payments or sum(payments) <= _CENT or any(p < 0 for p in payments):
        raise AprError(NO_PAYMENTS, f"payments {payments!r}")
    if sum(payments) < received - _CENT:
        raise AprError(NEVER_REPAID, f"payments total {sum(payments):.2f} < received {received:.2f}")
    if abs(sum(payments) - received) <= _CENT:
        return AprResult(received, payments, 0.0)

    def npv(rate: float) -> float:
        return sum(p / (1 + rate) ** k for k, p in enumerate(payments, start=1)) - received

    if npv(_MAX_MONTHLY_RATE) > 0:
        raise AprError(NOTHING_RECEIVED, "rate above 1000 % a month: check the amounts")
    return AprResult(received, payments, brentq(npv, 0.0, _MAX_MONTHLY_RATE, xtol=1e-12))


def loan_apr(principal: float, payments: Sequence[float], upfront_fees: float = 0.0,
             monthly_fees: float = 0.0) -> AprResult:
    """APR of a loan whose upfront fees are deducted from the principal (or paid at signing)
    and whose monthly fees are paid with each instalment."""
    return real_apr(principal - upfront_fees, [p + monthly_fees for p in payments])


def equal_instalments(principal: float, annual_rate: float, months: int) -> List[float]:
    """等额本息: the same payment every month."""
    rate = annual_rate / 12
    if rate == 0:
        return [principal / months] * months
    payment = principal * rate * (1 + rate) ** months / ((1 + rate) ** months - 1)
    return [payment] * months


def equal_principal(principal: float, annual_rate: float, months: int) -> List[float]:
    """等额本金: the same principal every month plus interest on what is still owed."""
    rate, part = annual_rate / 12, principal / months
    return [part + (principal - part * k) * rate for k in range(months)]


def interest_only(principal: float, annual_rate: float, months: int) -> List[float]:
    """先息后本: interest every month, the principal with the last payment."""
    interest = principal * annual_rate / 12
    return [interest] * (months - 1) + [interest + principal]


# Reading a loan from one chat message: "借1万分12期，每期还1100" / "合同写一万，到手八千，
# 每个月还950，还12个月". Amounts come from borrower.money.find_amounts; the words before an
# amount say what it is.
_RECEIVED_WORDS = ("到手", "到账", "实际拿到", "只拿到", "拿到手", "放款")
_PRINCIPAL_WORDS = ("借了", "借", "贷了", "贷款", "本金", "合同写", "合同上写", "额度")
_PAYMENT_WORDS = ("每期还", "每期", "每月还", "每月", "每个月还", "每个月要还", "每个月", "月供", "一个月还", "一期还", "一期")
_FEE_WORDS = ("砍头息", "先扣", "扣了", "服务费", "手续费", "GPS费", "gps费")
_FEE_ENDINGS = _FEE_WORDS + tuple(word + "了" for word in _FEE_WORDS)
_TERM = re.compile(r"(?<![0-9])(?P<n>[0-9]{1,3}|[一二两三四五六七八九十]{1,3})\s*(?P<unit>期|个月|年)")
_UNIT_MONTHS = {"期": 1, "个月": 1, "年": 12}
# What may follow the number of instalments; "逾期3个月了" is how long overdue, not the term,
# "一年期 LPR" and "年化" are not terms either.
_TERM_FOLLOWERS = ("", "，", ",", "。", " ", "每", "还", "要", "的", "后", "?", "？")
MAX_MONTHS = 360


@dataclass(frozen=True)
class LoanTerms:
    received: float
    payment: float
    months: int
    principal: Optional[float] = None  # as written in the contract, when it differs

    @property
    def payments(self) -> List[float]:
        return [self.payment] * self.months


# What a loan description still lacks, in the order the user is asked for them.
RECEIVED, PAYMENT, MONTHS = "received", "payment", "months"


@dataclass(frozen=True)
class LoanFigures:
    """The figures of a loan read from one or more messages; any of them may be missing."""

    received: Optional[float] = None
    principal: Optional[float] = None
    fees: float = 0.0
    payment: Optional[float] = None
    months: Optional[int] = None

    @property
    def money_received(self) -> Optional[float]:
        if self.received is not None:
            return self.received
        return None if self.principal is None else self.principal - self.fees

    @property
    def missing(self) -> Tuple[str, ...]:
        present = {RECEIVED: self.money_received is not None, PAYMENT: self.payment is not None,
                   MONTHS: bool(self.months)}
        return tuple(name for name, there in present.items() if not there)

    @property
    def any(self) -> bool:
        return len(self.missing) < 3

    def completed_by(self, earlier: "LoanFigures") -> "LoanFigures":
        """These figures, with what they lack taken from an earlier message."""
        return LoanFigures(
            received=self.received if self.received is not None else earlier.received,
            principal=self.principal if self.principal is not None else earlier.principal,
            fees=self.fees or earlier.fees,
            payment=self.payment if self.payment is not None else earlier.payment,
            months=self.months or earlier.months,
        )

    def terms(self) -> Optional[LoanTerms]:
        if self.missing:
            return None
        received = self.money_received
        principal = self.principal if self.principal != received else None
        return LoanTerms(received=received, payment=self.payment, months=self.months, principal=principal)


def read_figures(text: Optional[str]) -> LoanFigures:
    """The loan figures one message gives: money received (or lent, less upfront fees), the
    instalment and the number of instalments (N期, N个月, N年)."""
    cleaned = normalize(text)
    received = principal = payment = None
    fees = 0.0
    for start, _end, value in find_amounts(cleaned):
        before = cleaned[max(0, start - 6):start]
        if before.endswith(_PAYMENT_WORDS) and payment is None:
            payment = value
        elif any(word in before for word in _RECEIVED_WORDS) and received is None:
            received = value
        elif before.endswith(_FEE_ENDINGS):
            fees += value
        elif any(word in before for word in _PRINCIPAL_WORDS) and principal is None:
            principal = value
    months = None
    for match in _TERM.finditer(cleaned):
        if cleaned[match.end():match.end() + 1] in _TERM_FOLLOWERS:
            count = (parse_numeral(match.group("n")) or 0) * _UNIT_MONTHS[match.group("unit")]
            months = count if 0 < count <= MAX_MONTHS else months
    return LoanFigures(received=received, principal=principal, fees=fees, payment=payment, months=months)


def read_loan(text: Optional[str]) -> Optional[LoanTerms]:
    """The loan a message describes, or None when it lacks the money received (or lent), the
    instalment or the number of instalments."""
    return read_figures(text).terms()

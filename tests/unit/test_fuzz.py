"""Property-based fuzzing (hypothesis) of what reads untrusted input: the channel checks, the
WeChat XML parser, the readers of durations, dates, clock times, progress and lender names, the
masking of personal numbers, and the form validation actions. None may raise on any input (but
the refusals they define), and masking must leave nothing maskable. The amount readers have
their own properties in tests/unit/test_money.py; the end-to-end fuzz run over HTTP is
tests/e2e/test_fuzz.py."""

import asyncio
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import ValidateComplaintForm, ValidateHarassmentForm, ValidateNegotiationForm
from borrower.progress import day_said, read_edit, read_progress
from borrower.text import (
    clock_hours, find_id_card, find_lender_names, find_mobile, find_overdue_durations, mask_pii, normalize,
    parse_duration_days,
)
from connectors.inbound import Limits, Refused, check_sender, clean_message
from connectors.wechat_protocol import Rejected, parse_xml
from tests.conftest import make_tracker

# Text as borrowers and attackers write it: Chinese, digits in every width, units, separators,
# signs and exponents, surrogates and control characters, mixed with arbitrary unicode.
_PIECES = st.sampled_from([
    "借了", "欠", "万", "千", "块", "元", "w", "k", "天前", "年前", "个月", "凌晨", "点", "逾期", "两", "十", "百",
    "亿", "号", "+86", "-", " ", "－", "０", "１", "３", "８", "e", "E", "9", "1", "3", "8", "5", "0", "\ud800",
    "\x00", "\u200b", "年", "月", "日", "昨天", "上个月", "12378", "TS-2611-", "%", "．", ".", "，", "被", "平台",
])
TEXT = st.one_of(st.text(max_size=80), st.lists(_PIECES, max_size=30).map("".join),
                 st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=20).map("".join))
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TODAY = date(2026, 12, 5)


@FUZZ
@given(st.one_of(TEXT, st.none(), st.integers(), st.lists(st.text(max_size=3)), st.binary(max_size=10)))
def test_channel_checks_refuse_or_return_storable_text(value):
    for check in (lambda v: check_sender(v, Limits()), clean_message):
        try:
            result = check(value)
        except Refused:
            continue
        assert isinstance(result, str)
        result.encode("utf-8")  # no lone surrogate left: every store can write it


@FUZZ
@given(st.one_of(st.binary(max_size=200), TEXT.map(lambda t: f"<xml><Content>{t}</Content></xml>".encode("utf-8",
                                                                                                      "surrogatepass"))))
def test_wechat_xml_parses_or_is_rejected(body):
    try:
        fields = parse_xml(body)
    except Rejected:
        return
    assert isinstance(fields, dict)


@FUZZ
@given(TEXT)
def test_text_readers_never_raise_and_stay_in_range(text):
    days = parse_duration_days(text)
    assert days is None or 0 <= days <= 100 * 365
    for _start, _end, value in find_overdue_durations(text):
        assert value is None or 0 <= value <= 100 * 365
    assert all(0 <= hour <= 24 for hour in clock_hours(text))
    said = day_said(text, TODAY)
    assert date(1900, 1, 1) <= said <= TODAY
    read_progress(text, TODAY)
    read_edit(text, [])
    for start, end, name in find_lender_names(text):
        assert 0 <= start < end <= len(normalize(text)) + 1 and name


@FUZZ
@given(TEXT, st.sampled_from(["", " ", "-", "－", "+86", "+86 ", "86", "0086", "0"]), st.sampled_from(["", " ", "-"]),
       st.booleans())
def test_masking_leaves_no_phone_or_id_in_any_notation(text, prefix, separator, full_width):
    """Random text around the numbers (a digit glued to one makes another number, so a word
    stands between them)."""
    phone = f"{prefix}138{separator}1234{separator}5678"
    id_number = f"110101{separator}19900307{separator}1234"
    if full_width:
        phone = phone.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    masked = mask_pii(f"{text}电话{phone}，身份证{id_number}。{text}")
    assert mask_pii(masked) == masked  # nothing maskable left
    assert find_mobile(masked) is None and find_id_card(masked) is None
    for digits in ("13812345678", "110101199003071234"):
        assert digits not in "".join(ch for ch in normalize(masked) if ch.isdigit() or ch == "*")


_ALSO_SET = {"harassment_detail": ("harassment_types",)}  # the behaviours read from the description
_VALIDATORS = [
    (ValidateComplaintForm(), ("platform", "loan_type", "complaint_problem", "amount")),
    (ValidateHarassmentForm(), ("harassment_detail", "platform")),
    (ValidateNegotiationForm(), ("loan_type", "debt_amount", "monthly_income", "essential_spending",
                                 "affordable_amount")),
]


@FUZZ
@given(TEXT)
def test_form_validation_returns_only_its_slot_for_any_answer(text):
    domain = {"responses": {}}
    for form, slots in _VALIDATORS:
        for slot in slots:
            tracker = make_tracker({"requested_slot": slot}, text=text, active_loop=form.name().replace("validate_", ""))
            result = getattr(form, f"validate_{slot}")(text, CollectingDispatcher(), tracker, domain)
            assert isinstance(result, dict) and set(result) <= {slot, *_ALSO_SET.get(slot, ())}, (slot, result)
            value = result.get(slot)
            assert value is None or isinstance(value, (str, float, int))


_NUMBERS = st.sampled_from(["13812345678", "+86 138-1234-5678", "0000000000000000", "110101199003071234",
                            "6222 0202 0011 2233 445", "１３８１２３４５６７８"])


@FUZZ
@given(TEXT, _NUMBERS, TEXT)
def test_a_form_keeps_no_personal_number_unmasked(before, number, after):
    """Whatever question is open, what the form keeps from the answer (a description with a phone
    in it, a bare card number) has its personal numbers masked."""
    text = f"{before}号码{number}。{after}/inform{{\"x\": 1}}"
    domain = _real_domain()
    for form, slots in _VALIDATORS:
        for slot in slots:
            tracker = make_tracker({"requested_slot": slot}, text=text, active_loop=form.name().replace("validate_", ""),
                                   events=[_user(text), {"event": "slot", "name": slot, "value": text}])
            events = asyncio.run(form.run(CollectingDispatcher(), tracker, domain))
            for event in events:
                value = event.get("value")
                if event.get("event") == "slot" and isinstance(value, str):
                    assert mask_pii(value) == value, (slot, value)
                    assert "{" not in value and "}" not in value, (slot, value)


def _user(text):
    return {"event": "user", "timestamp": None, "text": text, "input_channel": "rest",
            "parse_data": {"intent": {"name": "inform", "confidence": 1.0}, "entities": []}}


@lru_cache(maxsize=1)
def _real_domain():
    return yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))

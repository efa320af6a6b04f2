import pytest

from borrower.text import find_id_card, find_mobile, mask_pii, normalize, says_nothing, says_unknown


def test_normalize_converts_traditional_and_width_and_keeps_length():
    text = "我要投訴這個網貸平台！ＡＢＣ"
    assert normalize(text) == "我要投诉这个网贷平台!ABC"
    assert len(normalize(text)) == len(text)


def test_normalize_removes_control_characters_and_bounds_length():
    assert normalize("a\x00b\u200bc") == "a b c"
    assert len(normalize("很" * 10000)) == 2000
    assert normalize(None) == ""


def test_unknown_and_nothing_answers():
    assert says_unknown("我也不清楚")
    assert says_unknown("記不清楚了")
    assert says_unknown("记不清了") and says_unknown("早就忘记了")  # were missing from the Python list
    assert not says_unknown("五万")
    assert says_nothing("现在没有收入")
    assert not says_nothing("三千")


def test_mask_pii_masks_id_phone_and_card_numbers():
    masked = mask_pii("电话13812345678，身份证11010119900307123X，卡号6222021234567890123")
    assert "13812345678" not in masked and "138****5678" in masked
    assert "11010119900307123X" not in masked and masked.count("*") >= 4 + 11 + 11
    assert "6222021234567890123" not in masked and "6222" in masked
    assert mask_pii("欠了52000元") == "欠了52000元"


@pytest.mark.parametrize(
    "text, hours",
    [("晚上11点", [23]), ("凌晨两点", [2]), ("半夜3点", [3]), ("23:30", [23]), ("下午三点", [15]),
     ("晚上十二点", [0]), ("中午12点", [12]), ("没有时间", [])],
)
def test_clock_hours(text, hours):
    from borrower.text import clock_hours

    assert clock_hours(text) == hours


@pytest.mark.parametrize(
    "text, days",
    [("三个月", 90), ("半年", 182), ("10天", 10), ("两年多", 730), ("一年半", 547), ("两周", 14),
     ("逾期45天了", 45), ("没逾期", None), ("两个多月", 60), ("两个月半", 75),
     ("一个半月", 45), ("兩個半月", 75)],
)
def test_parse_duration_days(text, days):
    from borrower.text import parse_duration_days

    assert parse_duration_days(text) == days


@pytest.mark.parametrize(
    "text, durations",
    [
        ("逾期两个多月，欠一万二", [("两个多月", 60)]),
        ("已經逾期一個多月", [("一個多月", 30)]),
        ("我房贷断供两个月了", [("两个月", 60)]),
        ("逾期一年半了，欠兩萬八", [("一年半", 547)]),
        ("快半年了", [("半年", 182)]),
        ("好几个月了", [("好几个月", None)]),
        ("10天", [("10天", 10)]),
        ("信用卡逾期三个月了，想分60期慢慢还", [("三个月", 90)]),
        # not how long the debt is overdue
        ("催收都找到我公司了，能不能给我延期两个月", []),
        ("催收一天最多能打几个电话", []),
        ("投诉过去一个月了还没回复", []),
        ("借一万一年利息三千", []),
        ("逾期罚息一天千分之五", []),
        ("7天内还清", []),
        ("我登记过两个案子", []),
        ("失业快半年了 实在还不上", []),  # how long unemployed
        ("住院两个月了，逾期一个月", [("一个月", 30)]),
    ],
)
def test_find_overdue_durations(text, durations):
    from borrower.text import find_overdue_durations

    assert [(text[a:b], days) for a, b, days in find_overdue_durations(text)] == durations


@pytest.mark.parametrize(
    "text, times",
    [
        ("凌晨一点多还在打", [("凌晨一点多", 1)]),
        ("晚上11点半了", [("晚上11点半", 23)]),
        ("昨晚十一点多", [("昨晚十一点多", 23)]),
        ("23:30还打", [("23:30", 23)]),
        ("一点以后", [("一点", 1)]),
        ("便宜一点", []),
        ("比例3:1", []),
    ],
)
def test_find_clock_times(text, times):
    from borrower.text import find_clock_times

    assert [(text[a:b], hour) for a, b, hour in find_clock_times(text)] == times


@pytest.mark.parametrize(
    "text, mobile, id_card",
    [
        ("电话１３８１２３４５６７８，身份证110105199003071234", "13812345678", "110105199003071234"),
        ("13900001111打不通了，打13812345678", "13812345678", None),  # the last one in the message
        ("身份证11010519900307123x", None, "11010519900307123X"),
        ("卡号6222021234567890123", None, None),
        ("138****5678", None, None),  # already masked
    ],
)
def test_find_contact_numbers(text, mobile, id_card):
    assert (find_mobile(text), find_id_card(text)) == (mobile, id_card)


def test_durations_beyond_a_lifetime_are_none():
    from borrower.text import MAX_DURATION_DAYS, parse_duration_days

    assert parse_duration_days("两年多") == 730
    assert parse_duration_days("3000年") is None
    assert parse_duration_days("99999999999999999999天") is None
    assert parse_duration_days(f"{MAX_DURATION_DAYS}天") == MAX_DURATION_DAYS


@pytest.mark.parametrize("written, masked", [
    ("电话+8613812345678", "电话+86138****5678"),
    ("0086-138-1234-5678", "0086-138****5678"),
    ("电话 138 1234 5678 谢谢", "电话 138****5678 谢谢"),
    ("138-1234-5678", "138****5678"),
    ("手机１３８１２３４５６７８", "手机138****5678"),
    ("身份证 110101 19900307 123X", "身份证 110101***********X"),
    ("身份证１１０１０１１９９００３０７１２３４", "身份证110101***********4"),
    ("卡号6222 0212 3456 7890 128", "卡号6222***********0128"),
    ("4111-1111-1111-1111 金额3000", "4111********1111 金额3000"),
    ("6222021234567890123", "6222***********0123"),
])
def test_every_notation_of_a_number_is_masked(written, masked):
    """+86, spaces, hyphens, full-width digits and grouped cards were stored in full."""
    assert mask_pii(written) == masked
    assert mask_pii(masked) == masked  # masking twice changes nothing


@pytest.mark.parametrize("text", [
    "借了3000元，还了5000", "订单号2024010112345", "逾期 30 天 利息 24 %", "3000 5000",
    "借了3000 5000 8000 2000", "2023-11-15 2023-12-15", "138-1234 5678", "卡号6222 0212 3456 7890 123",
])
def test_amounts_and_other_numbers_are_not_masked(text):
    """Runs of amounts, dates, mixed separators and grouped digits that fail the Luhn check."""
    assert mask_pii(text) == text


def test_says_unknown_reads_the_inform_answers_of_replies_yml():
    """One list: every whole-message "don't know" answer of lexicon/replies.yml is an unknown
    answer in a form too."""
    from borrower.lexicon import lexicon
    from borrower.text import reply_words

    words = reply_words("inform")
    assert "记不清了" in words and "忘记了" in words
    assert all(says_unknown(word) for word in words)
    assert all(lexicon().short_reply(word) == "inform" for word in words)


def test_personal_number_spans_are_where_mask_pii_masks():
    from borrower.text import personal_number_spans

    text = "电话 186 2291 0374，卡号6222021234567890123，借了3000 5000 8000 2000"
    assert [text[a:b] for a, b in personal_number_spans(text)] == ["186 2291 0374", "6222021234567890123"]
    assert personal_number_spans(None) == []

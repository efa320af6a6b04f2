import pytest

from borrower.text import find_id_card, find_mobile, mask_pii, normalize, parse_amount, says_nothing, says_unknown


@pytest.mark.parametrize(
    "text, yuan",
    [
        ("五万二", 52000),
        ("3.5万", 35000),
        ("8w", 80000),
        ("8W左右", 80000),
        ("2,523元", 2523),
        ("5万2", 52000),
        ("一共欠了十二万", 120000),
        ("大概八千块", 8000),
        ("每个月一千五", 1500),
        ("一个月两千", 2000),  # the lone "一" is not the amount
        ("１２３４５", 12345),  # full-width digits
        ("借了十萬", 100000),  # Traditional
        ("0", 0),
    ],
)
def test_parse_amount_reads_yuan(text, yuan):
    assert parse_amount(text) == yuan


@pytest.mark.parametrize("text", ["", None, "没有", "不清楚", "😭😭", "abc"])
def test_parse_amount_without_amount_is_none(text):
    assert parse_amount(text) is None


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
    "text, amounts",
    [
        ("借12万先扣了1.5万的咨询费", [("12万", 120000), ("1.5万", 15000)]),
        ("还剩8万3", [("8万3", 83000)]),
        ("每个月还580，还12期", [("580", 580)]),
        ("24%还是LPR的4倍", []),
        ("逾期罚息一天千分之五", []),
        ("借3000块七天后还4500", [("3000块", 3000), ("4500", 4500)]),
        ("欠兩萬八", [("兩萬八", 28000)]),
        ("电话13812345678", []),
        ("TS-2603-8RXKD有结果了吗", []),
        # digits of an e-mail address or a masked number
        ("我邮箱 zhanghui88@163.com", []),
        ("信里的电话显示成138****5678了", []),
        ("邮箱163@qq.com，欠了两万", [("两万", 20000)]),
        ("打12315有用吗，还是找12378", []),
        ("一天一百多个电话", []),
        ("信用卡欠了十幾萬", [("十幾萬", 100000)]),
        ("欠了二十多万", [("二十多万", 200000)]),
        ("20多万", [("20多万", 200000)]),
        ("最多一千五一个月", [("一千五", 1500)]),
        ("借一万一年利息三千", [("一万", 10000), ("三千", 3000)]),
        ("一万一", [("一万一", 11000)]),
        ("借了1万分12期", [("1万", 10000)]),
        ("TS-2611-7K3QX", []),
        ("三百六十五天", []),
        ("886", []),
        ("多少钱", []),
        ("到手只有四千三 什么垃圾平台", [("四千三", 4300)]),  # no trailing space in the span
        ("借了 8000 块", [("8000 块", 8000)]),
        ("尾號5678", []),  # the digits that verify a case, not money
        ("手机号后四位是 2468", []),
        ("后四位是2468，欠了3000", [("3000", 3000)]),
    ],
)
def test_find_amounts(text, amounts):
    from borrower.text import find_amounts

    assert [(text[a:b], value) for a, b, value in find_amounts(text)] == amounts


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


@pytest.mark.parametrize("text", ["-5万", "欠款：-5万", "1e309", "2E5"])
def test_a_negative_or_exponent_number_is_no_amount(text):
    """「-5万」 was recorded as 50,000 and 「1e309」 as 1 元."""
    from borrower.text import find_amounts

    assert parse_amount(text) is None and find_amounts(text) == []


def test_the_dash_of_a_range_is_no_minus_sign():
    from borrower.text import find_amounts

    assert [value for _, _, value in find_amounts("大概3-5万")] == [50000.0]
    assert [value for _, _, value in find_amounts("3万-5万")] == [50000.0]  # as before; ranges: issue 23
    assert [value for _, _, value in find_amounts("两万-三万")] == [30000.0]
    assert parse_amount("5万-3万") == 50000.0

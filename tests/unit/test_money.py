"""Money amounts as borrowers write them (borrower/money.py, words in lexicon/money.yml)."""

import cn2an
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from borrower.money import (
    MAX_AMOUNT_YUAN, Amount, MoneyWords, find_amounts, money_words, parse_amount, read_amount, read_amounts,
    total_or_parts,
)


def _read(text):
    """(span as written, value, approximate, at_least, per_period, total) of each amount."""
    return [(text[a.start:a.end], a.value, a.approximate, a.at_least, a.per_period, a.total)
            for a in read_amounts(text)]


# --- one figure -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, yuan",
    [
        # the readings the brief asks for
        ("借了8千", 8000),  # was 8
        ("9千块", 9000),  # was 9
        ("3万5", 35000),
        ("6万7左右", 67000),
        ("20多万", 200000),
        ("十几万", 100000),
        ("1.2k", 1200),
        ("5w", 50000),
        ("五万二", 52000),
        ("一万出头", 10000),
        ("两千五", 2500),
        ("1万2", 12000),
        ("3.5万", 35000),
        ("2,523元", 2523),
        ("每月还1600", 1600),
        # and as before
        ("8w", 80000),
        ("8W左右", 80000),
        ("5万2", 52000),
        ("一共欠了十二万", 120000),
        ("大概八千块", 8000),
        ("每个月一千五", 1500),
        ("一个月两千", 2000),  # the lone "一" is not the amount
        ("１２３４５", 12345),  # full-width digits
        ("借了十萬", 100000),  # Traditional
        ("0", 0),
        # phrasings of our own
        ("3千5", 3500),  # was 3
        ("3k5", 3500),
        ("1w2", 12000),
        ("3万五", 35000),
        ("1万5千", 15000),  # was two amounts: 10000 and 5
        ("10万零5千", 105000),
        ("0.5万", 5000),
        ("十来万", 100000),  # was 10
        ("七千多块钱", 7000),
        ("一千五一个月", 1500),  # was None
        ("到手7k，合同写1w", 7000),
        ("1,250元", 1250),
        ("信用卡欠了差不多二十来万吧", 200000),
        ("5千元", 5000),
        ("12,000块", 12000),
        ("网贷欠了2万一直没敢跟家里说", 20000),  # was 21,000: the 一 of 一直
        ("两万一直催我", 20000),
        ("两万一左右", 21000),
        ("我借了3万五千", 35000),  # was 30,000
        ("还差1万500没还上", 10500),  # was 10,000
        ("公司欠了3千万", 30000000),  # was 3,000
        ("1百万", 1000000),  # was 100
    ],
)
def test_parse_amount_reads_yuan(text, yuan):
    assert parse_amount(text) == yuan


@pytest.mark.parametrize("text", ["", None, "没有", "不清楚", "😭😭", "abc", "几千块", "好几万", "上万", "多少钱"])
def test_parse_amount_without_amount_is_none(text):
    assert parse_amount(text) is None


# --- every amount of a message --------------------------------------------------------------------


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
        ("报警打110", []),
        ("一天一百多个电话", []),
        ("信用卡欠了十幾萬", [("十幾萬", 100000)]),
        ("欠了二十多万", [("二十多万", 200000)]),
        ("20多万", [("20多万", 200000)]),
        ("最多一千五一个月", [("一千五", 1500)]),
        ("借一万一年利息三千", [("一万", 10000), ("三千", 3000)]),
        ("一万一", [("一万一", 11000)]),
        ("借了1万分12期", [("1万", 10000)]),
        ("TS-2611-7K3QX", []),
        ("TS-2603-7K3QX", []),
        ("三百六十五天", []),
        ("886", []),
        ("88", []),
        ("多少钱", []),
        ("到手只有四千三 什么垃圾平台", [("四千三", 4300)]),  # no trailing space in the span
        ("借了 8000 块", [("8000 块", 8000)]),
        ("尾號5678", []),  # the digits that verify a case, not money
        ("手机号后四位是 2468", []),
        ("后四位是2468，欠了3000", [("3000", 3000)]),
        # new
        ("借了8千", [("8千", 8000)]),
        ("9千块", [("9千块", 9000)]),
        ("2,523元", [("2,523元", 2523)]),  # was 523
        ("1万5千", [("1万5千", 15000)]),
        ("分36期，LPR的4倍，年化24%，逾期3个月", []),
        ("第2笔3000", [("3000", 3000)]),
        ("138-1234-5678", []),  # a phone number written with hyphens
        ("2023-11-15还了5000", [("5000", 5000)]),
        ("100km", []),
        ("体重5kg", []),
        ("房贷一百万三十年，每个月还多少", [("一百万", 1000000)]),  # was 一百万三 = 1,003,000
        ("欠了二十多万一辈子都还不上", [("二十多万", 200000)]),
        ("借3万一年下来要还41000", [("3万", 30000), ("41000", 41000)]),
        ("借8k一个月后要还9k", [("8k", 8000), ("9k", 9000)]),
        ("我想把剩下的1.8w分成24期还", [("1.8w", 18000)]),
        ("能不能把五万二分成36期", [("五万二", 52000)]),
        ("扣了我680块年费", [("680块", 680)]),
        ("也给我扣了300年费", [("300", 300)]),
        ("在某某app一共借了3万", [("3万", 30000)]),
        # phone numbers in groups, addresses, digits that verify a case
        ("我电话 186 2291 0374，投诉信里写全了", []),
        ("手机号：177-0451-2286 请写进信里", []),
        ("住址四川成都武侯区洗面桥街17号2栋3单元602", []),
        ("金榜花园B座1103，邮编528300", []),
        ("138****5678中间四位是1234 帮我补上", []),
        ("身份证 110101 19900307 123X，欠了两万", [("两万", 20000)]),
    ],
)
def test_find_amounts(text, amounts):
    assert [(text[a:b], value) for a, b, value in find_amounts(text)] == amounts


@pytest.mark.parametrize("text", ["-5万", "欠款：-5万", "1e309", "2E5", "1.5e3"])
def test_a_negative_or_exponent_number_is_no_amount(text):
    """「-5万」 was recorded as 50,000 and 「1e309」 as 1 元."""
    assert parse_amount(text) is None and find_amounts(text) == []


@pytest.mark.parametrize("text", [
    "99999999999999999999万", "9" * 400, "9" * 400 + "元", "1" * 30 + "万", "九" * 300 + "万", "一百万亿亿亿亿",
    "欠了" + "9" * 1999, "万" * 2000, "1万" * 1000,
])
def test_hostile_numbers_are_no_amount(text):
    """No OverflowError, no inf, no 1e24: beyond MAX_AMOUNT_YUAN a number is no amount."""
    assert parse_amount(text) is None
    assert find_amounts(text) == []


def test_a_large_but_real_number_is_read_and_left_to_the_caller():
    assert parse_amount("99999999999") == 99999999999  # the form refuses it (actions/forms.py)
    assert find_amounts("99999999999") == []  # a bare digit string that long is no amount in a message
    assert parse_amount("1亿") == 1e8


# --- approximate figures --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, at_least",
    [
        ("20多万", 200000, True),
        ("十几万", 100000, True),
        ("一万出头", 10000, True),
        ("6万7左右", 67000, False),
        ("三万上下", 30000, False),
        ("大概八千块", 8000, False),
        ("差不多三万", 30000, False),
        ("两千来块", 2000, False),
        ("八千多", 8000, True),
        ("三万多点", 30000, True),
        ("至少五万", 50000, True),
        ("一万余元", 10000, True),
    ],
)
def test_approximate_figures_are_marked(text, value, at_least):
    [amount] = read_amounts(text)
    assert (amount.value, amount.approximate, amount.at_least) == (value, True, at_least)
    assert not amount.is_range


@pytest.mark.parametrize("text", ["借了8千", "五万二", "2,523元", "3.5万", "每月还1600"])
def test_exact_figures_are_not_marked_approximate(text):
    [amount] = read_amounts(text)
    assert not amount.approximate and not amount.at_least


# --- ranges ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("3到5万", 30000, 50000),
        ("3-5万", 30000, 50000),
        ("3万到5万", 30000, 50000),
        ("三五万", 30000, 50000),
        ("3~5万", 30000, 50000),
        ("3至5万", 30000, 50000),
        ("三到五万", 30000, 50000),
        ("两万-三万", 20000, 30000),
        ("两三千", 2000, 3000),
        ("七八千", 7000, 8000),
        ("一两万", 10000, 20000),
        ("十三四万", 130000, 140000),
        ("三四十万", 300000, 400000),
        ("1.5-2万", 15000, 20000),
        ("3000-5000", 3000, 5000),
        ("200到300块", 200, 300),
        ("5万-3万", 30000, 50000),  # reversed: still the upper bound, as before
    ],
)
def test_a_range_keeps_both_bounds_and_gives_the_upper_as_its_figure(text, low, high):
    [amount] = read_amounts("大概欠了" + text)
    assert (amount.low, amount.high, amount.value) == (low, high, high)
    assert amount.is_range and not amount.at_least
    assert parse_amount(text) == high
    assert find_amounts(text) == [(0, len(text), high)]


def test_the_dash_of_a_range_is_no_minus_sign():
    assert [value for _, _, value in find_amounts("大概3-5万")] == [50000.0]
    assert [value for _, _, value in find_amounts("3万-5万")] == [50000.0]
    assert [value for _, _, value in find_amounts("两万-三万")] == [30000.0]
    assert parse_amount("5万-3万") == 50000.0


@pytest.mark.parametrize("text", ["3-5个月", "2023-2024年", "分3到6期", "逾期3-5天"])
def test_a_range_of_counts_is_no_amount(text):
    assert find_amounts(text) == []


# --- totals and parts -----------------------------------------------------------------------------


def test_the_stated_total_wins_over_the_parts():
    text = "招行3万5 广发2万 浦发1万2 加起来6万7左右"
    assert _read(text) == [
        ("3万5", 35000, False, False, False, False),
        ("2万", 20000, False, False, False, False),
        ("1万2", 12000, False, False, False, False),
        ("6万7", 67000, True, False, False, True),
    ]
    [total] = total_or_parts(text)
    assert (total.value, total.total, total.approximate) == (67000, True, True)
    assert parse_amount(text) == 67000  # was 35000, the first part


@pytest.mark.parametrize(
    "text, total",
    [
        ("一共欠了十二万", 120000),
        ("网贷加信用卡总共三十多万", 300000),
        ("借呗2万，花呗8000，合计：2万8", 28000),
        ("一共在三个平台借了5万", 50000),
        ("三家平台加一起大概有10w", 100000),
    ],
)
def test_a_total_after_its_marker(text, total):
    [amount] = total_or_parts(text)
    assert amount.total and amount.value == total
    assert parse_amount(text) == total


def test_without_a_stated_total_the_parts_come_back_and_no_sum_is_made():
    parts = total_or_parts("招行3万5 广发2万 浦发1万2")
    assert [part.value for part in parts] == [35000, 20000, 12000]
    assert not any(part.total for part in parts)
    assert parse_amount("招行3万5 广发2万 浦发1万2") == 35000  # the first, not 67000
    assert total_or_parts("没借钱") == []


def test_a_total_marker_before_a_list_is_not_the_first_part():
    assert not any(amount.total for amount in read_amounts("一共三笔：招行3万5，广发2万"))


# --- per period -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("每月还1600", 1600),
        ("每个月要还1600", 1600),
        ("月供2300，还剩18期", 2300),
        ("一千五一个月", 1500),
        ("1600/月", 1600),
        ("每期还款1,250元", 1250),
        ("每个月工资5000", 5000),
        ("一个月要还两千", 2000),
    ],
)
def test_per_period_figures_are_marked(text, value):
    [amount] = read_amounts(text)
    assert amount.per_period and amount.value == value


@pytest.mark.parametrize("text", ["借了3万", "逾期一个月欠了3000", "借一万一年利息三千", "一共欠了5万"])
def test_other_figures_are_not_per_period(text):
    assert not any(amount.per_period for amount in read_amounts(text))


def test_a_loan_description_reads_each_figure_with_its_flags():
    assert _read("合同写一万，到手8千，每个月还950，还12个月") == [
        ("一万", 10000, False, False, False, False),
        ("8千", 8000, False, False, False, False),
        ("950", 950, False, False, True, False),
    ]


# --- the word lists -------------------------------------------------------------------------------


def test_the_word_lists_come_from_lexicon_money_yml():
    words = money_words()
    assert words.units["万"] == 10000 and words.units["k"] == 1000
    assert "加起来" in words.totals and "每月" in words.per_period_before and "左右" in words.approximate_after
    assert "88" in words.goodbye  # one list: replies.yml
    empty = [name for name, value in vars(words).items() if not value]
    assert empty == []


def test_an_edited_word_list_changes_the_reading(monkeypatch):
    import yaml

    import borrower.money as money
    from borrower.paths import LEXICON_DIR

    spec = yaml.safe_load((LEXICON_DIR / "money.yml").read_text(encoding="utf-8"))
    spec["totals"] = [*spec["totals"], "统共"]
    monkeypatch.setattr(money, "money_words", lambda: MoneyWords.from_yaml(spec, ("88",)))
    money._patterns.cache_clear()
    try:
        assert read_amounts("借呗2万，统共5万")[-1].total
    finally:
        money._patterns.cache_clear()
    monkeypatch.undo()
    assert not read_amounts("借呗2万，统共5万")[-1].total


def test_read_amount_is_the_figure_parse_amount_gives():
    amount = read_amount("大概3到5万吧")
    assert isinstance(amount, Amount) and amount.is_range and amount.value == parse_amount("大概3到5万吧") == 50000
    assert read_amount("36期").value == 36  # lenient: a form answer that is only a number
    assert read_amount(None) is None


# --- properties -----------------------------------------------------------------------------------

_CN_DIGIT = "零一二三四五六七八九"


def _cn(number: int) -> str:
    return cn2an.an2cn(str(number))


@st.composite
def _written_amounts(draw):
    """(how it is written, the value in yuan, written as approximate, as a lower bound)."""
    form = draw(st.sampled_from([
        "digits", "digits_currency", "grouped", "wan", "wan_decimal", "wan_tail", "qian", "qian_tail",
        "k", "w", "chinese", "chinese_wan_tail", "chinese_qian_tail", "duo_wan", "approx_after", "approx_before",
        "wan_digits_below", "wan_chinese_qian", "compound_unit",
    ]))
    currency = draw(st.sampled_from(["", "元", "块", "块钱"]))
    if form == "digits":
        value = draw(st.integers(100, 9_999_999))
        assume(not (110 <= value <= 129 or 12000 <= value <= 12999 or 96100 <= value <= 96199))  # service numbers
        assume(str(value) not in money_words().goodbye)  # 886 alone is goodbye
        return str(value), value, False, False
    if form == "digits_currency":
        value = draw(st.integers(1, 10 ** 9))
        return f"{value}{currency or '元'}", value, False, False
    if form == "grouped":
        value = draw(st.integers(1000, 10 ** 9))
        return f"{value:,}{currency}", value, False, False
    if form == "wan":
        count = draw(st.integers(1, 9999))
        return f"{count}{draw(st.sampled_from(['万', 'w', 'W']))}{currency}", count * 10000, False, False
    if form == "wan_decimal":
        count, tenth = draw(st.integers(0, 999)), draw(st.integers(1, 9))
        return f"{count}.{tenth}万{currency}", count * 10000 + tenth * 1000, False, False
    if form == "wan_tail":  # 3万5: a single digit counts in thousands
        count, tail = draw(st.integers(1, 999)), draw(st.integers(1, 9))
        unit = draw(st.sampled_from(["万", "w"]))
        return f"{count}{unit}{tail}", count * 10000 + tail * 1000, False, False
    if form == "wan_digits_below":  # 1万500, 3万3000: the digits below the unit written out
        count, below = draw(st.integers(1, 99)), draw(st.integers(100, 9999))
        return f"{count}万{below}", count * 10000 + below, False, False
    if form == "wan_chinese_qian":  # 3万五千, 2万两千
        count, tail = draw(st.integers(1, 99)), draw(st.integers(1, 9))
        head = draw(st.sampled_from(["两", "二"])) if tail == 2 else _CN_DIGIT[tail]
        return f"{count}万{head}千", count * 10000 + tail * 1000, False, False
    if form == "compound_unit":  # 3千万, 1百万
        count, unit = draw(st.integers(1, 9)), draw(st.sampled_from([("千万", 10 ** 7), ("百万", 10 ** 6)]))
        return f"{count}{unit[0]}", count * unit[1], False, False
    if form == "qian":
        count = draw(st.integers(1, 9))
        return f"{count}{draw(st.sampled_from(['千', 'k', 'K']))}{currency}", count * 1000, False, False
    if form == "qian_tail":  # 3千5
        count, tail = draw(st.integers(1, 9)), draw(st.integers(1, 9))
        return f"{count}{draw(st.sampled_from(['千', 'k']))}{tail}", count * 1000 + tail * 100, False, False
    if form == "k":
        count, tenth = draw(st.integers(1, 99)), draw(st.integers(1, 9))
        return f"{count}.{tenth}k", count * 1000 + tenth * 100, False, False
    if form == "w":
        count, tenth = draw(st.integers(1, 99)), draw(st.integers(1, 9))
        return f"{count}.{tenth}w", count * 10000 + tenth * 1000, False, False
    if form == "chinese":
        value = draw(st.integers(100, 10 ** 8))
        return _cn(value) + currency, value, False, False
    if form == "chinese_wan_tail":  # 五万二, 十二万五
        count, tail = draw(st.integers(1, 99)), draw(st.integers(1, 9))
        return f"{_cn(count)}万{_CN_DIGIT[tail]}", count * 10000 + tail * 1000, False, False
    if form == "chinese_qian_tail":  # 两千五
        count, tail = draw(st.integers(1, 9)), draw(st.integers(1, 9))
        head = draw(st.sampled_from(["两", "二"])) if count == 2 else _CN_DIGIT[count]
        return f"{head}千{_CN_DIGIT[tail]}", count * 1000 + tail * 100, False, False
    if form == "duo_wan":  # 20多万, 十几万
        tens = draw(st.integers(1, 9)) * 10
        written = draw(st.sampled_from([f"{tens}多万", f"{_cn(tens)}多万", f"{_cn(tens)}几万"]))
        return written + currency, tens * 10000, True, True
    inner, value, _, _ = draw(_written_amounts().filter(lambda drawn: not drawn[2]))
    if form == "approx_after":
        marker = draw(st.sampled_from(["左右", "上下", "出头"]))
        return inner + marker, value, True, marker == "出头"
    marker = draw(st.sampled_from(["大概", "大约", "差不多", "将近"]))
    return marker + inner, value, True, False


# Words after the amount that begin with 一 (一直, 一般, 一次性): no digit of the amount.
_SENTENCES = ["{x}", "我借了{x}", "欠{x}", "网贷欠了{x}，实在还不上了", "本金{x}。", "当时借的是{x}吧",
              "欠了{x}一直没还", "借{x}一般要还多久", "{x}一次性还清行吗"]


@settings(max_examples=300, deadline=None)
@given(written=_written_amounts(), sentence=st.sampled_from(_SENTENCES))
@example(written=("8千", 8000, False, False), sentence="我借了{x}")
@example(written=("9千块", 9000, False, False), sentence="{x}")
@example(written=("20多万", 200000, True, True), sentence="欠{x}")
def test_an_amount_in_any_notation_reads_back(written, sentence):
    text, value, approximate, at_least = written
    message = sentence.format(x=text)
    assert parse_amount(message) == value
    [amount] = read_amounts(message)
    assert amount.value == value and not amount.is_range
    assert message[amount.start:amount.end] in text  # the span is in the amount as written
    assert amount.approximate == approximate and amount.at_least == at_least
    assert find_amounts(message) == [amount.span]


@settings(max_examples=100, deadline=None)
@given(low=st.integers(1, 9), step=st.integers(1, 8), unit=st.sampled_from(["万", "千"]),
       connector=st.sampled_from(["到", "-", "至", "~"]), repeat=st.booleans())
def test_a_range_in_any_notation_reads_back(low, step, unit, connector, repeat):
    high = min(low + step, 9)
    assume(low < high)
    factor = 10000 if unit == "万" else 1000
    text = f"欠了{low}{unit if repeat else ''}{connector}{high}{unit}左右"
    [amount] = read_amounts(text)
    assert (amount.low, amount.high, amount.value) == (low * factor, high * factor, high * factor)
    assert amount.approximate and amount.is_range


_NUMBERISH = st.lists(st.sampled_from(
    list("0123456789.,-~+eE%/:@*_ 万千百亿kKwW元块钱多几来余点左右出头一二两三四五六七八九十零到至加起来一共每月期个天年号第尾打")
    + ["－", "１", "萬", "\n", "\x00", "\u200b", "😭", "TS-", "12378", "1e309", "9" * 40, "万" * 40]
), max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(max_size=80), _NUMBERISH, st.none()))
def test_no_text_makes_the_readers_raise_or_return_nonsense(text):
    value = parse_amount(text)
    assert value is None or 0 <= value <= MAX_AMOUNT_YUAN
    total_or_parts(text)
    length = len(text or "")
    for amount in read_amounts(text):
        assert 0 <= amount.start < amount.end <= length
        assert 0 <= amount.low <= amount.high == amount.value <= MAX_AMOUNT_YUAN
    for start, end, found in find_amounts(text):
        assert 0 <= start < end <= length and 0 <= found <= MAX_AMOUNT_YUAN
        # the NLU pipeline reads each span again (components/entities.py normalise_value)
        assert parse_amount(text[start:end]) == found

"""Text normalisation for Chinese chat input (script, width, noise), and what else is read from
it by pattern: contact numbers, clock times, durations, lender names. Money: borrower/money.py."""

import re
import unicodedata
from functools import lru_cache
from typing import List, Optional, Tuple

import cn2an
import yaml
from opencc import OpenCC

from borrower.paths import LEXICON_DIR

# Upper bound on what the pipeline looks at; longer input is cut, not rejected.
MAX_TEXT_CHARS = 2000

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Converts Traditional characters to Simplified (length-preserving for CJK text)."""
    converted = _t2s().convert(text)
    # Entity offsets in training data refer to the original text, so a conversion that
    # changes the length (rare phrase mappings) is not applied.
    return converted if len(converted) == len(text) else text


def clean(text: Optional[str]) -> str:
    """Simplified script, no control characters, bounded length; punctuation kept as typed.

    For text shown back to the user (letters, case summaries).
    """
    if not text:
        return ""
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf") and ch != "\n" else ch
        for ch in text[:MAX_TEXT_CHARS]
    )
    return to_simplified(text)


def normalize(text: Optional[str]) -> str:
    """clean() plus half-width ASCII: the form every matcher and the NLU pipeline see.

    Keeps the length of the text (up to MAX_TEXT_CHARS), so character offsets still match.
    """
    return clean(text).translate(_FULLWIDTH)


def has_content(text: Optional[str]) -> bool:
    """True when the text has at least one letter, digit or Chinese character (not only
    emoji, punctuation or spaces)."""
    return any(ch.isalnum() for ch in normalize(text))


@lru_cache(maxsize=None)
def reply_words(intent: str) -> Tuple[str, ...]:
    """The whole-message answers lexicon/replies.yml lists under `intent` ("inform": 不知道,
    记不清了 …; "goodbye": 88, 886 …). One list for the NLU pipeline (borrower/lexicon.py) and
    the readers here."""
    replies = yaml.safe_load((LEXICON_DIR / "replies.yml").read_text(encoding="utf-8"))
    return tuple(str(word) for word in replies.get(intent) or ())


def says_unknown(text: Optional[str]) -> bool:
    """True when the user says they do not know: the message holds one of the "inform" answers
    of lexicon/replies.yml (不知道 / 不清楚 / 忘了 / 记不清了 ...), as a whole or in a sentence."""
    return bool(text) and any(word in normalize(text) for word in reply_words("inform"))


# Stored for an answer the user does not know, in every slot that accepts one.
UNKNOWN = "不清楚"
_NOTHING_WORDS = ("没有收入", "没收入", "无收入", "没有工作", "失业", "一分钱都", "拿不出", "一分都", "没钱")


def says_nothing(text: Optional[str]) -> bool:
    """True for "没有收入" / "一分钱都拿不出" and similar: an amount of zero."""
    return bool(text) and any(word in normalize(text) for word in _NOTHING_WORDS)


# Mainland ID card (18 characters) and mobile number, as written without separators.
_ID_CARD = re.compile(r"(?<![0-9])([1-9][0-9]{5})(?:19|20)[0-9]{9}([0-9Xx])(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")


# The same numbers in the notations people write them in, for masking: written through, or in
# their usual groups with one separator (space or hyphen) throughout — a mobile 3-4-4 (after +86 /
# 0086 / 86 or not), an ID 6-8-4, a card 4-4-4-4 (and 1–3 more digits). Free runs of numbers
# ("3000 5000 8000 2000", two dates) are no card: a grouped card must also pass the Luhn check.
_ID_CARD_ANY = re.compile(
    r"(?<![0-9])(?P<head>[1-9][0-9]{5})(?P<s>[ \-]?)(?:19|20)[0-9]{6}(?P=s)[0-9]{3}(?P<tail>[0-9Xx])(?![0-9])")
_MOBILE_ANY = re.compile(
    r"(?<![0-9])(?P<prefix>(?:\+|00)?86[ \-]?|0)?(?P<head>1[3-9][0-9])(?P<s>[ \-]?)[0-9]{4}(?P=s)(?P<tail>[0-9]{4})(?![0-9])")
_BANK_CARD_ANY = re.compile(
    r"(?<![0-9])(?:[0-9]{16,19}|[0-9]{4}(?P<s>[ \-])[0-9]{4}(?P=s)[0-9]{4}(?P=s)[0-9]{4}(?:(?P=s)[0-9]{1,3})?)(?![0-9])")
_FULL_WIDTH_NUMBER = str.maketrans("０１２３４５６７８９＋－", "0123456789+-")


# The same numbers as mask_pii leaves them (a tracker read back from the store holds these).
_MASKED_MOBILE = re.compile(r"(?<![0-9*])1[3-9][0-9]\*{4}[0-9]{4}(?![0-9])")
_MASKED_ID_CARD = re.compile(r"(?<![0-9*])[1-9][0-9]{5}\*{11}[0-9X](?![0-9])")


def _last(patterns: Tuple["re.Pattern[str]", ...], text: Optional[str]) -> Optional[str]:
    found = [(m.start(), m.group(0).upper()) for pattern in patterns for m in pattern.finditer(normalize(text))]
    return max(found)[1] if found else None


def find_mobile(text: Optional[str], masked_too: bool = False) -> Optional[str]:
    """The last mainland mobile number in the text as written; with `masked_too`, a number
    already masked (138****5678) counts as well."""
    return _last((_MOBILE, _MASKED_MOBILE) if masked_too else (_MOBILE,), text)


def find_id_card(text: Optional[str], masked_too: bool = False) -> Optional[str]:
    """The last mainland ID-card number in the text (X upper-case); see find_mobile."""
    return _last((_ID_CARD, _MASKED_ID_CARD) if masked_too else (_ID_CARD,), text)


def mask_pii(text: Optional[str]) -> str:
    """Masks ID-card, mobile and bank-card numbers in every notation people write them in
    (+86 138 1234 5678, 138-1234-5678, full-width digits, cards in groups of four) to one form:
    138****5678, 110101***********X, 6222***********0123. Full-width digits become ASCII."""
    if not text:
        return ""
    text = text.translate(_FULL_WIDTH_NUMBER)
    # Until nothing changes: numbers glued together (a phone, then a card in groups) show their
    # boundaries only once the first is masked.
    for _ in range(4):
        masked = _ID_CARD_ANY.sub(lambda m: m.group("head") + "*" * 11 + m.group("tail"), text)
        masked = _MOBILE_ANY.sub(lambda m: (m.group("prefix") or "") + m.group("head") + "****" + m.group("tail"),
                                 masked)
        masked = _BANK_CARD_ANY.sub(_masked_card, masked)
        if masked == text:
            break
        text = masked
    return text


def _masked_card(match: "re.Match[str]") -> str:
    if not _is_card(match):
        return match.group(0)
    digits = "".join(ch for ch in match.group(0) if ch.isdigit())
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def _is_card(match: "re.Match[str]") -> bool:
    """Written through, or grouped and passing the Luhn check (「3000 5000 8000 2000」 is no card)."""
    return not match.group("s") or _luhn_valid("".join(ch for ch in match.group(0) if ch.isdigit()))


def personal_number_spans(text: Optional[str]) -> List[Tuple[int, int]]:
    """Where the mobile, ID-card and bank-card numbers are that mask_pii masks, in every notation
    (「186 2291 0374」, 「138-1234-5678」): digits no reader should take for an amount. Offsets
    refer to `text`."""
    cleaned = normalize(text)
    spans = [match.span() for pattern in (_ID_CARD_ANY, _MOBILE_ANY) for match in pattern.finditer(cleaned)]
    spans += [match.span() for match in _BANK_CARD_ANY.finditer(cleaned) if _is_card(match)]
    return sorted(spans)


def _luhn_valid(digits: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


_NUMERAL = r"[0-9]{1,2}|[零〇一二两三四五六七八九十]{1,3}"
_CLOCK = re.compile(
    rf"(?P<part>大半夜|凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|半夜|深夜|昨晚|今晚)?\s*"
    rf"(?P<hour>{_NUMERAL})\s*(?P<mark>点钟|点|:|：|時|时)(?P<minutes>半|多|[0-9]{{2}}分?|[一二三四五]十(?:[一二三四五六七八九])?分?)?"
)
_LATE_PARTS = ("大半夜", "半夜", "深夜", "夜里")
_PM_PARTS = ("下午", "傍晚", "晚上", "昨晚", "今晚") + _LATE_PARTS
# Words after a bare Chinese hour that make it a clock time ("一点以后"), unlike "便宜一点".
_CLOCK_FOLLOWERS = ("钟", "以后", "之后", "后", "以前", "之前", "前", "左右")
# Collection is not allowed from 22:00 to 08:00 without consent (GB/T 45251-2025).
NIGHT_START_HOUR, NIGHT_END_HOUR = 22, 8


def parse_numeral(text: str) -> Optional[int]:
    """"12" → 12, "十二" → 12, "两" → 2; None when it is not a number."""
    try:
        return int(text) if text.isdigit() else int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError):
        return None


def _clock_hour(match: "re.Match[str]") -> Optional[int]:
    """The hour of the day (0–23) of a _CLOCK match, read with its part of the day."""
    hour = parse_numeral(match.group("hour"))
    if hour is None or hour > 24:
        return None
    part = match.group("part") or ""
    late = part in _LATE_PARTS
    if part in _PM_PARTS and 1 <= hour < 12 and not (late and hour <= 5):
        hour += 12
    elif hour == 12 and (late or part == "晚上"):
        hour = 0  # 晚上十二点 is midnight
    return hour % 24


def clock_hours(text: Optional[str]) -> List[int]:
    """Hours of the day (0–23) named in the text: "晚上11点" → 23, "凌晨两点" → 2, "23:30" → 23."""
    hours = (_clock_hour(match) for match in _CLOCK.finditer(normalize(text)))
    return [hour for hour in hours if hour is not None]


def find_clock_times(text: Optional[str]) -> List[Tuple[int, int, int]]:
    """Spans of clock times with their hour (0–23): "晚上11点半" → 23, "凌晨一点多" → 1, "23:30".
    A Chinese hour without a part of the day counts only with 多 / 半 / minutes or a word such
    as 以后 after it, so "便宜一点" is not a time. Offsets refer to `text`."""
    cleaned = normalize(text)
    found = []
    for match in _CLOCK.finditer(cleaned):
        bare = not match.group("part") and not match.group("hour").isdigit() and not match.group("minutes")
        if bare and not cleaned[match.end():].startswith(_CLOCK_FOLLOWERS):
            continue
        if match.group("mark") in (":", "：") and not match.group("minutes"):
            continue  # "比例 3:1"
        hour = _clock_hour(match)
        if hour is not None:
            found.append((match.start(), match.end(), hour))
    return found


def is_night_hour(hour: int) -> bool:
    return hour >= NIGHT_START_HOUR or hour < NIGHT_END_HOUR


_DURATION = re.compile(
    r"(?P<num>[0-9]+|好几|[零〇一二两三四五六七八九十百半几]+)\s*(?:个)?\s*(?P<half>半)?\s*(?:多)?\s*"
    r"(?P<unit>年|月|周|星期|礼拜|天|日)(?:多|半)?"
)
_CLAUSE_MARKS = tuple("，,。！!？?；;\n ")
# Words that make a duration an overdue period ("逾期三个月", "断供两个月了", "拖了半年") …
_OVERDUE_BEFORE = ("逾期", "拖欠", "欠了", "欠款", "断供", "停供", "还不上", "没还", "晚还")
_OVERDUE_AFTER = ("没还", "没有还", "未还", "还不上")
# "三个月了" is overdue in a message about a debt, not in "投诉过去一个月了还没回复".
_SINCE_AFTER = ("了", "以上")
_DEBT_WORDS = ("逾期", "拖欠", "欠", "断供", "停供", "没还", "还不上")
# … and words that make it something else ("延期两个月", "分12个月", "一天最多", "每天").
_NOT_OVERDUE_BEFORE = ("延期", "延后", "缓", "宽限", "分", "每", "停息", "挂账", "一年内", "近", "最近", "借")
# How long something else has lasted: "失业快半年了，还不上" is not half a year overdue.
_LIFE_EVENTS = ("失业", "没工作", "下岗", "住院", "生病", "病了", "离婚", "倒闭", "停工", "坐月子")
_NOT_OVERDUE_AFTER = ("内", "之内", "以内", "后", "之后", "最多", "打", "利息", "还", "期", "千分", "万分", "百分")
# What may surround a bare duration given as an answer ("快半年了", "大概三个月吧").
_ANSWER_FILLERS = re.compile(r"(?:大概|大约|差不多|快|已经|都|有|才|刚|逾期|了|吧|啦|左右|呢|啊|[\s,，.。!！?？~～])*")
_UNIT_DAYS = {"年": 365, "月": 30, "周": 7, "星期": 7, "礼拜": 7, "天": 1, "日": 1}
# Longer than anyone has owed or waited: 「3000年前」「99999天前」 are no durations (they overflowed
# date arithmetic, or dated a complaint to 1753).
MAX_DURATION_DAYS = 100 * 365


def parse_duration_days(text: Optional[str]) -> Optional[int]:
    """How long, in days: "三个月" → 90, "半年" → 182, "10天" → 10, "两年多" → 730,
    "一个半月" → 45; None for no duration or one beyond MAX_DURATION_DAYS ("3000年")."""
    cleaned = normalize(text)
    match = _DURATION.search(cleaned)
    if not match:
        return None
    number = match.group("num")
    if number == "半":
        count = 0.5
    elif number.endswith("半"):  # 一年半, 两个月半
        base = parse_numeral(number[:-1])
        count = base + 0.5 if base is not None else None
    else:
        count = parse_numeral(number)
    if count is None:
        return None
    if match.group("half") or (match.group(0).endswith("半") and not number.endswith("半")):
        count += 0.5  # 一个半月, 一年半
    days = count * _UNIT_DAYS[match.group("unit")]
    return int(days) if 0 <= days <= MAX_DURATION_DAYS else None


def find_overdue_durations(text: Optional[str]) -> List[Tuple[int, int, Optional[int]]]:
    """Spans of how long a debt is overdue, with the length in days (None when vague:
    "好几个月"). "网贷逾期两个多月，想延期两个月" → the first only: a duration counts when an
    overdue word comes before it in its clause, "没还" after it, "了" after it in a message
    about a debt, or when it is the whole answer ("快半年了"); deferrals, instalments and
    frequencies ("一天最多") do not.
    Offsets refer to `text`."""
    cleaned = normalize(text)
    found = []
    for match in _DURATION.finditer(cleaned):
        start, end = match.span()
        clause_start = max(cleaned.rfind(mark, 0, start) for mark in _CLAUSE_MARKS) + 1
        before, after = cleaned[clause_start:start], cleaned[end:end + 4]
        if any(before.endswith(word) for word in _NOT_OVERDUE_BEFORE) or any(
            after.startswith(word) for word in _NOT_OVERDUE_AFTER
        ) or any(event in before for event in _LIFE_EVENTS):
            continue
        is_answer = bool(_ANSWER_FILLERS.fullmatch(cleaned[:start] + cleaned[end:]))
        overdue = (
            any(word in before for word in _OVERDUE_BEFORE)
            or after.startswith(_OVERDUE_AFTER)
            or after.startswith(_SINCE_AFTER) and any(word in cleaned for word in _DEBT_WORDS)
        )
        if overdue or is_answer:
            found.append((start, end, parse_duration_days(cleaned[start:end])))
    return found


# Lenders the lexicon does not know, by the shape of their names: a licence word after a short
# brand ("中原消费金融", "鑫源小额贷款有限公司"), or an app someone names ("一个叫闪电周转的app").
_LICENCE_NAME = re.compile(
    r"([\u4e00-\u9fff]{2,4})(?:消费金融|汽车金融|融资租赁|金融租赁|小额贷款|网络小贷)"
    r"(?:股份有限公司|有限责任公司|有限公司|公司)?"
)
_CALLED_NAME = re.compile(
    r"(?:个|家|款)名?叫(?:做)?[「“\"']?([\u4e00-\u9fffA-Za-z0-9]{2,6}?)[」”\"']?"
    r"(?=的|[,，。!！?？\s]|$)"
)
# A brand is the characters right before the licence word, after the last of these: "我在鑫源…"
# is "鑫源", "像鑫隆…" is "鑫隆", "找消费金融公司" and "请问消费金融公司" have none.
_NOT_IN_BRAND = set("在是的给跟和找向被叫从把对了个家我你他她们这那边说到去过为让由与及或等里就都也还又要想年月天号诉报告借欠管归像问")
# Words that stand before a licence word without naming anyone: "持牌消费金融公司".
_GENERIC_BRANDS = ("持牌", "正规", "什么", "哪些", "所有", "其他", "各家", "大型", "小型", "国内", "国有",
                   "银行系", "互联网", "网络", "一般", "普通", "某些", "有些", "这种", "那种")


def find_lender_names(text: Optional[str]) -> List[Tuple[int, int, str]]:
    """Spans of lender names by their shape, each with the name as written."""
    text = text or ""
    found: List[Tuple[int, int, str]] = []
    for match in _LICENCE_NAME.finditer(text):
        brand = match.group(1)
        cut = max((i + 1 for i, ch in enumerate(brand) if ch in _NOT_IN_BRAND), default=0)
        start = match.start(1) + cut
        if match.end(1) - start >= 2 and not text[start:match.end(1)].startswith(_GENERIC_BRANDS):
            found.append((start, match.end(), text[start:match.end()]))
    for match in _CALLED_NAME.finditer(text):
        if match.group(1)[0] not in _NOT_IN_BRAND:
            found.append((match.start(1), match.end(1), match.group(1)))
    return found


# WeChat's passive reply holds about 2,048 bytes; parts stay well below with their "（1/3）".
CHAT_PART_BYTES = 1800
_SENTENCE_END = re.compile(r"(?<=[。；！？!?;])")


def split_for_chat(text: str, max_bytes: int = CHAT_PART_BYTES) -> List[str]:
    """A long text as parts of at most `max_bytes` UTF-8 bytes, cut between lines, else between
    sentences, else (a very long sentence) between characters. Joined back, the parts are the
    text (a cut between lines drops that line break)."""
    def fits(piece: str) -> bool:
        return len(piece.encode("utf-8")) <= max_bytes

    pieces: List[Tuple[str, str]] = []  # (joiner to the previous piece, piece)
    for line in text.split("\n"):
        joiner = "\n"
        for sentence in [line] if fits(line) else filter(None, _SENTENCE_END.split(line)):
            while not fits(sentence):
                cut = max_bytes // 4  # a character is at most 4 bytes
                pieces.append((joiner, sentence[:cut]))
                sentence, joiner = sentence[cut:], ""
            pieces.append((joiner, sentence))
            joiner = ""
    parts: List[str] = []
    for joiner, piece in pieces:
        if parts and fits(parts[-1] + joiner + piece):
            parts[-1] += joiner + piece
        else:
            parts.append(piece)
    return parts

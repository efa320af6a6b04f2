"""Money amounts as borrowers write them, in yuan: 8千, 9千块, 3万5, 1.2k, 5w, 五万二, 两千五,
2,523元, 20多万 and 十几万 (approximate lower bounds), 6万7左右, ranges (3到5万, 3-5万, 三五万),
stated totals (「…加起来6万7左右」) and per-period figures (每月还1600).

Chinese numerals, and digits mixed with them (1万5千, 3万5), are read by cn2an; the words around
a number (units, currency, approximate, total and per-period markers, what makes a number a count
or a phone number instead) are in lexicon/money.yml. No Rasa imports: the NLU pipeline
(components/entities.py), the forms (actions/forms.py) and the APR reader (borrower/apr.py) all
read amounts here.

- `read_amounts(text)`: every amount in a message, as `Amount`s (span, value, range, flags);
- `find_amounts(text)`: the same as (start, end, value) triples;
- `read_amount(text)` / `parse_amount(text)`: the one figure an answer gives — the stated total
  when there is one, else the first amount; failing that, a more lenient reading of the first
  number (a form answer "0" or "36期" is still a number);
- `total_or_parts(text)`: the stated total, or else the parts as written (never a sum).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

import cn2an
import jieba
import yaml

from borrower.paths import LEXICON_DIR
from borrower.text import normalize, personal_number_spans, reply_words

# More than anyone in this assistant's reach could owe or earn: 「99999999999999999999万」 and a
# digit string of a few hundred characters are no amount (None), not 1e24 or inf.
MAX_AMOUNT_YUAN = 1e12
MAX_DIGITS = 13  # a longer run of digits cannot be below MAX_AMOUNT_YUAN
MAX_NUMERAL_CHARS = 30  # a longer Chinese numeral is no amount; cn2an need not try
MIN_BARE_AMOUNT = 100  # a bare number below this is rarely money in these chats
MAX_BARE_DIGITS = 7  # longer bare digit strings are phone, ID or card numbers

# The characters of Chinese numerals (cn2an's alphabet, not a word list: it stays here).
_CN_DIGITS = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
_CN_NUMERAL = _CN_DIGITS + "十拾百佰千仟万亿"
_CN_VALUE = {ch: value for value, chars in enumerate(("零〇", "一壹", "二两贰", "三叁", "四肆", "五伍", "六陆",
                                                      "七柒", "八捌", "九玖")) for ch in chars}
_LARGE_UNITS = "百佰千仟万亿"
_UNIT_CHARS = _LARGE_UNITS + "wWkK"
_UNIT_NAMES = {100: "百", 1000: "千", 10000: "万", 100000000: "亿"}


@dataclass(frozen=True)
class Amount:
    """An amount of money in a text. Offsets refer to the text as given.

    `value` is the one figure to use: for a range (`is_range`, low < high) its upper bound.
    `approximate`: 左右, 多, 几, 来, 大概 …; `at_least`: the figure is a lower bound (20多万,
    一万出头, 十几万); `per_period`: paid every month / instalment (每月还1600, 月供, 一千五一个月);
    `total`: the stated total after 加起来 / 一共 / 总共 / 合计."""

    start: int
    end: int
    value: float
    low: float
    high: float
    approximate: bool = False
    at_least: bool = False
    per_period: bool = False
    total: bool = False

    @property
    def is_range(self) -> bool:
        """True for a range (3到5万): `value` is then its upper bound `high`."""
        return self.low < self.high

    @property
    def span(self) -> Tuple[int, int, float]:
        return self.start, self.end, self.value


# --- lexicon/money.yml ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MoneyWords:
    units: Dict[str, int]
    currency: Tuple[str, ...]
    inside: Tuple[str, ...]
    trailing: Tuple[str, ...]
    approximate_after: Tuple[str, ...]
    approximate_before: Tuple[str, ...]
    at_least: Tuple[str, ...]
    range_connectors: Tuple[str, ...]
    totals: Tuple[str, ...]
    per_period_before: Tuple[str, ...]
    per_period_before_close: Tuple[str, ...]
    per_period_after: Tuple[str, ...]
    per_period_between: Tuple[str, ...]
    not_money_after: Tuple[str, ...]
    money_after: Tuple[str, ...]
    instalments_before: Tuple[str, ...]
    instalment_units: Tuple[str, ...]
    not_money_before: Tuple[str, ...]
    digits_of_a_number: Tuple[str, ...]
    goodbye: Tuple[str, ...]

    @classmethod
    def from_yaml(cls, spec: Dict[str, Any], goodbye: Tuple[str, ...] = ()) -> "MoneyWords":
        def words(value: Any) -> Tuple[str, ...]:
            found = tuple(str(word) for word in value or ())
            return tuple(sorted(found, key=len, reverse=True))  # the longest word first

        approximate = spec.get("approximate") or {}
        per_period = spec.get("per_period") or {}
        instalments = spec.get("instalments") or {}
        return cls(
            units={str(unit).lower(): int(factor) for unit, factor in (spec.get("units") or {}).items()},
            currency=words(spec.get("currency")),
            inside=words(approximate.get("inside")),
            trailing=words(approximate.get("trailing")),
            approximate_after=words(approximate.get("after")),
            approximate_before=words(approximate.get("before")),
            at_least=words(spec.get("at_least")),
            range_connectors=words(spec.get("range_connectors")),
            totals=words(spec.get("totals")),
            per_period_before=words(per_period.get("before")),
            per_period_before_close=words(per_period.get("before_close")),
            per_period_after=words(per_period.get("after")),
            per_period_between=words(per_period.get("between")),
            not_money_after=words(spec.get("not_money_after")),
            money_after=words(spec.get("money_after")),
            instalments_before=words(instalments.get("before")),
            instalment_units=words(instalments.get("units")),
            not_money_before=words(spec.get("not_money_before")),
            digits_of_a_number=words(spec.get("digits_of_a_number")),
            goodbye=tuple(goodbye),
        )


@lru_cache(maxsize=1)
def money_words() -> MoneyWords:
    """lexicon/money.yml, with the goodbye numbers of lexicon/replies.yml (read once)."""
    spec = yaml.safe_load((LEXICON_DIR / "money.yml").read_text(encoding="utf-8"))
    return MoneyWords.from_yaml(spec, reply_words("goodbye"))


def _alternatives(words: Tuple[str, ...]) -> str:
    return "|".join(re.escape(word) for word in words) or "(?!)"


@dataclass(frozen=True)
class _Patterns:
    token: "re.Pattern[str]"
    connector: "re.Pattern[str]"
    instalments: "re.Pattern[str]"
    digits_of_a_number: "re.Pattern[str]"


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    words = money_words()
    units = f"(?i:{_alternatives(tuple(sorted(words.units, key=len, reverse=True)))})"
    currency = f"(?i:{_alternatives(words.currency)})"
    inside = f"(?:{_alternatives(words.inside)})"
    trailing = f"(?:{_alternatives(words.trailing)})"
    arabic = r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+(?:\.[0-9]+)?"
    cn, digits = f"[{_CN_NUMERAL}]", f"[{_CN_DIGITS}]"
    token = (
        # digits, with a unit (8千, 1.2k, 20多万, 3千万), more digit-unit pairs (1万5千, 10万零5千,
        # 3万五千) and a single digit in the next lower unit (3万5, 1w2, 3万五) or the digits below
        # the unit written out (1万500, 3k200)
        rf"(?:(?P<arabic>(?:{arabic})"
        rf"(?:\s*(?:{inside})?\s*(?P<unit>{units})(?:[万亿](?![0-9]))?"
        rf"(?:零?(?:{arabic}|[一二两三四五六七八九])(?:{units}))*"
        rf"(?:(?<=[万wW])[1-9][0-9]{{2,3}}(?![0-9]|[.,][0-9])|(?<=[千kK])[1-9][0-9]{{2}}(?![0-9]|[.,][0-9])"
        rf"|[0-9](?![0-9]|[.,][0-9])|[一二两三四五六七八九](?![{_CN_NUMERAL}]))?)?)"
        # or a Chinese numeral (五万二, 十几万, 两千来块, 三万五千点五)
        rf"|(?P<chinese>(?:几(?=十))?{cn}(?:{cn}|点(?={digits})|{inside}(?={cn}|\s*(?:{currency})))*))"
        # then 多 / 余 (八千多; not the 多 of 「多点」) and a currency word (9千块, 2,523元)
        rf"(?P<trail>{trailing}(?!点))?(?:\s*(?P<currency>{currency}))?"
    )
    instalments = (rf"(?:{_alternatives(words.instalments_before)})\s*(?:[0-9]+|[一二两三四五六七八九十]+)\s*"
                   rf"(?:{_alternatives(words.instalment_units)})")
    return _Patterns(
        token=re.compile(token),
        connector=re.compile(rf"\s*(?:{_alternatives(words.range_connectors)})\s*"),
        instalments=re.compile(instalments),
        digits_of_a_number=re.compile(rf"(?:{_alternatives(words.digits_of_a_number)})(?:是|为)?\s*$"),
    )


# --- reading one number ----------------------------------------------------------------------------

# Two numerals run together are a range: 三五万, 两三千, 七八千, 一两万, 十三四万, 三四十万.
_PAIR = re.compile(rf"^(?P<head>十?)(?P<a>[{_CN_DIGITS}])(?P<b>[{_CN_DIGITS}])(?P<units>十?[{_LARGE_UNITS}]*)$")


def _cn2an(numeral: str) -> Optional[float]:
    if not numeral or len(numeral) > MAX_NUMERAL_CHARS or any(
        len(run) > MAX_DIGITS for run in re.findall(r"[0-9]+", numeral)
    ):
        return None
    try:
        if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", numeral):
            value = float(numeral)
        else:
            value = float(cn2an.cn2an(numeral, "smart"))
    except Exception:  # cn2an raises ValueError, KeyError, IndexError … on what it cannot read
        return None
    return value if 0 <= value <= MAX_AMOUNT_YUAN else None


def _numeral_range(numeral: str) -> Optional[Tuple[float, float]]:
    """The bounds of a numeral with a unit: 8千 → (8000, 8000), 三五万 → (30000, 50000)."""
    pair = _PAIR.match(numeral)
    if pair and pair.group("units") and 0 < _CN_VALUE[pair.group("a")] < _CN_VALUE[pair.group("b")]:
        head, units = pair.group("head"), pair.group("units")
        low, high = _cn2an(head + pair.group("a") + units), _cn2an(head + pair.group("b") + units)
        return (low, high) if low is not None and high is not None else None
    value = _cn2an(numeral)
    return None if value is None else (value, value)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    number: str  # the numeral as written, without currency (for the rules on counts)
    arabic: bool
    explicit_unit: str  # a multiplier after digits (万, k) or a currency word (块, 元)
    multiplier: str  # the unit that multiplies the last figure (万 of 「5万」 and of 「五万」), if any
    low: Optional[float]
    high: Optional[float]
    inexact: str  # the 多 / 几 / 来 / 余 written inside the amount
    ends_with_number: bool  # no 多 or currency word after the numeral
    currency: str  # 块, 元 … after it

    @property
    def has_unit(self) -> bool:
        return bool(self.explicit_unit) or any(ch in self.number for ch in _LARGE_UNITS)


def _numeral(number: str, arabic: bool) -> str:
    """What cn2an reads of a number as written: no 多 / 几 / 来 / 余, thousands commas or spaces,
    k / w as 千 / 万."""
    inside = "".join(money_words().inside)
    numeral = "".join(ch for ch in number.replace(",", "") if not ch.isspace() and ch not in inside)
    return _ascii_units(numeral) if arabic else numeral


def _token(match: "re.Match[str]") -> _Token:
    inside = "".join(money_words().inside)
    arabic = match.group("arabic") is not None
    number = match.group("arabic") if arabic else match.group("chinese")
    numeral = _numeral(number, arabic)
    bounds = _numeral_range(numeral)
    multiplier = re.search(f"[{_LARGE_UNITS}]+$", numeral.rstrip(_CN_DIGITS + "0123456789."))
    return _Token(
        start=match.start(), end=match.end(), number=number, arabic=arabic,
        explicit_unit=match.group("unit") or match.group("currency") or "",
        multiplier=multiplier.group(0)[-1] if multiplier else "",
        low=bounds[0] if bounds else None, high=bounds[1] if bounds else None,
        inexact="".join(ch for ch in number if ch in inside) + (match.group("trail") or ""),
        ends_with_number=not (match.group("trail") or match.group("currency")),
        currency=match.group("currency") or "",
    )


def _tokens(cleaned: str) -> List[_Token]:
    tokens = []
    for match in _patterns().token.finditer(cleaned):
        token = _token(match)
        if _one_starts_a_word(cleaned, match) and (token.low is None or match.group(0)[-2:-1] in _UNIT_CHARS):
            # 「欠了2万一直没还」: 2万, not 2万1; 「一万一一直」: 一万一
            trimmed = _patterns().token.match(cleaned, match.start(), match.end() - 1)
            token = _token(trimmed) if trimmed else token
        tokens.append(token)
    return tokens


def _one_starts_a_word(cleaned: str, match: "re.Match[str]") -> bool:
    """一 after a unit that jieba's dictionary reads as the start of a word (一直, 一般, 一共,
    一次性 …): the 一 is no digit of the amount (两万一, 3万一左右, 一万一吧 keep it)."""
    end = match.end()
    if not match.group(0).endswith("一") or len(match.group(0)) < 2:
        return False
    words = money_words()
    if cleaned.startswith(words.currency + words.approximate_after + words.trailing + words.inside, end):
        return False
    return len(jieba.lcut(cleaned[end - 1:end + 4], HMM=False)[0]) > 1


@dataclass(frozen=True)
class _Piece:
    """A token, or two joined into a range (3到5万, 3万-5万)."""

    first: _Token
    last: _Token
    low: Optional[float]
    high: Optional[float]

    @property
    def start(self) -> int:
        return self.first.start

    @property
    def end(self) -> int:
        return self.last.end

    @property
    def is_range(self) -> bool:
        return self.first is not self.last

    @property
    def has_unit(self) -> bool:
        return self.first.has_unit or self.last.has_unit


def _ranged(cleaned: str, first: _Token, second: _Token) -> Optional[_Piece]:
    """`first` to `second` as a range, when only a connector stands between them and the figures
    make one: 3到5万 and 三到五千 (the second's unit for both), 200到300块, 3万到5万, 两万-三万,
    3000-5000. A reversed pair of full amounts (5万-3万) is a range too; bare numbers must rise."""
    if _patterns().connector.fullmatch(cleaned, first.end, second.start) is None:
        return None
    if first.low is None or first.high is None or second.low is None or second.high is None:
        return None
    if not first.has_unit and second.has_unit:
        low = _cn2an(_numeral(first.number, first.arabic) + second.multiplier)
        return _Piece(first, second, low, second.high) if low is not None and low < second.low else None
    if first.has_unit and second.has_unit:
        return _Piece(first, second, min(first.low, second.low), max(first.high, second.high))
    if not first.has_unit and not second.has_unit and first.arabic and second.arabic and first.high < second.low:
        return _Piece(first, second, first.low, second.high)
    return None


def _ascii_units(numeral: str) -> str:
    """5w → 5万, 1.2k → 1.2千: what cn2an reads."""
    for unit, factor in money_words().units.items():
        if unit.isascii() and factor in _UNIT_NAMES:
            numeral = re.sub(re.escape(unit), _UNIT_NAMES[factor], numeral, flags=re.IGNORECASE)
    return numeral


def _pieces(cleaned: str) -> List[_Piece]:
    tokens = _tokens(cleaned)
    pieces: List[_Piece] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        joined = _ranged(cleaned, token, tokens[index + 1]) if index + 1 < len(tokens) else None
        if joined is not None:
            pieces.append(joined)
            index += 2
        else:
            pieces.append(_Piece(token, token, token.low, token.high))
            index += 1
    return pieces


# --- what makes a number no amount -----------------------------------------------------------------

# A minus sign — at the start or after a space or punctuation, not the dash of a range (「3-5万」
# 「3万-5万」) — or an exponent makes a number no amount (「-5万」 is no debt, 「1e309」 no sum).
_MINUS = ("-", "−", "－")
_EXPONENT = re.compile(r"[eE][+-]?[0-9]")
_AFTER_EXPONENT = re.compile(r"[0-9][eE][+-]?$")
# A money numeral (with 万 or 千) and the numeral of a count run together: 「一千五|一个月」,
# 「一万|一年」, 「八十万|二十年」, 「3万|一年」, 「8k|一个月」.
_MONEY_THEN_COUNT = re.compile(rf"^(?P<money>.*[万千kKwW])(?P<rest>[{_CN_DIGITS}十]+)$")
# Hotlines and service numbers (12378, 12315, 110, 96110 …) are not money.
_SERVICE_NUMBER = re.compile(r"^(1[12][0-9]|12[0-9]{3}|961[0-9]{2})$")
# Digits of an e-mail address or a masked number: next to "@", "*" or "_", or before ".com".
_ADDRESS_MARKS = "@*_"


def _signed_or_exponent(cleaned: str, start: int, end: int) -> bool:
    before, earlier = cleaned[start - 1:start], cleaned[start - 2:start - 1]
    signed = before in _MINUS and (start == 1 or earlier.isspace() or unicodedata.category(earlier).startswith("P"))
    exponent = bool(_EXPONENT.match(cleaned, end) or _AFTER_EXPONENT.search(cleaned, 0, start))
    return signed or exponent


def _in_address_or_mask(text: str, start: int, end: int) -> bool:
    before, after = text[start - 1:start], text[end:end + 1]
    domain = after == "." and text[end + 1:end + 2].isascii() and text[end + 1:end + 2].isalpha()
    return bool(before and before in _ADDRESS_MARKS or after and after in _ADDRESS_MARKS or domain)


def _ascii_alnum(text: str) -> bool:
    return bool(text) and text.isascii() and text.isalnum()


def _in_identifier(cleaned: str, start: int, end: int, arabic: bool = True) -> bool:
    """Digits inside an identifier: a case number (TS-2603-7K3QX), a phone number written with
    hyphens (138-1234-5678), a model or order number. (A Chinese numeral after Latin letters
    is no identifier: 「app一万」.)"""
    before = cleaned[start - 1:start]
    return cleaned[end:end + 1] == "-" or arabic and (
        _ascii_alnum(before) or before == "-" and _ascii_alnum(cleaned[start - 2:start - 1]))


def _before_a_count(number: str, arabic: bool) -> Optional[str]:
    """The money part of a number followed by a count word, when a count numeral ends it:
    「一千五一」 (个月) → 「一千五」, 「一万一」 (年) → 「一万」, 「八十万二十」 (年) → 「八十万」."""
    match = _MONEY_THEN_COUNT.match(number)
    if match is None:
        return None
    rest = match.group("rest")
    if not arabic and len(rest) == 2 and rest[0] in _CN_DIGITS and rest[1] in _CN_DIGITS:
        return match.group("money") + rest[0]  # 一千五 | 一个月
    return match.group("money")


def _letters_run_on(cleaned: str, token: _Token, end: int) -> bool:
    """A unit in Latin letters (k, w, rmb) with more letters or digits right after it: the
    number is part of a word or an identifier (「7K3QX」, 「100km」, 「5kg」)."""
    return token.arabic and any(ch.isascii() and ch.isalpha() for ch in token.explicit_unit) and _ascii_alnum(
        cleaned[end:end + 1])


def _money_piece(
    cleaned: str, piece: _Piece, personal_numbers: List[Tuple[int, int]] = ()
) -> Optional[Tuple[int, int, float, float]]:
    """(start, end, low, high) of a piece that is money, with a count split off its end
    (「一千五一个月」), or None: counts, rates, durations, service, phone, ID and card numbers,
    identifiers, addresses, bare numbers below MIN_BARE_AMOUNT."""
    words = money_words()
    start, end, low, high = piece.start, piece.end, piece.low, piece.high
    last = piece.last
    number = last.number
    after = cleaned[end:end + 4]
    if any(start < number_end and number_start < end for number_start, number_end in personal_numbers):
        return None  # 「电话 186 2291 0374」
    # 「300元年费」: with a currency word, or before a fee, the words after count nothing
    counted = not (last.currency or after.startswith(words.money_after))
    if counted and not after.startswith(words.approximate_after):
        after = after.lstrip("".join(words.inside))  # 「一百多个电话」 counts calls
        if _patterns().instalments.match(cleaned, end):  # 「1万分12期」: money, then the instalments
            after = ""
        if after.startswith(words.not_money_after):
            # 「一万一年」「3万一年」「8k一个月」: the last numeral starts the count, the rest is money
            money = _before_a_count(number, last.arabic)
            if money is None or not last.ends_with_number or piece.is_range:
                return None
            end, number = end - (len(number) - len(money)), money
            bounds = _numeral_range(_numeral(number, last.arabic))
            if bounds is None:
                return None
            low, high = bounds
    if _letters_run_on(cleaned, last, end):
        return None  # 「7K3QX」 inside a case number, 「100km」
    if not piece.has_unit and any(_SERVICE_NUMBER.match(token.number) for token in (piece.first, piece.last)):
        return None
    if _in_identifier(cleaned, start, end, piece.first.arabic) or _in_address_or_mask(cleaned, start, end):
        return None  # 「TS-2603-…」, 「zhang88@163.com」, 「138****5678」
    if _signed_or_exponent(cleaned, start, end):
        return None
    before = cleaned[:start]
    if before.endswith(words.not_money_before) or _patterns().digits_of_a_number.search(before):
        return None
    if low is None or high is None:
        return None
    if not piece.has_unit:
        # digits grouped in thousands (10,000,000) are money as written, never a phone number
        digits = max(0 if "," in token.number else len(token.number.split(".")[0])
                     for token in (piece.first, piece.last))
        if low < MIN_BARE_AMOUNT or digits > MAX_BARE_DIGITS:
            return None
    return start, end, low, high


# --- what the words around an amount say -----------------------------------------------------------

# Where a clause ends: a figure's markers (一共, 每月, 大概) are looked for in its own clause.
_CLAUSE_MARKS = "，,。.；;！!？?、\n"
_COLONS = ":："
# Characters between a marker and its figure, at most.
_TOTAL_WINDOW, _PER_PERIOD_WINDOW, _APPROXIMATE_WINDOW = 10, 6, 3


def _clause_before(cleaned: str, start: int, previous_end: int) -> str:
    """The text before `start` back to the previous amount or the start of the clause."""
    before = cleaned[previous_end:start]
    cut = max(before.rfind(mark) for mark in _CLAUSE_MARKS)
    return before[cut + 1:]


def _marker_before(before: str, markers: Tuple[str, ...], window: int) -> Optional[Tuple[str, str]]:
    """The last of `markers` in `before` and the text between it and the figure, when that is at
    most `window` characters and holds no colon but one right before the figure: 「合计：5万」,
    not 「一共三笔：招行3万5」."""
    found = [(before.rfind(marker) + len(marker), marker) for marker in markers if marker in before]
    if not found:
        return None
    end, marker = max(found, key=lambda pair: (pair[0], len(pair[1])))
    between = before[end:]
    if len(between) > window or any(colon in between.rstrip().rstrip(_COLONS) for colon in _COLONS):
        return None
    return marker, between


def _only_fillers(text: str, fillers: Tuple[str, ...]) -> bool:
    for word in fillers:  # the longest first
        text = text.replace(word, "")
    return not text.strip()


def _amount(cleaned: str, piece: _Piece, span: Tuple[int, int, float, float], previous_end: int) -> Amount:
    words = money_words()
    start, end, low, high = span
    before = _clause_before(cleaned, start, previous_end)
    after = cleaned[end:end + 6].lstrip()
    approximate_before = _marker_before(before, words.approximate_before, _APPROXIMATE_WINDOW)
    markers = [*piece.first.inexact, *piece.last.inexact,
               next((word for word in words.approximate_after if after.startswith(word)), ""),
               approximate_before[0] if approximate_before else ""]
    period = _marker_before(before, words.per_period_before, _PER_PERIOD_WINDOW)
    close = _marker_before(before, words.per_period_before_close, _PER_PERIOD_WINDOW)
    per_period = (period is not None or close is not None and _only_fillers(close[1], words.per_period_between)
                  or after.startswith(words.per_period_after))
    return Amount(
        start=start, end=end, value=high, low=low, high=high,
        approximate=any(markers),
        at_least=not piece.is_range and any(marker and (marker in words.at_least or marker.startswith("多"))
                                            for marker in markers),
        per_period=per_period,
        total=_marker_before(before, words.totals, _TOTAL_WINDOW) is not None,
    )


# --- the public readers ----------------------------------------------------------------------------


def read_amounts(text: Optional[str]) -> List[Amount]:
    """Every amount of money in `text`, in order, with its flags. Counts, rates and durations
    (36期, 4倍, 24%, 3个月), service, phone, ID and card numbers, case numbers, negative and
    exponent numbers and bare numbers below MIN_BARE_AMOUNT are skipped. Offsets refer to
    `text`."""
    cleaned = normalize(text)
    if cleaned.strip() in money_words().goodbye:
        return []
    found: List[Amount] = []
    personal_numbers = personal_number_spans(cleaned)
    for piece in _pieces(cleaned):
        span = _money_piece(cleaned, piece, personal_numbers)
        if span is not None:
            found.append(_amount(cleaned, piece, span, found[-1].end if found else 0))
    return found


def find_amounts(text: Optional[str]) -> List[Tuple[int, int, float]]:
    """Spans of money amounts in `text` with their value in yuan (a range: its upper bound):
    "借12万先扣了1.5万" → [(1, 4, 120000.0), (7, 11, 15000.0)]. See read_amounts."""
    return [amount.span for amount in read_amounts(text)]


def total_or_parts(text: Optional[str]) -> List[Amount]:
    """The stated total when the text gives one (「招行3万5 广发2万 加起来5万5」 → [5万5]), else
    every amount as written: a sum is never made up here (the parts may overlap, or be per month)."""
    amounts = read_amounts(text)
    totals = [amount for amount in amounts if amount.total]
    return totals[:1] if totals else amounts


def read_amount(text: Optional[str]) -> Optional[Amount]:
    """The one figure an answer gives: the stated total, else the first amount read_amounts
    finds; failing both, the first number in a lenient reading (a bare "0", "12378", "36期":
    a form answer is a number even so), with a lone Chinese numeral ("一个月两千") the weakest."""
    if not text:
        return None
    amounts = total_or_parts(text)
    if amounts:
        return amounts[0]
    cleaned = normalize(text)
    personal_numbers = personal_number_spans(cleaned)
    candidates = []
    for piece in _pieces(cleaned):
        if piece.low is None or piece.high is None or (
            any(piece.start < end and start < piece.end for start, end in personal_numbers)
            or _in_address_or_mask(cleaned, piece.start, piece.end)  # 「138****5678」 is no amount
            or _signed_or_exponent(cleaned, piece.start, piece.end)
            or _letters_run_on(cleaned, piece.last, piece.end)
            or _in_identifier(cleaned, piece.start, piece.end, piece.first.arabic)
        ):
            continue
        strong = bool(piece.last.explicit_unit) or piece.last.arabic or len(piece.last.number) > 1
        candidates.append((strong, Amount(piece.start, piece.end, piece.high, piece.low, piece.high)))
    strong_ones = [amount for strong, amount in candidates if strong]
    if strong_ones:
        return strong_ones[0]
    return candidates[0][1] if candidates else None


def parse_amount(text: Optional[str]) -> Optional[float]:
    """The amount of money an answer gives, in yuan (see read_amount): "五万二" → 52000,
    "借了8千" → 8000, "3.5万" → 35000, "5w" → 50000, "2,523元" → 2523, "3到5万" → 50000 (a range:
    the upper bound), "…加起来6万7左右" → 67000 (the stated total). None when there is none."""
    amount = read_amount(text)
    return None if amount is None else amount.value

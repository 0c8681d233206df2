"""Won amounts as staff type them: 12만원, 120,000원, 1,200천원, 3.5억, 5백만원, 12만 3천원, 1억 2천만원.

``parse_amount`` reads a whole answer ("얼마 썼어요?" → "12만원"); ``find_amount`` picks the first amount out
of a sentence ("지출 12만원 시책추진 간담회 7/20 …") and leaves dates (7/20, 9.15, 14:00), counts (3명) and
years alone. Both return integer won, or a failure with a Korean reason.

A number without a unit is counted in ``unit`` (``WON`` by default; ``THOUSAND_WON`` for the report's
천원 tables, where "118575" means 118,575,000원).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import ClassVar, Literal

from .moneyfmt import format_won_words
from .textutil import cut, tidy

WON = 1
THOUSAND_WON = 1000
LIMIT = 10**13  # 10조원: more than any budget line the bot will see; above it is a typo

AmountCode = Literal["empty", "not_amount", "negative", "zero", "fraction", "too_large"]
EXAMPLES = "예: 12만원, 120,000원, 3.5억, 1억 2천만원"

_DIGITS = {char: index for index, char in enumerate("영일이삼사오육칠팔구")}
_SMALL = {"십": 10, "백": 100, "천": 1000}
_BIG = {"만": 10**4, "억": 10**8, "조": 10**12}
_TOKEN = re.compile(
    r"\s?(?:(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)|(?P<kd>[일이삼사오육칠팔구])(?=[십백천만억조])"
    r"|(?P<small>[십백천])|(?P<big>[만억조])|(?P<won>원(?=(?:이요|입니다|이에요|짜리|어치|"
    r"이|가|을|를|은|는|의|에|으로|로|도|씩|까지|정도|쯤|요)?(?![가-힣]))))"
)
_SIGN = re.compile(r"\s*(?:-|−|△|▲|마이너스\s?)\s*")
# Where an amount may begin in a sentence: a number not inside a date/time/decimal, or a Korean numeral word.
_START = re.compile(
    r"(?:-|−|△|▲|마이너스\s?)?(?<![\d.,/:~A-Za-z])\d|(?<![가-힣])[일이삼사오육칠팔구십백천만억조]"
)
_NOT_AFTER_BARE = re.compile(r"[\w./:~\-%]")
_YEARISH = re.compile(r"(?:19|20)\d\d")
_PARTICLE_AFTER = re.compile(r"(?:이|가|을|를|은|는|의|에|으로|로|도|씩|까지|정도|쯤)?(?![가-힣])")


@dataclass(frozen=True, slots=True)
class Amount:
    won: int
    text: str  # the amount as written
    span: tuple[int, int]
    rest: str  # the sentence without the amount
    ok: ClassVar[Literal[True]] = True  # lets `if result.ok:` narrow the type


@dataclass(frozen=True, slots=True)
class AmountFailure:
    reason: str
    code: AmountCode
    text: str
    ok: ClassVar[Literal[False]] = False


@dataclass(frozen=True, slots=True)
class _Read:
    value: Decimal
    end: int
    unit_written: bool  # 원/만/억/천… present (otherwise a bare number, counted in the caller's unit)
    ends_with_won: bool
    negative: bool


def parse_amount(
    text: str, *, unit: int = WON, allow_zero: bool = False, limit: int = LIMIT
) -> Amount | AmountFailure:
    """Read ``text`` as one amount (trailing particles and punctuation are allowed)."""
    stripped = text.strip()
    if not stripped:
        return AmountFailure(f"금액을 입력해 주세요. {EXAMPLES}", "empty", text)
    read = _read(stripped, 0)
    if read is None or tidy(stripped[read.end :]).strip(".!?") not in ("", "이요", "요", "입니다"):
        return AmountFailure(f"금액을 알아보지 못했습니다. {EXAMPLES}", "not_amount", text)
    return _finish(read, stripped, 0, unit, allow_zero, limit)


def find_amount(
    text: str, *, unit: int = WON, allow_zero: bool = False, limit: int = LIMIT
) -> Amount | AmountFailure | None:
    """The first amount in a sentence; None when there is none, a failure when it is unusable."""
    for start in _START.finditer(text):
        read = _read(text, start.start())
        if read is not None and _plausible(text, start.start(), read):
            return _finish(read, text, start.start(), unit, allow_zero, limit)
    return None


def _plausible(text: str, start: int, read: _Read) -> bool:
    """Reject what only looks like an amount: 3명, 7/20, 2018, 15일, 만남."""
    written = text[start : read.end].strip()
    if read.ends_with_won:
        return True
    if read.unit_written:
        return bool(re.search(r"\d", written)) and bool(_PARTICLE_AFTER.match(text, read.end))
    digits = written.lstrip("-−△▲마이너스 ")
    grouped = "." not in digits and ("," in digits or len(digits) >= 4)
    followed = read.end < len(text) and _NOT_AFTER_BARE.match(text, read.end)
    return grouped and not followed and not _YEARISH.fullmatch(digits)


def _finish(
    read: _Read, text: str, start: int, unit: int, allow_zero: bool, limit: int
) -> Amount | AmountFailure:
    value = read.value if read.unit_written else read.value * unit
    written = text[start : read.end].strip()
    if read.negative:
        return AmountFailure(f"금액은 0보다 커야 합니다: {written}", "negative", text)
    if value != value.to_integral_value():
        return AmountFailure(f"원 단위 아래는 쓸 수 없습니다: {written}. {EXAMPLES}", "fraction", text)
    won = int(value)
    if won == 0 and not allow_zero:
        return AmountFailure(f"0원은 받을 수 없습니다. {EXAMPLES}", "zero", text)
    if won > limit:
        most = format_won_words(limit)
        return AmountFailure(f"금액이 너무 큽니다: {written}. {most}까지 쓸 수 있습니다.", "too_large", text)
    begin = start + (len(text[start:]) - len(text[start:].lstrip()))
    return Amount(won, written, (begin, read.end), tidy(cut(text, begin, read.end)))


def _read(text: str, pos: int) -> _Read | None:
    """Read one amount starting at ``pos``: sections of [number][십백천] closed by 만/억/조, then 원."""
    sign = _SIGN.match(text, pos)
    negative = bool(sign and sign.group().strip())
    pos = sign.end() if sign else pos
    total = section = Decimal(0)
    pending: Decimal | None = None
    last_big = 10**13
    good: tuple[Decimal, int] | None = None  # value and end after the last unit word
    while (token := _TOKEN.match(text, pos)) is not None:
        kind = token.lastgroup
        if kind in ("num", "kd"):
            if pending is not None:
                break
            pending = _number(token[kind])
            if pending is None:
                return None
        elif kind == "small":
            section += (pending if pending is not None else 1) * _SMALL[token["small"]]
            pending = None
        elif kind == "big":
            size = _BIG[token["big"]]
            if size >= last_big:
                break
            section += pending or 0
            total += (section or 1) * size
            section, pending, last_big = Decimal(0), None, size
        else:  # 원
            return _Read(total + section + (pending or 0), token.end(), True, True, negative)
        pos = token.end()
        if kind not in ("num", "kd"):
            good = (total + section, pos)
    if good is not None:
        return _Read(good[0], good[1], True, False, negative)
    if pending is None:
        return None
    return _Read(pending, pos, False, False, negative)


def _number(text: str) -> Decimal | None:
    if text in _DIGITS:
        return Decimal(_DIGITS[text])
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None

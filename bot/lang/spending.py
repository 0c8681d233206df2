"""A spending line as staff type it: `지출 12만원 시책추진 간담회 7/20 복지정책 간담회 다과`.

Amount, budget line, field, date and number of payments may come in any order; what is left is the purpose.
Line and field names are matched fuzzily against the names (and aliases) the caller registers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.lang.amounts import Amount, AmountFailure, find_amount
from bot.lang.dates import DateFailure, DateResult, parse_when
from bot.lang.names import NameIndex, NameLookup
from bot.lang.textutil import cut, tidy

LINE, FIELD = "budget_line", "budget_field"
_VERBS = re.compile(r"^\s*(?:지출|집행|결제|사용|썼어요?|썼음|썼다|씀|쓴\s*돈|지출\s*기록)\s*[:：]?\s*|"
                    r"\s*(?:지출|결제|집행)(?:했어요?|했음|함|기록)?\s*$")
# "5건", "3건으로": a number of payments, not the day of 7/19 before 건물 or a word like 건강
_PAYMENTS = re.compile(r"(?<![\d./])(\d{1,4})\s*건(?:으로|을|이|에|씩)?(?![가-힣])")
_WORD = re.compile(r"\S+")
EXAMPLE = "예: 지출 12만원 시책추진 간담회 7/20 복지정책 간담회 다과"


@dataclass(frozen=True)
class SpendingText:
    amount: Amount | AmountFailure | None
    line: NameLookup | None
    field: NameLookup | None
    when: DateResult | DateFailure | None
    payments: int
    purpose: str
    unknown_words: tuple[str, ...]  # words that may have been meant as a line name (없는과목)


def _take(text: str, span: tuple[int, int]) -> str:
    return tidy(cut(text, *span))


def _best(lookups: list[NameLookup], kind: str) -> NameLookup | None:
    for lookup in lookups:
        if lookup.best is not None and lookup.best.kind == kind:
            return lookup
    return None


def read_spending(text: str, now: datetime, names: NameIndex) -> SpendingText:
    rest = _VERBS.sub(" ", text).strip()
    amount = find_amount(rest)
    if isinstance(amount, Amount):
        rest = amount.rest
    elif isinstance(amount, AmountFailure):
        rest = re.sub(r"[-−]?\s*[\d,.]+\s*(?:억|천만|백만|만|천)?\s*원?", " ", rest, count=1)
    payments = 1
    if found := _PAYMENTS.search(rest):
        payments = int(found.group(1))
        rest = _take(rest, found.span())
    when: DateResult | DateFailure | None = parse_when(rest, now, past=True, strip_commands=False)
    if isinstance(when, DateResult):
        rest = when.rest
    elif when is not None and when.code in ("not_found", "empty", "vague"):
        when = None
    lookups = names.find_all(rest, kinds=(LINE, FIELD))
    line, field = _best(lookups, LINE), _best(lookups, FIELD)
    for lookup in sorted((x for x in (line, field) if x is not None), key=lambda x: -x.span[0]):
        rest = _take(rest, lookup.span)
    words = tuple(_WORD.findall(rest))
    unknown = words[:1] if line is None and words else ()
    return SpendingText(amount, line, field, when, payments, tidy(rest), unknown)

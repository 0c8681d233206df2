"""A spending line as staff type it: `지출 12만원 시책추진 간담회 7/20 복지정책 간담회 다과`.

Amount, budget line, field, date and number of payments may come in any order; what is left is the purpose.
Line and field names are matched fuzzily against the names (and aliases) the caller registers. A field that is
not named is inferred from the purpose's words (오찬, 다과 → 회의·간담회; 격려, 간식 → 직원격려): ``field_hint``.
A leftover word counts as an attempted budget line (``unknown_words``, "'홍보운영' 과목을 찾지 못했습니다") only
when it looks like one (…운영, …추진, …추진비); an ordinary noun (수박, 만찬) is part of the purpose.
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
                    r"\s*(?:(?:지출|결제|집행|사용)\s?(?:했어요?|했습니다|했음|함|기록)?|썼어요?|썼습니다|썼음|씀|"
                    r"나갔어요?|나갔습니다|나갔음|냈어요?|냈습니다|냈음)[.!]*\s*$")
# "5건", "3건으로": a number of payments, not the day of 7/19 before 건물 or a word like 건강
_PAYMENTS = re.compile(r"(?<![\d./])(\d{1,4})\s*건(?:으로|을|이|에|씩)?(?![가-힣])")
_WORD = re.compile(r"\S+")
EXAMPLE = "예: 지출 12만원 시책추진 간담회 7/20 복지정책 간담회 다과"
# A word that looks like the name of a budget line (기관운영, 시책추진업무추진비, 홍보운영비); 업무추진비 alone is
# the whole budget, not a line.
_LINE_LIKE = re.compile(r"(?:운영|운용|추진|과목)(?:업무추진비|추진비|비)?(?:으로|로|에서|에|을|를|은|는|이|가)?$")
_WHOLE_BUDGET = re.compile(r"^(?:업무추진비|업추비|업무추진)(?:으로|로|에서|에|을|를|은|는|이|가)?$")
# Purpose words that tell the field (data: the seed's field names, tried in this order; a book without the
# field ignores its entry). 격려 comes first: 유공직원 격려 오찬 is staff encouragement, not a meeting.
FIELD_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("직원격려", ("격려", "경조", "간식", "생일", "명절", "연말연시", "위로", "회식", "현업근무")),
    ("위문", ("위문", "복지시설", "불우", "소외계층", "성금")),
    ("회의·간담회", ("오찬", "만찬", "조찬", "다과", "도시락", "간담", "면담", "식대", "식사", "티타임", "커피",
                  "음료", "생수", "샌드위치", "자문", "회의", "행사", "예방", "접견", "찻값", "차값")),
)


@dataclass(frozen=True)
class SpendingText:
    amount: Amount | AmountFailure | None
    line: NameLookup | None
    field: NameLookup | None
    when: DateResult | DateFailure | None
    payments: int
    purpose: str
    unknown_words: tuple[str, ...]  # words that may have been meant as a line name (없는과목)
    field_hint: str | None = None  # no field named: the field the purpose's words point to


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
    unknown = tuple(w for w in words if _LINE_LIKE.search(w) and not _WHOLE_BUDGET.match(w))[:1] if line is None \
        else ()
    hint = None if field is not None else field_of_purpose(rest)
    return SpendingText(amount, line, field, when, payments, tidy(rest), unknown, hint)


def field_of_purpose(text: str) -> str | None:
    """The field (by its seed name) the first matching purpose word points to, FIELD_HINTS order."""
    squeezed = "".join(text.split())
    return next((name for name, words in FIELD_HINTS if any(word in squeezed for word in words)), None)

"""Which one figure a question asks for (잔액, 집행률, 몇 건, 몇 명, 규모 …), and which of a fact's figures that is.

A question that asks for one figure is answered with that figure first, in a line or two; a question that names
no figure gets the whole card. The words are a table, tried in order (집행률 before 집행, 몇 건 before 몇 개).
The `view` names are those of the understanding step's `budget_query` slot (잔액|집행|집행률|건수), plus the
units a report fact is counted in (인원, 곳, 개수, 규모, 시기, 예산).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .intent_table import PLEDGE_STATUS_WORDS
from .names import one_letter_off

# (view, pattern) — first match wins.
VIEWS: tuple[tuple[str, str], ...] = (
    ("집행률", r"집행\s*률|집행\s*율|소진\s*율|소진\s*률|몇\s*(?:퍼센트|퍼|%)|퍼센트|진도율"),
    ("잔액", r"잔액|잔여|남[았은아]|남는"),
    ("건수", r"몇\s*건|건수"),
    ("횟수", r"몇\s*번|몇\s*회|횟수"),
    ("인원", r"몇\s*명|인원\s*수|사람\s*수|직원\s*수"),
    ("곳", r"몇\s*곳|몇\s*군데|몇\s*(?:개\s*)?(?:도시|나라|개국)"),
    ("개수", r"몇\s*개|몇\s*가지|개수|몇\s*(?:개\s*)?분야"),
    ("집행", r"집행\s*액|집행\s*금액|얼마\s*(?:나\s*)?썼|얼마\s*(?:나\s*)?쓴|쓴\s*돈|사용\s*액|지출\s*액|집행\s*했|"
             r"집행\s*[한된]|지출\s*[한된]|지출\s*금액|쓰였|나갔|나간|나감"),
    ("예산", r"예산\s*액|배정|편성액"),
    ("규모", r"규모|총액"),
    ("시기", r"언제|몇\s*월|며칠"),
)
_VIEWS = tuple((view, re.compile(pattern)) for view, pattern in VIEWS)
BUDGET_VIEWS = frozenset({"잔액", "집행", "집행률", "건수", "횟수", "예산"})

# What a follow-up question may hold besides its figure word: particles, fillers, a question mark.
_FILLER = re.compile(
    r"그럼|그러면|그건|그거|그것|거기|그쪽|여기|이건|저건|그|얼마(?:야|예요|에요|인가요|지|나)?|몇|"
    r"(?:은요|는요|이요|이|가|은|는|도|만|요|야|이야|예요|에요|인가요|인지|이에요|입니까|이지|지|냐|니|나요|죠|좀|어|어요|거야|건가|거지|"
    r"알려\s*줘|알려\s*주세요|봐|봐줘|보여\s*줘)(?=\s|$|[?!.])|[?!.,~\s]",
)


def asked_view(text: str) -> str | None:
    """The one figure `text` asks for, or None (the question asks for a whole card, or for nothing)."""
    return next((view for view, pattern in _VIEWS if pattern.search(text)), None)


def names_nothing_else(text: str) -> bool:
    """Whether `text` is only a figure word and fillers ("집행률은?", "몇 건이야"): a follow-up to the last
    answer, naming no subject of its own."""
    if asked_view(text) is None:
        return False
    rest = text
    for _, pattern in _VIEWS:
        rest = pattern.sub(" ", rest)
    rest = _FILLER.sub(" ", rest)
    return not rest.strip()


# -- a fact's figures ------------------------------------------------------------------------------------

# The units a view is counted in (a figure's unit starts with one of them), in tiers: the first tier that any
# figure of the fact is counted in is the one asked (몇 건 → 건 before 회).
_UNITS: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "건수": (("건",), ("회",)),
    "횟수": (("회",), ("건",)),
    "인원": (("명",),),
    "곳": (("곳", "개 도시", "개국", "개소"),),
    "개수": (("개", "여개", "과목"),),
    "규모": (("억원", "천원", "원", "조원"),),
    "예산": (("억원", "천원", "원", "조원"),),
    "시기": (("월",),),
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pick_figure(text: str, view: str | None, figures: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The one figure of a fact that `text` asks for: a figure named by its label (the longest that the text
    holds: '세부사업' rather than '정책대상 세부사업' unless 정책대상 is said), else the first counted in the
    unit the question asks for (몇 건 → 건, 규모 → 억원), else None (the whole card answers)."""
    if view is None:
        return None
    said = _squash(text)
    named = [f for f in figures if all(_said(part, said) for part in str(f.get("label", "")).split())]
    if named:
        return max(named, key=lambda f: len(_squash(str(f["label"]))))
    if view == "규모":
        scaled = [f for f in figures if "규모" in str(f.get("label", ""))]
        if len(scaled) == 1:
            return scaled[0]
    for units in _UNITS.get(view, ()):
        counted = [f for f in figures if str(f.get("unit", "")).startswith(units)]
        if counted:
            return _only(counted, said)
    return None


def _said(word: str, said: str) -> bool:
    """A label's word is in the question, or its head is ('영역별' names 정책영역, '대상별' 정책대상)."""
    return word in said or (len(word) >= 4 and f"{word[len(word) // 2:]}별" in said)


def _only(figures: Sequence[Mapping[str, Any]], said: str) -> Mapping[str, Any] | None:
    """The one of several figures in the asked unit: alone, or the one whose label shares most words with the
    question; a tie is not guessed (None: the whole card answers)."""
    if len(figures) == 1:
        return figures[0]
    def overlap(figure: Mapping[str, Any]) -> int:
        words = re.sub(r"\(.*?\)", " ", str(figure.get("label", ""))).split()
        return sum(1 for word in words if word in said)
    scores = sorted((overlap(f) for f in figures), reverse=True)
    if scores[0] == 0 or scores[0] == scores[1]:
        return None
    return max(figures, key=overlap)


# -- pledge totals ---------------------------------------------------------------------------------------

# The reported totals a count question names (longest first), and the two axes.
PLEDGE_COUNTS: tuple[tuple[str, str], ...] = (
    ("세부사업", "sub_projects"), ("세부 사업", "sub_projects"), ("핵심공약", "core_pledges"),
    ("핵심 공약", "core_pledges"), ("분야", "areas"), ("공약", "core_pledges"),
)
PLEDGE_SCOPES: tuple[str, ...] = ("정책대상", "정책영역")
_IN_A_STATUS = re.compile("|".join(rx for _status, rx in PLEDGE_STATUS_WORDS))


# An axis said by its head ("대상별로", "영역별 분포").
_SCOPE_HEADS: Mapping[str, str] = {"대상별": "정책대상", "영역별": "정책영역"}
_TYPO_MIN = 4  # a name of four syllables or more may be typed one letter off (정책대샹, 자영엽자, 미래특별씨)


def pledge_scope(text: str, examples: Mapping[str, str] | None = None) -> tuple[str, str | None] | None:
    """(axis, example) that a pledge question names: an axis (정책대상, 영역별) or one of the report's example
    areas (`examples`: name -> its axis, e.g. 자영업자 -> 정책대상), a long name also one letter off; the
    example is None when the axis itself is named. None when neither is named."""
    said = _squash(text)
    named = next((s for s in PLEDGE_SCOPES if s in said), None) or next(
        (scope for head, scope in _SCOPE_HEADS.items() if head in said), None)
    if named is not None:
        return named, None
    known = {**dict.fromkeys(PLEDGE_SCOPES), **(examples or {})}
    for name, scope in known.items():
        if name in said or (len(name) >= _TYPO_MIN and any(one_letter_off(word, name) for word in text.split())):
            return (name, None) if scope is None else (scope, name)
    return None


def pledge_count(text: str, examples: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """(scope, counted) for "핵심공약 몇 개야", "정책영역 세부사업 몇 개", "자영업자 공약 몇 개" (an example
    area: its axis) — scope '전체' unless an axis is named — or None when the text asks no count of
    pledges."""
    if asked_view(text) not in ("개수", "건수") or _IN_A_STATUS.search(text):
        return None  # "지연 공약 몇 개": the pledges in that status are counted, not a reported total
    counted = next((name for word, name in PLEDGE_COUNTS if word in text), None)
    if counted is None:
        return None
    scope = pledge_scope(text, examples)
    return (scope[0] if scope else "전체"), counted


# -- staffing --------------------------------------------------------------------------------------------

_STAFF_CATEGORIES = ("일반직", "별정직")


def staffing_number(text: str, view: str | None) -> tuple[str | None, str] | None:
    """(category or None, '정원'|'현원') for a question about one staffing number, else None."""
    if re.search(r"현황|표", text) or (view not in ("인원", "개수") and not re.search(r"정원|현원", text)):
        return None
    category = next((c for c in _STAFF_CATEGORIES if c in text), None)
    which = "정원" if "정원" in text and "현원" not in text else "현원"
    if view is None and not category and "정원" in text and "현원" in text:
        return None  # "정원 현원": the table
    return category, which

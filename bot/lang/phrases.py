"""Small readings of what a message asks, used by the handlers so that they hold no parsing of their own:
which budget view, whether a question, a reminder request, a done or planned log, a pledge update."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .names import one_letter_off

_CHART = re.compile(r"차트|그래프")
_TREND = re.compile(r"월별|추이|추세")
_FIELDS = re.compile(r"분야")
_THIS_WEEK = re.compile(r"이번\s*주|금주")
_QUESTION = re.compile(r"몇|얼마|언제|어디|누가|누구|무엇|뭐|\?|현황|규모|실적")
_ASKS = re.compile(r"몇|얼마|언제|어디|누가|누구|무엇|뭐|\?\s*$")
_REMIND = re.compile(r"알려\s*줘|알려\s*주세요|리마인드|리마인더")
_SPENDING_VERB = re.compile(r"지출|결제|썼|사용했|집행했")
_DONE = re.compile(r"다녀왔|다녀옴|했음|했어|완료|가졌|마쳤")
_AHEAD = re.compile(r"예정|내일|모레|다음")
_STATS = re.compile(r"통계|미방문|안\s*간|분포")
_COUNCIL_ASKED = re.compile(r"시의회|의회|의원")
_COUNCIL_TYPE = re.compile(r"의원|의장|상임위|의회|의견청취")
_TIME_ONLY = re.compile(r"^\s*(?:오전|오후|아침|점심|저녁|밤|새벽)?\s*(?:\d{1,2}\s*시(?:\s*\d{1,2}\s*분|\s*반)?|"
                        r"\d{1,2}:\d{2}|정오|자정)\s*(?:에|으로|로)?\s*$")
_PROGRESS = re.compile(r"^\s*(?:진행률|진척률|진도)?\s*[:：]?\s*(\S+?)\s*%?\s*$")
_PROGRESS_WORD = re.compile(r"^\s*(진행률|진척률|진도)")
_STATUS = re.compile(r"^\s*(?:상태\s*[:：]?\s*)?(\S+)\s*(?:[—–\-:：]+\s*(.*))?$")
_NOTE = re.compile(r"^\s*메모\s*[:：]?\s*(.+)$", re.S)
_FILLER = re.compile(
    r"공약|현황|진행률|진척|세부\s*사업|사업|이행|상황|어때|어떻게|돼|되고|있어|알려\s*줘|보여\s*줘|[?!.,]"
)
# Words that ask for the totals or the state of the pledges, or only carry the question: never searched for
# ("공약 전체현황 좀", "핵심공약 총", "공약 이행률 엇때", "추진 상황 어떻게 되고 있는지").
PLEDGE_TOTALS = re.compile(
    r"현황|전체|전반\S*|전부|총|요약|개요|통계|분포|이행률|이행|진행률|진행|진척률?|추진|상황|실적|정도|수준|얼마나|"
    r"어때|엇때|어떄|어떤지|어떻게|어떠|궁금"
)
_NOT_CONTENT = re.compile(
    r"(?:핵심)?공약(?:사업)?|세부\s*사업|사업|분야별?|핵심|정책|민선7기|시장님|목록|리스트|몇|개|건|가지|"
    r"한번|다|모두|좀|ㄱ+|볼|수|있[어나니는을음지]?\S*|되[고는어]\S*|돼\S*|됐\S*|해\S*|하[고는]\S*|"
    r"봐\S*|보[여고]\S*|알려\S*|주세요|줘|줄래|있을까요?|싶\S*|인가요?|인지|이야|야|요|적으로|별로?|"
    r"[?!.,~]+"
)
_TOTALS_WORDS = ("현황", "전체", "요약", "상황", "진행", "추진", "이행률", "진행률")
_STEM_TAIL = re.compile(r"(?:은|는|이|가|을|를|의|도|로|으로|에|에서|별|별로|적으로|이랑|랑|하고|좀|요)$")
_CODE = re.compile(r"\b[A-Za-z]{1,4}[-_]?\d[\w-]{0,20}\b")


def budget_view(text: str) -> str:
    """'c' chart, 't' monthly trend, 'f' fields, 's' the summary."""
    return "c" if _CHART.search(text) else "t" if _TREND.search(text) else "f" if _FIELDS.search(text) else "s"


def asks_this_week(text: str) -> bool:
    return bool(_THIS_WEEK.search(text))


def looks_like_question(text: str) -> bool:
    return bool(_QUESTION.search(text))


def asks_something(text: str) -> bool:
    """A question by its words or its mark (현황, 규모 alone may be data: a fact's answer, a memo)."""
    return bool(_ASKS.search(text))


def asks_to_remind(text: str) -> bool:
    return bool(_REMIND.search(text))


def has_spending_verb(text: str) -> bool:
    return bool(_SPENDING_VERB.search(text))


def says_done(text: str) -> bool:
    """The words say it happened (다녀왔음, 가졌음): a future date then is a mistake."""
    return bool(_DONE.search(text))


def reads_as_past(text: str) -> bool:
    """A date typed for a log is read as a past one unless the words look ahead (예정, 내일, 다음…)."""
    return not _AHEAD.search(text)


def asks_statistics(text: str) -> bool:
    return bool(_STATS.search(text))


def council_types(text: str, meeting_types: Sequence[str]) -> list[str] | None:
    """The council's meeting types when the question names the council (시의회 간담회 내역), else None."""
    return [t for t in meeting_types if _COUNCIL_TYPE.search(t)] if _COUNCIL_ASKED.search(text) else None


def is_time_only(text: str) -> bool:
    """'오후 4시', '15:30': a new time for the same day."""
    return bool(_TIME_ONLY.match(text))


@dataclass(frozen=True)
class PledgeSearch:
    code: str | None
    status: str | None
    words: tuple[str, ...]


def asks_pledge_totals(text: str) -> bool:
    """The words ask for the pledges' totals or state (현황, 전체, 총, 이행률, 추진 상황…)."""
    return bool(PLEDGE_TOTALS.search(text))


def _content(word: str) -> bool:
    """A word worth searching pledge titles for: not a totals word, a question's ending or a particle."""
    if PLEDGE_TOTALS.fullmatch(word) or _NOT_CONTENT.fullmatch(word):
        return False
    stem = _STEM_TAIL.sub("", word)
    if len(stem) <= 3 and any(one_letter_off(stem, w) for w in _TOTALS_WORDS if len(w) == len(stem)):
        return False  # 헌황, 젼체: a totals word typed one letter off
    rest = PLEDGE_TOTALS.sub("", stem)
    return len(rest) >= 2 and not _NOT_CONTENT.fullmatch(rest) and not _NOT_CONTENT.fullmatch(stem)


def pledge_search(text: str, statuses: Sequence[str]) -> PledgeSearch:
    code = _CODE.search(text)
    words = tuple(w for w in _FILLER.sub(" ", text).split() if w and _content(w))
    status = next((w for w in words if w in statuses), None)
    words = tuple(w for w in words if w != status and (code is None or w != code.group(0)))
    return PledgeSearch(code.group(0) if code else None, status, words)


def update_kind(text: str) -> str:
    """What a card update typed in chat changes: 'p' progress, 'n' a note, 's' the status."""
    return "p" if _PROGRESS_WORD.match(text) else "n" if text.strip().startswith("메모") else "s"


def read_progress(text: str) -> int | str:
    """A percentage 0..100, or the Korean reason it is not one."""
    match = _PROGRESS.match(text)
    value = match.group(1).rstrip("%") if match else ""
    if not value.isdigit() or not 0 <= int(value) <= 100:
        return "진행률은 0~100 사이의 정수로 입력하세요. 예: 진행률 45%"
    return int(value)


def read_status(text: str, statuses: Sequence[str]) -> tuple[str, str | None] | str:
    """(status, reason), or the Korean reason the text names no status."""
    match = _STATUS.match(text)
    if not match or match.group(1) not in statuses:
        return f"상태는 {', '.join(statuses)} 중 하나입니다. 예: 상태 지연 — 부지 협의 지연"
    return match.group(1), (match.group(2) or "").strip() or None


def read_note(text: str) -> str:
    match = _NOTE.match(text)
    return (match.group(1) if match else text).strip()

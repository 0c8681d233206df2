"""Follow-ups in words on one's latest items: which kind of item an undo names, how long a reminder is put off,
which reminder the words point at, the corrected amount, which file an export asks for. Pure.

    >>> read_delay("개관식 알림 한 시간 미뤄줘")
    60
    >>> target_words("회의 알림 내일 9시로")
    ('회의',)
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .amounts import Amount, AmountFailure, find_amount

# The kinds of one's own entries an undo can take back, by the words that name them (first match wins).
UNDO_KINDS: Mapping[str, tuple[str, ...]] = {
    "spending": ("지출", "결제", "금액", "업무추진비", "카드"),
    "visit": ("현장방문", "방문", "현장점검"),
    "meeting": ("간담회", "면담", "회의", "미팅"),
    "reminder": ("알림", "알람", "리마인더", "리마인드"),
    "event": ("일정", "행사", "스케줄"),
}
# Export subjects, by the words that name them; the value is the `what` slot of the `export` kind.
EXPORT_WHAT: Mapping[str, tuple[str, ...]] = {
    "visits": ("현장방문", "방문"),
    "meetings": ("간담회", "면담", "회의"),
    "budget": ("예산", "업무추진비", "지출", "장부", "집행"),
    "pledges": ("공약", "세부사업"),
    "facts": ("보고서 자료", "자료", "수치", "팩트"),
}

_COUNT_WORDS = {
    "한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10,
    "열두": 12, "스무": 20,
}
_SINO = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9}
_NUMBER = r"\d+|열두|스무|다섯|여섯|일곱|여덟|아홉|한|두|세|네|열|[이삼사오육]?십[일이삼사오육칠팔구]?|반"
_SPAN = re.compile(
    rf"(?:(?P<hours>{_NUMBER})\s*시간\s*(?P<half>반)?)?\s*(?:(?P<minutes>{_NUMBER})\s*분)?"
    r"\s*(?:만\s*|정도\s*|쯤\s*)?(?P<verb>뒤|후|미뤄|미루|늦춰|늦게|연기|있다가)"
)
# Words of the request itself, not of the reminder's title (compared after the particles are cut off).
_STOP_WORDS = (
    "알림 알람 리마인더 리마인드 그거 이거 저거 그것 이것 방금 아까 조금 전 지금 막 거 것 그 이 저 좀 다시 잠깐 잠시 "
    "내 제 나 나의 뒤 후 뒤로 후로 뒤에 후에 미뤄 미뤄줘 미뤄주세요 미루기 늦춰 늦춰줘 늦춰주세요 연기 연기해줘 "
    "옮겨 옮겨줘 옮겨주세요 바꿔 바꿔줘 바꿔주세요 변경 변경해줘 고쳐줘 해줘 해주세요 줘 주세요 부탁 부탁해 "
    "내일 모레 오늘 오전 오후 아침 저녁 점심 정오 자정 한 두 세 네 시간 반 있다가 온 받은 울린 보낸 정도 쯤 만"
)
_STOP = frozenset(_STOP_WORDS.split())
_PARTICLE = re.compile(r"(?:으로|로|을|를|은|는|이|가|에|도|만|까지|부터)$")
_TIMEISH = re.compile(
    r"^(?:\d+|[일이삼사오육칠팔구십]+)(?:분|시간|시|일|월|년)(?:반)?(?:으로|로|에|까지)?$|^\d+$|[:/.]"
)
_WORD = re.compile(r"[가-힣A-Za-z0-9:/.]+")
_DEICTIC = re.compile(r"(?:^|\s)(?:그|이|저|방금|아까|조금\s*전|막)\s*(?:온\s*|받은\s*|보낸\s*|울린\s*)?"
                      r"(?:알림|알람|거|것|리마인더)")


def _count(word: str | None) -> int | None:
    if not word:
        return None
    if word.isdigit():
        return int(word)
    if word in _COUNT_WORDS:
        return _COUNT_WORDS[word]
    if word == "반":
        return None
    tens, _, ones = word.partition("십")
    return (_SINO.get(tens, 1) if tens else 1) * 10 + (_SINO.get(ones, 0) if ones else 0)


def read_delay(text: str) -> int | None:
    """Minutes a reminder is put off by: "30분 뒤로" → 30, "한 시간 미뤄줘" → 60, "1시간 반 후에" → 90;
    None when the words give no span (a new time instead: "내일 9시로")."""
    for match in _SPAN.finditer(text):
        hours, minutes = _count(match["hours"]), _count(match["minutes"])
        total = (hours or 0) * 60 + (30 if match["half"] else 0) + (minutes or 0)
        if "반" in (match["hours"], match["minutes"]) and not total:  # "반 시간", "반 분" said for half an hour
            total = 30
        if total > 0:
            return total
    if re.search(r"(?:조금|좀|잠깐|잠시)\s*(?:만\s*)?(?:뒤|후|미뤄|있다가)", text):
        return 10
    return None


def target_words(text: str) -> tuple[str, ...]:
    """The words of a request that may name the reminder meant ("회의 알림 내일 9시로" → 회의)."""
    words = []
    for raw in _WORD.findall(text):
        if raw in _STOP or _TIMEISH.search(raw):
            continue
        word = _PARTICLE.sub("", raw) if len(raw) > 2 else raw
        if len(word) >= 2 and word not in _STOP and not _TIMEISH.search(word):
            words.append(word)
    return tuple(dict.fromkeys(words))


def points_at_last(text: str) -> bool:
    """The words point at a reminder just seen: "그 알림", "방금 알림", "아까 거"."""
    return bool(_DEICTIC.search(text))


def named_kind(text: str, kinds: Mapping[str, tuple[str, ...]] = UNDO_KINDS) -> str | None:
    """The kind of item the words name (the first of `kinds` one of whose words appears), or None."""
    squeezed = re.sub(r"\s+", "", text)
    for kind, words in kinds.items():
        if any(re.sub(r"\s+", "", word) in squeezed for word in words):
            return kind
    return None


def export_what(text: str) -> str | None:
    """What an export request asks for: visits, meetings, budget, pledges or facts (None: not said)."""
    return named_kind(text, EXPORT_WHAT)


def corrected_amount(text: str) -> Amount | AmountFailure | None:
    """The amount a correction asks for: the last one written ("12만원 아니고 13만원" → 13만원)."""
    last: Amount | AmountFailure | None = None
    rest = text
    while (found := find_amount(rest)) is not None:
        last = found
        if not isinstance(found, Amount):
            break
        rest = found.rest
    return last


_NOT_A_TIME = re.compile(r"방금|아까|조금\s*전|지금|막\s")


def when_words(text: str) -> str:
    """The request without the words that point back in time ("방금 알림 …" is not a reminder for now)."""
    return _NOT_A_TIME.sub(" ", text)

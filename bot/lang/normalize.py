"""Chat and dictated Korean → the Korean the readers know, before any reading of a message.

``normalize(text)`` runs, in order:
1. NFC, invisible characters out, spaces collapsed; laughter and emoticons (ㅋㅋ, ㅠㅠ, ^^) dropped;
2. whole-message acknowledgements and thanks: ㅇㅋ/넵 → 네, ㄳ/감사 → 감사합니다;
3. fillers of dictated speech (어, 음, 그러니까…) and softeners (좀, 혹시) dropped as words of their own;
4. chat spellings of the office's words and of days/weeks/months (담주 → 다음주, 화욜 → 화요일, 업추비 →
   업무추진비, 간담 → 간담회);
5. one-letter typos of known words (잔엑 → 잔액, 간담호 → 간담회, 현장방뭄 → 현장방문), only when the repair
   is unique, the word has three syllables or is whitelisted, and the typed word is not a word itself; day words
   (어제, 오늘, 그제…) only for a slip of one vowel that sounds or sits alike (어재 → 어제, 오눌 → 오늘);
6. spaces the readers need between glued known words ("업무추진비잔액얼마" → "업무추진비 잔액 얼마");
7. numbers in words: 이십칠만 오천 원 → 275,000원, 오후 네 시 반 → 오후 4시 30분, 세 명 → 3명;
8. request wrappers: "…해 주실 수 있을까요?" → "…해줘", "기록 부탁드립니다" → "기록해줘" (``polite_request``).

The tables are in :mod:`bot.lang.chat_words`; the office's vocabulary also comes from the intent table, the
field words and the names. Everything is compiled once; results are cached per text.
``split_requests(text)`` cuts two requests in one message apart when each half has its own subject.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from . import chat_words as cw
from .field_words import CATEGORY_WORDS
from .field_words import MEETING_WORDS as MEETING_TYPE_WORDS
from .intent_table import INTENTS, LOG_MARKERS, QUERY_MARKERS
from .moneyfmt import format_won_words
from .names import DEFAULT_NAMES


@dataclass(frozen=True, slots=True)
class Normalized:
    text: str  # the normalised message: what the readers (dates, amounts, intents) read
    typed: str  # as typed (NFC, stripped)
    fixes: tuple[str, ...]  # what was changed, for debugging ("typo:잔엑→잔액", "num:…", "filler:음")
    polite_request: bool  # the message ended in a request wrapper (…해 주세요, 부탁드립니다, 해줘)


_READ_LIMIT = 2000  # characters normalised; the rest of a longer message follows as typed


def normalize(text: str) -> Normalized:
    """The message as the readers want it; see the module docstring for the steps. Only the first
    2,000 characters are normalised (at a space): the rest follows as typed, so that a reader that refuses an
    overlong message or memo still sees how long it was."""
    if len(text) <= _READ_LIMIT:
        return _normalize(text)
    cut = text.rfind(" ", 0, _READ_LIMIT) + 1 or _READ_LIMIT
    head = _normalize(text[:cut])
    return Normalized(f"{head.text} {text[cut:]}", f"{head.typed} {text[cut:]}", head.fixes, head.polite_request)


# ---------------------------------------------------------------- compiled tables

_HANGUL = re.compile(r"[가-힣]")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff]")
_SPACES = re.compile(r"\s+")
_NOISE = re.compile(r"[ㅋㅎㅠㅜ]{2,}|\^+[_\-]?\^+|;;+")
_ACK_EDGES = " .,!?~^"
_PUNCT_TAIL = ",…~.!?"


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


_FOLLOW = rf"(?=$|[^가-힣]|(?:{_alternation(cw.FOLLOWERS)}))"
_GLUED = re.compile(rf"(?<![가-힣])(?:{_alternation(cw.GLUED_SPELLINGS)})")
_WORDS = re.compile(rf"(?<![가-힣])(?:{_alternation(cw.WORD_SPELLINGS)}){_FOLLOW}")
_WEEKDAY_AFTER_WEEK = re.compile(r"(?:(?<=주)|(?<=주 ))([월화수목금토])(?=\s|\d|$)")
_WEEKDAY = re.compile(rf"(?:(?<![가-힣])|(?<=주))([{cw.WEEKDAYS}])욜(?=$|[^가-힣]|날|(?:{_alternation(cw.FOLLOWERS)}))")

_SINO_ALL = "일이삼사오육칠팔구십백천만억조"
_SINO_NOBIG = "일이삼사오육칠팔구십백천"
_SINO_NUM = rf"[{_SINO_ALL}](?:[{_SINO_ALL}]|(?<=[만억조]) (?=[{_SINO_NOBIG}]))*"
_SINO = re.compile(
    rf"(?<![가-힣\d])(?P<num>{_SINO_NUM})(?P<sp>\s?)(?P<unit>{_alternation(cw.SINO_COUNTERS)}){_FOLLOW}"
)
_SINO_BARE = re.compile(rf"(?<![가-힣\d])(?P<num>{_SINO_NUM}){_FOLLOW}")
_IRREGULAR_MONTH = re.compile(rf"(?<![가-힣])({_alternation(cw.IRREGULAR_MONTHS)}){_FOLLOW}")
_DAY_AFTER = re.compile(rf"\s?(?:\d{{1,2}}|[{_SINO_NOBIG}]+)\s?일")


def _native_values() -> dict[str, int]:
    values: dict[str, int] = {}
    for tens, ten in (("", 0), *cw.NATIVE_TENS.items()):
        for unit, one in (("", 0), *cw.NATIVE_UNITS.items()):
            if (tens == "스무" and unit) or (not tens and not unit) or (tens == "스물" and not unit):
                continue
            for joint in ("", " ") if tens and unit else ("",):
                values[f"{tens}{joint}{unit}"] = ten + one
    return values


_NATIVE = _native_values()
_NATIVE_RE = re.compile(
    rf"(?<![가-힣])(?P<num>{_alternation(_NATIVE)})(?P<sp>\s?)(?P<unit>{_alternation(cw.NATIVE_COUNTERS)})"
    rf"(?!간){_FOLLOW}"
)
_HALF_HOUR = re.compile(r"(?<!\d)(\d{1,2})시\s?반(?=$|[^가-힣]|에|까지|부터|쯤|경|께|으로|로)")

_WRAPPER = re.compile(
    rf"(?<=[가-힣])(?P<ha>\s?(?:해|하여))?\s?(?P<w>{'|'.join(cw.REQUEST_WRAPPERS)})(?P<end>[.!?~,]*)(?=\s|$)"
)
_PLEASE = re.compile(
    rf"(?<![가-힣])(?P<noun>[가-힣]+?)(?:을|를)?\s?(?:{cw.PLEASE_WORDS}|{cw.POSSIBLE_WORDS})(?P<end>[.!?~]*)(?=\s|$)"
)
_REQUEST_END = re.compile(r"줘[.!?~]*$")
_CUTE_REQUEST = re.compile(cw.CUTE_REQUEST)
_GO_END = re.compile(cw.GO_END)
_NOUN_YO = re.compile(cw.NOUN_YO)
_VERBAL_NOUNS = frozenset(cw.VERBAL_NOUNS)
_NOT_PLEASE = frozenset(cw.NOT_PLEASE)

_ACKS = {key.lower(): value for key, value in cw.ACKS.items()}
_FILLERS = frozenset(cw.FILLERS)
_WEAK = frozenset(cw.WEAK_FILLERS)
_NOT_LAST = frozenset(cw.NOT_LAST_FILLERS)
_SOFTENERS = frozenset(cw.SOFTENERS)
_ANY_FILLER = _FILLERS | _WEAK | _NOT_LAST
_NOT_NUMBERS = frozenset(cw.NOT_NUMBERS)
_DIGIT = {char: index + 1 for index, char in enumerate(cw.SINO_DIGITS)}
_SMALL = {"십": 10, "백": 100, "천": 1000}
_BIG = {"만": 10**4, "억": 10**8, "조": 10**12}


def _plain_words(words: Iterable[str]) -> set[str]:
    return {squeezed for word in words if re.fullmatch(r"[가-힣0-9]{2,}", squeezed := word.replace(" ", ""))}


@cache
def _vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """(every office word, for spacing; the nouns among them, for typo repair)."""
    nouns = _plain_words(cw.OFFICE_WORDS) | _plain_words(cw.TIME_WORDS)
    for table in (CATEGORY_WORDS, MEETING_TYPE_WORDS):
        nouns |= _plain_words(table) | _plain_words(word for words in table.values() for word in words)
    nouns |= _plain_words(name for names in DEFAULT_NAMES.values() for name in names)
    every = set(nouns) | _reader_words()
    return frozenset(every), frozenset(nouns)


@cache
def _reader_words() -> frozenset[str]:
    """The words the readers act on: the intents' keywords, the markers of a query or a log, asking words."""
    words = _plain_words(cw.ASKING_WORDS) | _plain_words(QUERY_MARKERS) | _plain_words(LOG_MARKERS)
    for entry in INTENTS:
        words |= _plain_words(entry.get("keywords", {}))
    return frozenset(words)


@cache
def _compound_tails() -> frozenset[str]:
    """Nouns that, glued after another noun, finish one name ("회의자료", "강북구쪽방촌"): no reader acts on
    them alone, so the glued word is a title or a place as typed, not words to space apart. Names (of a
    district, a council, a budget line) and verbal nouns (등록, 추가: a request) are always spaced off."""
    _every, nouns = _vocabulary()
    names = _plain_words(name for names in DEFAULT_NAMES.values() for name in names)
    return nouns - _reader_words() - _plain_words(cw.TIME_WORDS) - _plain_words(cw.VERBAL_NOUNS) - names


# ---------------------------------------------------------------- typo index


def _syllable(char: str) -> tuple[int, int, int] | None:
    code = ord(char) - 0xAC00
    return (code // 588, code % 588 // 28, code % 28) if 0 <= code < 11172 else None


def _jamo_keys(word: str) -> Iterable[tuple[str, int, int, int, str]]:
    """One key per letter of the word, with that letter left out: words one letter apart share a key."""
    for at, char in enumerate(word):
        parts = _syllable(char)
        if parts is None:
            continue
        for slot in range(3):
            kept = parts[:slot] + parts[slot + 1 :]
            yield word[:at], slot, kept[0], kept[1], word[at + 1 :]


@cache
def _typo_index() -> tuple[dict[tuple[str, int, int, int, str], frozenset[str]], dict[str, frozenset[str]]]:
    _every, nouns = _vocabulary()
    short = frozenset(cw.SHORT_TYPO_WORDS)
    # A misspelt district is a place a record would keep: its readers ask back (강북군 → 강북구를 말씀하신
    #건가요?) instead of storing a guess, so the normaliser leaves it as typed.
    places = _plain_words(DEFAULT_NAMES.get("district", ()))
    by_letter: dict[tuple[str, int, int, int, str], set[str]] = {}
    by_drop: dict[str, set[str]] = {}
    for word in nouns:
        if (len(word) < 3 and word not in short) or word in places:
            continue
        for key in _jamo_keys(word):
            by_letter.setdefault(key, set()).add(word)
        if len(word) >= 4:
            for at in range(1, len(word) - 1):  # a syllable left out inside: 업무추비; not a cut word
                by_drop.setdefault(word[:at] + word[at + 1 :], set()).add(word)
    return ({key: frozenset(words) for key, words in by_letter.items()},
            {key: frozenset(words) for key, words in by_drop.items()})


_TYPO_SUFFIXES = tuple(sorted(cw.TYPO_SUFFIXES, key=len, reverse=True))
_NOT_TYPOS = frozenset(cw.NOT_TYPOS)


def _stems(word: str, suffixes: tuple[str, ...] = _TYPO_SUFFIXES) -> Iterable[tuple[str, str]]:
    yield word, ""
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            yield word[: -len(suffix)], suffix


def _repair(word: str) -> str | None:
    """The known word ``word`` was meant to be, when exactly one is one letter or syllable away."""
    every, nouns = _vocabulary()
    stems = list(_stems(word))
    if any(stem in every or stem in _NOT_TYPOS for stem, _suffix in stems):
        return None
    by_letter, by_drop = _typo_index()
    for stem, suffix in stems:
        found: set[str] = set()
        for key in _jamo_keys(stem):
            found |= by_letter.get(key, frozenset())
        found |= by_drop.get(stem, frozenset()) if len(stem) >= 3 else frozenset()
        for at in range(1, len(stem)):
            if stem[at] == stem[at - 1] and (undoubled := stem[:at] + stem[at + 1 :]) in nouns:
                found.add(undoubled)
        found.discard(stem)
        if len(found) == 1:
            return found.pop() + suffix
        if found:
            return None
    return None


_JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_VOWEL_SLIPS = frozenset(
    frozenset((_JUNGSEONG.index(one), _JUNGSEONG.index(other))) for one, other in cw.DAY_VOWEL_SLIPS
)


def _vowel_slip(typed: str, meant: str) -> bool:
    """``typed`` is ``meant`` with one syllable's vowel slipped to a look- or sound-alike (어재 for 어제)."""
    if len(typed) != len(meant):
        return False
    differ = [(one, other) for one, other in zip(typed, meant, strict=True) if one != other]
    if len(differ) != 1:
        return False
    one, other = (_syllable(char) for char in differ[0])
    return (one is not None and other is not None and one[0] == other[0] and one[2] == other[2]
            and frozenset((one[1], other[1])) in _VOWEL_SLIPS)


def _day_slip(word: str) -> str | None:
    """The day word (어제, 오늘, 그제…) ``word`` was meant to be, kept with its particle; None if not exactly one."""
    every, _nouns = _vocabulary()
    for stem, suffix in _stems(word):
        if stem in every or stem in _NOT_TYPOS or stem in cw.DAY_NOT_SLIPS:
            continue
        found = [day for day in cw.DAY_WORDS if _vowel_slip(stem, day)]
        if len(found) == 1:
            return found[0] + suffix
    return None


_JONGSEONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_KEY_VOWELS = frozenset(frozenset((_JUNGSEONG.index(a), _JUNGSEONG.index(b))) for a, b in cw.LOG_VOWEL_SLIPS)
_KEY_FINALS = frozenset(frozenset((_JONGSEONG.index(a), _JONGSEONG.index(b))) for a, b in cw.LOG_FINAL_SLIPS)
_LOG_TAILS = tuple(sorted({*cw.LOG_VERB_TAILS, *cw.TYPO_SUFFIXES}, key=len, reverse=True))


def _key_slip(typed: str, meant: str) -> bool:
    """``typed`` is ``meant`` with one syllable's vowel or final consonant slipped to a neighbouring key
    (졈검 for 점검, 방뭄 for 방문), or a final left out before the last syllable (바문 for 방문)."""
    if len(typed) != len(meant):
        return False
    differ = [at for at, (one, other) in enumerate(zip(typed, meant, strict=True)) if one != other]
    if len(differ) != 1:
        return False
    one, other = _syllable(typed[differ[0]]), _syllable(meant[differ[0]])
    if one is None or other is None or one[0] != other[0]:
        return False
    if one[2] == other[2]:
        return frozenset((one[1], other[1])) in _KEY_VOWELS
    dropped = one[2] == 0 and differ[0] < len(meant) - 1
    return one[1] == other[1] and (dropped or frozenset((one[2], other[2])) in _KEY_FINALS)


def _one_log_word(stem: str) -> str | None:
    found = [word for word in cw.LOG_WORDS if _key_slip(stem, word)]
    return found[0] if len(found) == 1 else None


def _log_slip(word: str) -> str | None:
    """The log word (방문, 점검, 오전…) ``word`` was meant to be, alone or in a compound with a known word, kept
    with its ending; None when it is a word itself or not exactly one fits."""
    every, _nouns = _vocabulary()
    for stem, suffix in _stems(word, _LOG_TAILS):
        if stem in every or stem in _NOT_TYPOS or stem in cw.LOG_NOT_SLIPS or stem in cw.DAY_NOT_SLIPS:
            continue
        if (alone := _one_log_word(stem)) is not None:
            return alone + suffix
        for cut in range(2, len(stem) - 1):
            head, tail = stem[:cut], stem[cut:]
            if head in every and tail not in cw.LOG_NOT_SLIPS and (fixed := _one_log_word(tail)) is not None:
                return head + fixed + suffix
            if tail in every and head not in cw.LOG_NOT_SLIPS and (fixed := _one_log_word(head)) is not None:
                return fixed + tail + suffix
    return None


# ---------------------------------------------------------------- spacing


@cache
def _by_first_letter() -> dict[str, tuple[str, ...]]:
    every, _nouns = _vocabulary()
    table: dict[str, list[str]] = {}
    for word in every:
        table.setdefault(word[0], []).append(word)
    return {first: tuple(sorted(words, key=len, reverse=True)) for first, words in table.items()}


_NUMBER_PIECE = re.compile(
    r"\d+(?:[.,]\d+)*(?:시간|개월|천원|만원|억원|[시분원만억천일월년명건회개주차번%])?"
)
_SPACEABLE = re.compile(r"[가-힣0-9.,%]{4,}")
# A word ending like an office, a post or a body is a name (기획조정실, 복지정책실장, 도시재생본부): kept whole.
_NAME_END = re.compile(r"(?:실|국|과|본부|실장|국장|과장|본부장|위원회|위원장|협의회|센터|구청|시청|사업소|재단|공사)$")


def _space_word(word: str) -> str:
    """Spaces between the known words (and numbers) glued in ``word``; unknown stretches stay attached."""
    if not _SPACEABLE.fullmatch(word) or not _HANGUL.search(word) or _NAME_END.search(word):
        return word
    table = _by_first_letter()
    pieces: list[tuple[int, int]] = []
    at = 0
    while at < len(word):
        number = _NUMBER_PIECE.match(word, at) if word[at].isdigit() else None
        found = number.end() if number else next(
            (at + len(known) for known in table.get(word[at], ()) if word.startswith(known, at)), 0
        )
        if found:
            pieces.append((at, found))
            at = found
        else:
            at += 1
    if sum(end - start for start, end in pieces) < len(word):
        return word  # an unknown stretch (수유시장, 공구상가): a name, kept whole
    cuts = [start for index, (start, end) in enumerate(pieces)
            if start > 0 and ((index > 0 and pieces[index - 1][1] <= start
                               and not _compound(word[slice(*pieces[index - 1])], word[start:end]))
                              or (index == 0 and start >= 2))]
    for cut in reversed(cuts):
        word = f"{word[:cut]} {word[cut:]}"
    return word


def _compound(before: str, after: str) -> bool:
    """Two glued nouns that make one name: ``after`` finishes it and ``before`` is no day, time or number."""
    return after in _compound_tails() and not before[0].isdigit() and before not in _TIME_WORDS


_TIME_WORDS = frozenset(cw.TIME_WORDS)


# ---------------------------------------------------------------- numbers


def _sino_value(number: str) -> tuple[int, bool] | None:
    """(value, whether it ends in a bare 천/백 right after 억: "일억 이천" said for 1억 2천만)."""
    total = section = 0
    digit: int | None = None
    last_small, last_big = 10**5, 10**13
    for char in number.replace(" ", ""):
        if char in _DIGIT:
            if digit is not None:
                return None
            digit = _DIGIT[char]
        elif char in _SMALL:
            if _SMALL[char] >= last_small:
                return None
            section += (digit or 1) * _SMALL[char]
            digit, last_small = None, _SMALL[char]
        else:
            if _BIG[char] >= last_big:
                return None
            total += ((section + (digit or 0)) or 1) * _BIG[char]
            section, digit, last_small, last_big = 0, None, 10**5, _BIG[char]
    rest = section + (digit or 0)
    return total + rest, last_big == 10**8 and 0 < rest < 10**4 and rest % 100 == 0 and digit is None


def _sino(match: re.Match[str]) -> str | None:
    number, unit, spaced = match["num"], match["unit"], bool(match["sp"])
    if number[0] in _BIG:
        return None  # 만 원, 억 원: no count before the unit ("몇 만 원")
    month_with_day = number + unit in ("일월", "이월") and bool(_DAY_AFTER.match(match.string, match.end()))
    if not month_with_day and (number + unit in _NOT_NUMBERS or (len(number) == 1 and (
        number == "이" or (not spaced and unit not in cw.SINGLE_GLUED_COUNTERS)
    ))):
        return None
    read = _sino_value(number)
    if read is None or (unit == "월" and not 1 <= read[0] <= 12):
        return None
    return f"{read[0]:,}원" if unit == "원" else f"{read[0]}{unit}"


def _sino_bare(match: re.Match[str]) -> str | None:
    number = match["num"]
    squeezed = number.replace(" ", "")
    if squeezed in _NOT_NUMBERS or squeezed[0] in _BIG or not re.search("[억조]|[십백천][만]", squeezed):
        return None
    read = _sino_value(number)
    if read is None:
        return None
    rest = read[0] % 10**4 if read[1] else 0
    value = read[0] - rest + rest * 10**4
    return format_won_words(value).removesuffix("원")


def _native(match: re.Match[str]) -> str | None:
    value, unit = _NATIVE[match["num"]], match["unit"]
    if (unit == "시" and not 1 <= value <= 12) or (match["num"] == "한" and unit == "번"):
        return None
    return f"{value}{unit}"


def _irregular_month(match: re.Match[str]) -> str:
    return f"{cw.IRREGULAR_MONTHS[match[1]]}월"


def _half_hour(match: re.Match[str]) -> str | None:
    if match.string.startswith(" 간", match.end()):
        return None  # the date reader takes "30분 간담회" for "30분간" (a duration); "4시 반 간담회" it reads
    return f"{match[1]}시 30분"


def _replace_all(
    pattern: re.Pattern[str], text: str, make: Callable[[re.Match[str]], str | None], tag: str, fixes: list[str]
) -> str:
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        replacement = make(match)
        if replacement is None or replacement == match.group():
            continue
        out += (text[last : match.start()], replacement)
        fixes.append(f"{tag}:{match.group().strip()}→{replacement}")
        last = match.end()
    return "".join(out) + text[last:] if out else text


# ---------------------------------------------------------------- spellings, fillers, requests


def _spelled(match: re.Match[str], replacement: str) -> str | None:
    """``replacement``, unless the text already goes on as it does ("업무추진비" is not 업무추진 + 비)."""
    key = match.group()
    tail = replacement[replacement.rfind(key[-1]) + 1 :] if key[-1] in replacement else ""
    goes_on = match.string[match.end() : match.end() + 2]  # "구청장협의휘": the same word, mistyped
    if tail and (match.string.startswith(tail, match.end()) or (
        len(goes_on) == 2 and goes_on[0] == tail[0] and _HANGUL.match(goes_on[1])
    )):
        return None
    return replacement


def _glued(match: re.Match[str]) -> str | None:
    return _spelled(match, cw.GLUED_SPELLINGS[match.group()])


def _word(match: re.Match[str]) -> str | None:
    return _spelled(match, cw.WORD_SPELLINGS[match.group()])


def _weekday(match: re.Match[str]) -> str:
    return f"{match[1]}요일"


def _weekday_after_week(match: re.Match[str]) -> str:
    glued = match.string[match.start() - 1] == "주"
    return f"{' ' if glued else ''}{match[1]}요일"


def _drop_fillers(words: list[str], fixes: list[str]) -> list[str]:
    cores = [word.rstrip(_PUNCT_TAIL) for word in words]
    kept: list[str] = []
    for at, (word, core) in enumerate(zip(words, cores, strict=True)):
        paused = len(core) < len(word) and word[len(core)] in cw.PAUSE_MARKS
        near_filler = (at > 0 and cores[at - 1] in _ANY_FILLER) or (
            at + 1 < len(words) and cores[at + 1] in _ANY_FILLER
        )
        if core in _FILLERS or (core in _NOT_LAST and at + 1 < len(words)) or (core in _WEAK and (
            paused or near_filler
        )):
            fixes.append(f"filler:{core}")
        elif core in _SOFTENERS:
            fixes.append(f"soft:{core}")
        elif len(core) >= 3 and core.endswith("좀") and _HANGUL.match(core[-2]):
            fixes.append(f"soft:{core}")
            kept.append(core[:-1] + word[len(core) :])
        else:
            kept.append(word)
    return kept if kept else words


def _wrapper(match: re.Match[str]) -> str:
    if match["w"] == "줘" and not match["ha"]:
        return match.group()  # already the plain form ("알려줘", "알림 줘")
    ha = match["ha"] or ""
    verb_ending = (" 해" if ha.startswith(" ") else "해") if ha else ""
    return verb_ending + ("주고" if match["w"].endswith("고") else "줘")


def _please(match: re.Match[str]) -> str:
    noun = match["noun"]
    if noun in _NOT_PLEASE:
        return match.group()
    return f"{noun}해줘" if noun in _VERBAL_NOUNS else noun


def _chat_requests(text: str, fixes: list[str]) -> str:
    """Chat and cute request endings as the plain request: 알려쥬 → 알려줘, "지출 내역 ㄱㄱ" → "… 보여줘",
    "등록 ㄱ" → "등록해줘", "일정 추가요" → "일정 추가해줘"."""
    text = _replace_all(_CUTE_REQUEST, text, lambda _match: "줘", "chat", fixes)
    if (go := _GO_END.search(text)) is not None and go.start() > 0:
        noun = _stem_before(text, go.start())
        asked = "해줘" if noun in cw.GO_DO_NOUNS else " 보여줘"
        fixes.append(f"chat:{go.group().strip()}→{asked.strip()}")
        text = text[: go.start()] + asked
    if (yo := _NOUN_YO.search(text)) is not None and yo["noun"] in _VERBAL_NOUNS:
        fixes.append(f"polite:{yo.group().strip()}→{yo['noun']}해줘")
        text = text[: yo.start()] + f"{yo['noun']}해줘"
    return text


def _requests(text: str, fixes: list[str]) -> tuple[str, bool]:
    asked = False
    text = _chat_requests(text, fixes)
    if "주" in text or "줘" in text or "줄" in text:
        before = len(fixes)
        text = _replace_all(_WRAPPER, text, _wrapper, "polite", fixes)
        asked = len(fixes) > before or bool(_WRAPPER.search(text))
    if "부탁" in text or "가능" in text:
        before = len(fixes)
        text = _replace_all(_PLEASE, text, _please, "polite", fixes)
        asked = asked or len(fixes) > before
    return text, asked or bool(_REQUEST_END.search(text))


# ---------------------------------------------------------------- the pipeline


@lru_cache(maxsize=4096)
def _normalize(raw: str) -> Normalized:
    typed = _INVISIBLE.sub("", unicodedata.normalize("NFC", raw)).strip()
    text = _SPACES.sub(" ", typed)
    fixes: list[str] = []
    if _NOISE.search(text):
        fixes += (f"noise:{noise}" for noise in _NOISE.findall(text))
        text = _SPACES.sub(" ", _NOISE.sub(" ", text)).strip() or text
    ack = _ACKS.get(text.strip(_ACK_EDGES).lower())
    if ack is not None:
        return Normalized(ack, typed, (*fixes, f"ack:{text}→{ack}"), False)
    words = _drop_fillers(text.split(" "), fixes)
    text = " ".join(words)
    text = _replace_all(_GLUED, text, _glued, "chat", fixes)
    text = _replace_all(_WORDS, text, _word, "chat", fixes)
    if "욜" in text:
        text = _replace_all(_WEEKDAY, text, _weekday, "chat", fixes)
    if "주" in text:
        text = _replace_all(_WEEKDAY_AFTER_WEEK, text, _weekday_after_week, "chat", fixes)
    words = text.split(" ")
    for at, word in enumerate(words):
        core = word.rstrip(_PUNCT_TAIL)
        if 2 <= len(core) <= _TYPO_LONGEST and not _NOT_HANGUL_WORD.search(core):
            repaired = _repair(core) or _day_slip(core) or _log_slip(core)
            if repaired is not None:
                fixes.append(f"typo:{core}→{repaired}")
                word = repaired + word[len(core) :]
        spaced = _space_word(word)
        if spaced != word:
            fixes.append(f"space:{word}→{spaced}")
        words[at] = spaced
    text = " ".join(words)
    if _HAS_NUMBER_WORD.search(text):
        text = _replace_all(_SINO, text, _sino, "num", fixes)
        text = _replace_all(_SINO_BARE, text, _sino_bare, "num", fixes)
        text = _replace_all(_NATIVE_RE, text, _native, "num", fixes)
        text = _replace_all(_IRREGULAR_MONTH, text, _irregular_month, "num", fixes)
    if "반" in text:
        text = _replace_all(_HALF_HOUR, text, _half_hour, "num", fixes)
    text, asked = _requests(text, fixes)
    text = _SPACES.sub(" ", text).strip()
    return Normalized(text or typed, typed, tuple(fixes), asked)


_NOT_HANGUL_WORD = re.compile(r"[^가-힣]")
_TYPO_LONGEST = 16  # a mistyped word with its particle is at most this long; longer runs are not looked up
_HAS_NUMBER_WORD = re.compile(
    rf"[{_SINO_ALL}]|{_alternation(cw.IRREGULAR_MONTHS)}|{_alternation(_NATIVE)}"
)


# ---------------------------------------------------------------- two requests in one message

_SEPARATOR = re.compile("|".join(cw.SEPARATORS))
_ASK_JOIN = re.compile(r"(?<=[가-힣])\s?주(?:시)?고(?=\s)")
_DO_JOIN = re.compile(r"(?<![가-힣])(?P<noun>[가-힣]+?)\s?하고(?=\s)")
_NOUN_JOIN = re.compile(rf"(?<=[가-힣])(?:{_alternation(cw.NOUN_CONNECTIVES)})(?=\s)")
_PAST_REPORT = re.compile(cw.PAST_REPORT)
_DONE_THEN = re.compile(cw.DONE_THEN)
_ASKED_THEN = re.compile(cw.ASKED_THEN)
_EDIT_THEN = re.compile(cw.EDIT_THEN)
_QUESTION_THEN = re.compile(cw.QUESTION_THEN)
_ALSO = re.compile(r"(?<=[가-힣])도(?=\s|$|[?.!])")
_MAX_PARTS = 4


def split_requests(text: str) -> tuple[str, ...]:
    """The requests in one (normalised) message: "업무추진비 잔액이랑 내일 일정 알려줘" →
    ("업무추진비 잔액 알려줘", "내일 일정 알려줘"); one part when the halves do not each have a subject."""
    clean = _SPACES.sub(" ", text).strip()
    parts: list[str] = []
    rest = clean
    while len(parts) < _MAX_PARTS - 1 and (cut := _first_cut(rest)) is not None:
        parts.append(cut[0])
        rest = cut[1]
    if not parts:
        return (clean,)
    parts.append(rest)
    return _share_asking(tuple(_drop_also(part) for part in parts))


def _domains(text: str) -> frozenset[str]:
    return frozenset(domain for domain, words in cw.SUBJECTS.items() if any(word in text for word in words))


def _first_cut(text: str) -> tuple[str, str] | None:
    """(first request, the rest) at the first connective where both sides hold a subject of their own."""
    # (position, left, right, needs different domains, a side that asks may do without a subject)
    cuts: list[tuple[int, str, str, bool, bool]] = []
    for match in _SEPARATOR.finditer(text):
        cuts.append((match.start(), text[: match.start()], text[match.end() :], False, True))
    for match in _ASK_JOIN.finditer(text):
        cuts.append((match.start(), text[: match.start()] + "줘", text[match.end() :], False, False))
    past = bool(_PAST_REPORT.search(text))
    for match in _DO_JOIN.finditer(text):
        noun, right = match["noun"], text[match.end() :]
        if past:
            continue
        if noun in _VERBAL_NOUNS:
            asked = "해줘" if _REQUEST_END.search(right) else ""
            cuts.append((match.start(), text[: match.start()] + noun + asked, right, False, False))
        else:
            cuts.append((match.start(), text[: match.start()] + noun, right, True, False))
    for match in _NOUN_JOIN.finditer(text):
        if _domains(_stem_before(text, match.start())):  # 잔액이랑 …, not 생수랑 … or 강북구랑 …
            cuts.append((match.start(), text[: match.start()], text[match.end() :], True, False))
    for match in _DONE_THEN.finditer(text):
        right = text[match.end() :]
        if any(mark in right for mark in cw.ASKING_MARKS):
            cuts.append((match.start(), text[: match.end()], right, False, False))
    for match in _ASKED_THEN.finditer(text):
        left = text[: match.end()].removesuffix("고").removesuffix("이")
        cuts.append((match.start(), left, text[match.end() :], False, True))
    for match in _QUESTION_THEN.finditer(text):
        cuts.append((match.start(), text[: match.start()], text[match.end() :], False, True))
    for match in _EDIT_THEN.finditer(text):
        cuts.append((match.start(), text[: match.end() - 1], text[match.end() :], False, False))
    for _position, left, right, different, asking in sorted(cuts, key=lambda cut: cut[0]):
        mine, theirs = _domains(left), _domains(right)
        if asking and (mine or theirs):  # "시민투표 언제였지 그리고 참여예산 규모도": the asking side stands
            mine = mine or _asking(left)
            theirs = theirs or _asking(right)
        if mine and theirs and (not different or mine.isdisjoint(theirs)):
            return left.strip(" ,"), right.strip(" ,")
    return None


def _asking(part: str) -> frozenset[str]:
    """A part that asks something of its own (언제, 몇, 얼마 …) counts as holding a subject."""
    return frozenset({"asked"}) if any(mark in part for mark in _QUESTION_MARKS) else frozenset()


_QUESTION_MARKS = ("언제", "어디", "몇", "얼마", "뭐", "누구", "?")


def _drop_also(part: str) -> str:
    """"일정도" → "일정": the 도 of the second request only says 'also'."""
    every, _nouns = _vocabulary()
    return _ALSO.sub(lambda match: "" if _stem_before(part, match.start()) in every else "도", part)


def _stem_before(text: str, end: int) -> str:
    start = end
    while start > 0 and _HANGUL.match(text[start - 1]):
        start -= 1
    return text[start:end]


def _share_asking(parts: tuple[str, ...]) -> tuple[str, ...]:
    """A part that asks nothing borrows the asking verb another part ends with."""
    verb = next((verb for part in reversed(parts) for verb in cw.ASKING_VERBS if part.endswith(verb)), None)
    if verb is None:
        return parts
    return tuple(part if _asks_or_tells(part) else f"{part} {verb}" for part in parts)


def _asks_or_tells(part: str) -> bool:
    """The part has its own verb: it asks something or reports ("…결재했고")."""
    return any(mark in part for mark in cw.ASKING_MARKS) or bool(_PAST_REPORT.search(part)) or part.endswith(
        _OWN_VERB_ENDINGS
    )


_OWN_VERB_ENDINGS = ("고", "다", "요", "음", "함", "임")

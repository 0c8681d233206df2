"""One line about a field visit or a council/district meeting → a :class:`FieldLog` (or a :class:`FieldLogProblem`).

`어제 오후 2시 강북구 쪽방촌 현장방문, 참석 복지정책실장, 메모 여름철 냉방 점검 요청` → a visit, done;
`오늘 10시 상임위원장단 간담회 — 안건 추경, 후속: 자료 제출 7/27 기획조정실` → a meeting with a follow-up;
`다음주 화요일 강북구 쪽방촌 현장방문 예정` → a planned visit.

How a line is read (the decisions, in order):
- Clauses are split on `,` (not inside `1,000`), `—`, `–`, ` - `, `;` and new lines. A clause that starts with a
  field word (참석/참석자, 메모/비고, 안건, 결과, 목적, 장소, 후속/후속조치/할일, optionally with `:` or 은/는)
  fills that field. The first clause is always the head unless written with a colon (`메모: …`).
- Unprefixed clauses before any field word are the head; after one, they continue the last field: after 참석 only
  if they look like people or offices (`강북구청장`, `주민 30명`), otherwise they go to the notes; after 후속 each
  is another follow-up. A clause ending in 참석/배석/동행 (`주민 30명 참석`) lists participants.
- The head holds the date, district, place, the kind word and the category/meeting-type words. What is left of
  it is the place of a visit (or its purpose, when the gazetteer already named the place), or a meeting's
  purpose. A head clause after the first that adds none of these goes to the notes.
- Dates: read as a log (``past=True``) unless the head says 예정/…계획 or has a future word (내일, 다음주, 3일 뒤…).
  A month-day without a year (`8월 3일`, `7/27`) is the nearest such day, so this year's within the year;
  in a log a bare hour (`9시` at 10:00) is the latest plausible one gone by (09:00, not yesterday 21:00);
  ``needs_meridiem`` stays set for the handler. An impossible date is a :class:`FieldLogProblem`; no date
  (or only a vague word such as 나중에) gives ``when=None`` and the handler asks.
- ``planned``: the head says 예정/계획, or the date is ahead (a minute-precise start after now, a day after today).
  Whether a "done" visit lies in the future is the handler's question, not this module's.
- District: a district name (`강북구`, `강북구청`, `강북구청장`), or its stem when at least two letters (`강북`);
  else the gazetteer place's district if it has exactly one; with several (한강공원) ``district`` is None and
  ``district_candidates`` lists them. A word that looks like a district but is none (`강북군`) is not guessed:
  ``district`` is None, ``district_problem`` says so in Korean, naming the closest district, which is also in
  ``district_candidates``; the rest of the log still reads (a field, not a failure, so the handler can ask
  "강북구 말씀이세요?" and keep the other fields). Several districts named: the first, all in the candidates.
- Category / meeting type: the matched keyword that is longest wins, then the order of the mapping; a category
  or type with no keywords is the fallback (e.g. 기타). A standalone `시장` is the mayor, not a market
  (`망원시장`, `전통시장` are markets). A committee counts as the word 상임위원회: the council's standing
  committees are known by default with their short forms (field_words.COMMITTEES: `행자위` → 행정자치위원회, kept
  in full as the counterpart); ``council_bodies`` (a directory import) adds more.
- Kind, when not given: meeting words (간담회, 면담, 회의…) beat visit words (현장방문, 방문, 점검, 시민발언대…),
  then meeting-type keywords and council bodies, then category keywords and gazetteer places.
- Participants split on `·`, `、`, `/`, ` 및 ` and commas; spaces stay inside a name (`김OO 시의원`) unless every
  word is a title or office on its own (`복지정책실장 강북구청장` is two people).
- Follow-ups split on `·` or `;` or come as repeated 후속 clauses. Their date is the due date (a span: its last
  day); an office or a title at the end (…실, …국, …과, …본부, …담당관, …관, …센터, …팀, …구청, 실장, 주무관…),
  or at the start, or in brackets, is the owner; the rest is what to do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from .datecheck import REPORTED_FAILURES
from .dates import SEOUL, DateFailure, DateResult, parse_when
from .field_words import COMMITTEES, COUNTERPART_TYPES, PLACE_SECTIONS
from .limits import fields_problem, limit
from .names import NameIndex
from .phrases import says_done
from .tails import strip_tail
from .textutil import strip_trailing_particle, tidy, topic

Kind = Literal["visit", "meeting"]
VISIT_EXAMPLE = "예: '어제 오후 2시 강북구 쪽방촌 현장방문, 참석 복지정책실장, 메모 냉방 점검 요청'"
MEETING_EXAMPLE = "예: '오늘 10시 상임위원장단 간담회 — 안건 추경, 후속: 자료 제출 7/27 기획조정실'"


NOTES_LIMIT = limit("field_notes")


@dataclass(frozen=True)
class FollowUp:
    what: str
    due: date | None
    owner: str | None


@dataclass(frozen=True)
class FieldLog:
    kind: Kind
    when: DateResult | None  # None: no date given (the handler asks)
    planned: bool  # the date is ahead, or the words say 예정/계획
    district: str | None
    district_candidates: tuple[str, ...]  # several possible (한강공원), or suggestions for a typo (강북군)
    district_problem: str | None  # Korean reason when a district-like word matched no district
    place: str | None
    category: str | None  # visits: one of the categories passed in
    meeting_type: str | None  # meetings: one of the types passed in
    counterpart: str | None  # meetings: council body, committee, member or district
    participants: tuple[str, ...]
    purpose: str | None
    agenda: str | None
    outcome: str | None
    notes: str | None
    follow_ups: tuple[FollowUp, ...]


@dataclass(frozen=True)
class FieldLogProblem:
    reason: str  # Korean, with an example of what to type


# --- clauses -------------------------------------------------------------------------------------------------

_CLAUSE_SPLIT = re.compile(r"\s*(?:(?<!\d)[,，]|[,，](?!\d)|[—–;\n]|\s-\s)\s*")
_FIELD_WORDS: Mapping[str, tuple[str, ...]] = {
    "participants": ("참석자", "참석", "참가자", "배석", "동행"),
    "notes": ("메모", "비고", "특이사항", "참고"),
    "agenda": ("안건", "의제", "논의사항"),
    "outcome": ("결과",),
    "purpose": ("목적",),
    "place": ("장소",),
    "follow_up": ("후속조치", "후속 조치", "후속", "할일", "할 일", "조치사항"),
}
_FIELD_OF = {word: name for name, words in _FIELD_WORDS.items() for word in words}
_PREFIX = re.compile(
    r"^[\[(【<]?\s*(?P<key>" + "|".join(sorted(map(re.escape, _FIELD_OF), key=len, reverse=True)) + r")\s*[\])】>]?"
    r"(?:(?:은|는)(?![가-힣]))?(?![가-힣])\s*(?P<colon>[:：])?\s*"
)
# "간담회 안건: 추경", "회의 안건은 추경": a field word inside a clause, with a colon or 은/는, starts a field.
_INNER_FIELD = re.compile(
    r"(?<=\S)\s+(?=(?:" + "|".join(sorted(map(re.escape, _FIELD_OF), key=len, reverse=True))
    + r")\s*(?:[:：]|(?:은|는)\s))"
)
_ATTEND_TAIL = re.compile(r"^(?P<who>.*?\S)\s*(?:참석|배석|동행|수행)(?:함|했음|하였음|예정)?[.]?$")
_ITEM_SPLIT = re.compile(r"\s*(?:[·ㆍ‧、]|(?<!\d)/|/(?!\d)|\s및\s|\s그리고\s)\s*")
_FOLLOW_UP_SPLIT = re.compile(r"\s*(?:[·ㆍ‧]|(?<!\d)/|/(?!\d))\s*")  # not 7/27
# "1) 추경 2) 조직개편", "① 추경 ② 조직개편", "1. 추경 2. 조직개편": a numbered list of items.
_NUMBERED = re.compile(r"(?:^|(?<=\s))(?:\(?\d{1,2}\)|\d{1,2}\.(?=\s)|[①-⑳])\s*")
# "외 2명", "등 3명", "포함 4명": a count of companions, kept with the person; a bare 등/외 says nothing.
_COUNT_WORDS = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10}
_COUNT = re.compile(
    r"\s*(?P<word>외|등|포함)\s*(?P<n>\d{1,3}|" + "|".join(_COUNT_WORDS) + r")\s*(?:여\s*)?(?:명|인|분)"
    r"(?:이|가|과|와|은|는|을|를|도|이랑|랑|하고)?(?:(?![가-힣])|(?=동행|참석|배석|수행|함께))"
)
_ETC_TAIL = re.compile(r"\s*(?:등|외)$")
# "주민 30명", "30여 명과": a whole number of people, not the day of 7/19 before 명절 or a word like 인사
_HEADCOUNT = re.compile(r"(?<![\d./])\d+\s*(?:여\s*)?(?:명|인)(?:[이가과와은는을도씩]|에게)?(?![가-힣])")


@dataclass
class _Clauses:
    head: list[str]
    fields: dict[str, list[str]]
    participants: list[str]
    follow_ups: list[list[str]]  # the items of each follow-up clause
    planned: bool  # a head clause says 예정/계획 (read before the sentence's ending is cut)
    done: bool = False  # a head clause says it happened (했어, 다녀왔음), read before the ending is cut


def _clauses(text: str) -> _Clauses:
    pieces = (tidy(piece) for line in _CLAUSE_SPLIT.split(text) for inner in _INNER_FIELD.split(line)
              for piece in _after_report(inner))
    raw = [part for part in pieces if part]
    parts = [strip_tail(part) for part in raw]
    out = _Clauses([], {name: [] for name in ("notes", "agenda", "outcome", "purpose", "place")}, [], [], False)
    current: str | None = None
    for index, part in enumerate(parts):
        if not part:
            continue
        prefix = _PREFIX.match(part)
        if prefix and (index > 0 or prefix.group("colon")):
            current = _FIELD_OF[prefix.group("key")]
            _add_to_field(out, current, tidy(part[prefix.end() :]))
            continue
        attend = _ATTEND_TAIL.match(part) if index > 0 else None
        if attend:
            current = "participants"
            out.participants.extend(_people(attend.group("who")))
        elif current is None:
            out.head.append(part)
            out.planned = out.planned or bool(_PLANNED.search(raw[index]))
            out.done = out.done or says_done(raw[index])
        elif current == "participants" and not _looks_like_people(part):
            current = "notes"
            out.fields["notes"].append(part)
        else:
            _add_to_field(out, current, part)
    return out


# "… 다녀왔어요 메모 안전펜스 보강", "… 간담회 안건 조직개편": a field word without a colon starts a field when
# what comes before it ends the report (a verb ending, or the visit or meeting word itself).
_BARE_FIELD = re.compile(r"\s(?=(?:메모|비고|특이사항|안건|의제|후속조치|후속|참석자)\s+\S)")


def _after_report(text: str) -> list[str]:
    for match in _BARE_FIELD.finditer(text):
        before = text[: match.start()]
        if strip_tail(before) != tidy(before) or re.search(
                r"(?:" + _alternatives((*_MEETING_WORDS, *_VISIT_WORDS, *_VISIT_SHORT)) + r")\s*$", before):
            return [before, *_after_report(text[match.end() :])]
    return [text]


def _add_to_field(out: _Clauses, name: str, body: str) -> None:
    if not body:
        return
    if name == "participants":
        out.participants.extend(_people(body))
    elif name == "follow_up":
        for numbered in _numbered(body):
            items = [item for item in _FOLLOW_UP_SPLIT.split(numbered) if item.strip()]
            out.follow_ups += [[joined for joined in re.split(r"\s(?:및|그리고)\s", item) if joined.strip()]
                               for item in items]
    elif name == "agenda":
        out.fields[name].append(", ".join(_numbered(body)))
    else:
        out.fields[name].append(body)


def _numbered(text: str) -> list[str]:
    """The items of "1) 추경 2) 조직개편" (the text itself when it is not numbered)."""
    if not _NUMBERED.search(text):
        return [text]
    return [item for item in (strip_tail(piece) for piece in _NUMBERED.split(text)) if item]


# --- people and offices --------------------------------------------------------------------------------------

_TITLES = (
    "실장", "국장", "과장", "팀장", "본부장", "단장", "구청장", "청장", "원장", "관장", "위원장", "의장", "회장",
    "센터장", "소장", "대표", "이사", "위원", "의원", "비서관", "보좌관", "주무관", "담당관", "사무관", "서기관",
    "대변인", "주임", "교수", "박사", "기자", "변호사", "동장", "부시장", "시장", "씨", "님", "정책관", "기획관",
    "특보", "부장", "이사장",
)
_ORG_SUFFIXES = (
    "담당관", "본부", "센터", "구청", "시청", "위원회", "사업소", "재단", "공사", "사무국", "의회",
    "실", "국", "과", "관", "팀", "단",
)
_FACILITIES = (
    "복지관", "도서관", "박물관", "미술관", "체육관", "기념관", "회관", "전시관", "과학관", "영화관", "문화관",
    "생활관",
)
_SURNAMES = frozenset(
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현"
    "함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용예봉경"
)
_MASKED_NAME = re.compile(r"^[가-힣][OoＯ○◯0*xX]{1,2}$")


def _is_title(word: str) -> bool:
    if word.endswith("시장") and word != "시장" and not word.endswith("부시장"):
        return False  # 망원시장 is a market; 시장 alone is the mayor
    return word.endswith(_TITLES) and (len(word) > 1 or word in ("씨", "님"))


def _is_office(word: str) -> bool:
    if word.endswith(_FACILITIES):
        return False
    return any(word.endswith(suffix) and len(word) >= len(suffix) + (2 if len(suffix) == 1 else 1)
               for suffix in _ORG_SUFFIXES)


def _name_like(word: str) -> bool:
    return bool(_MASKED_NAME.match(word)) or (len(word) == 3 and word[0] in _SURNAMES and _hangul(word))


def _hangul(word: str) -> bool:
    return all("가" <= char <= "힣" for char in word)


def _person_or_office(word: str) -> bool:
    return _is_title(word) or _is_office(word)


def _looks_like_people(clause: str) -> bool:
    items = _split_items(clause)
    return bool(items) and all(
        _HEADCOUNT.search(item) or _MASKED_NAME.match(item.split()[0]) or _person_or_office(item.split()[-1])
        for item in items
    )


def _split_items(text: str) -> list[str]:
    items = []
    for raw in _ITEM_SPLIT.split(text):
        item = tidy(raw)
        count = _COUNT.search(item)
        item = tidy(_ETC_TAIL.sub("", item[: count.start()] if count else item))
        if item:
            words = item.split()
            bare = _bare_person(words[-1])  # 복지정책실장이 → 복지정책실장, but 이영도 stays
            # 강북구청장과 is no office ending in 과: a post with its particle
            if _is_title(bare) or (not _person_or_office(words[-1]) and _person_or_office(bare)):
                words[-1] = bare
            items.append(" ".join(words) + (_count_text(count) if count else ""))
    return items


def _count_text(count: re.Match[str]) -> str:
    number = count.group("n")
    return f" {count.group('word')} {_COUNT_WORDS.get(number, number)}명"


_PERSON_PARTICLE = re.compile(r"(?:님)?(?:께서|에게|한테|이랑|하고|께|랑|과|와|이|가|은|는|의|을|를|도)?$")


def _bare_person(word: str) -> str:
    """부의장님과 → 부의장, 복지정책실장이 → 복지정책실장 (a word that is no post or office stays)."""
    bare = _PERSON_PARTICLE.sub("", word) or word
    return bare if _person_or_office(bare) else strip_trailing_particle(word)


def _people(text: str) -> list[str]:
    people: list[str] = []
    for item in _split_items(text):
        words = item.split()
        one_post = any(not _is_title(word) and _is_title(after) for word, after in pairwise(words))
        if len(words) > 1 and all(_person_or_office(word) for word in words) and not one_post:
            people.extend(words)  # 복지정책실장 강북구청장: two people
        else:
            people.append(item)  # 김OO 시의원, 서울시의회 부의장 (an office, then its post): one
    return people


# --- follow-ups ----------------------------------------------------------------------------------------------

_DUE_WORDS = re.compile(r"(?<![가-힣])(?:마감|기한|까지)(?![가-힣])")
_OWNER_MARK = re.compile(r"(?<![가-힣])(?:담당(?:자|부서)?|주관|소관)\s*[:：]?\s*(?P<owner>\S+(?:\s+\S+)?)\s*$")
_BRACKET_OWNER = re.compile(r"\(\s*(?P<owner>[^()]+?)\s*\)\s*$")


def _follow_up(item: str, now: datetime, districts: Sequence[str]) -> FollowUp | DateFailure | None:
    text = tidy(item)
    if not text:
        return None
    due: date | None = None
    found = parse_when(text, now)
    if isinstance(found, DateFailure):
        if found.code in REPORTED_FAILURES:
            return found
        rest = text
    else:
        found = _nearest_year(found, now)
        due = (found.end or found.start).date()
        rest = found.rest
    owner, what = _split_owner(strip_tail(_DUE_WORDS.sub(" ", rest)), districts)
    if not what and due is None and owner is None:
        return None
    return FollowUp(what or "후속 조치", due, owner)


def _shared(items: list[FollowUp]) -> list[FollowUp]:
    """"자료 제출 및 보고 8/3 기획조정실": tasks joined by 및/그리고 share the last one's due date and owner."""
    if len(items) < 2:
        return items
    last = items[-1]
    return [replace(item, due=item.due or last.due, owner=item.owner or last.owner) for item in items[:-1]] + [last]


def _split_owner(text: str, districts: Sequence[str]) -> tuple[str | None, str]:
    for pattern in (_BRACKET_OWNER, _OWNER_MARK):
        mark = pattern.search(text)
        if mark:
            return mark.group("owner"), tidy(text[: mark.start()])
    words = text.split()
    if len(words) < 2:
        return None, text

    def owner_word(word: str) -> str | None:
        for candidate in (word, strip_trailing_particle(word)):
            if _person_or_office(candidate) or candidate in districts:
                return candidate
        return None

    last = owner_word(words[-1])
    if last is not None:
        if _is_title(last) and len(words) > 2 and _name_like(words[-2]):
            return f"{words[-2]} {last}", " ".join(words[:-2])
        return last, " ".join(words[:-1])
    first = owner_word(words[0])
    if first is not None:
        return first, " ".join(words[1:])
    return None, text


# --- dates ---------------------------------------------------------------------------------------------------

_PLANNED = re.compile(r"예정(?!대로|된|되|돼)|계획(?:임|입니다|이다|중)?[.!\s]*$")
_FUTURE = re.compile(
    r"내일|모레|글피|다음\s*주|담주|차주|내주|다음\s*달|담달|내달|내년|다음\s*해|오는\s|"
    r"\d+\s*(?:분|시간|일|주|주일|개월|달|년)\s*(?:뒤|후)|(?:하루|이틀|사흘|나흘|일주일|한\s*주|한\s*달)\s*(?:뒤|후)"
)
_YEAR_WRITTEN = re.compile(r"\d{4}|년|['’]\d{2}")
_MONTH_WRITTEN = re.compile(r"\d\s*월|\d\s*[./]\s*\d")
_WORKING_HOURS = range(7, 21)  # 07:00-20:59: a meeting at `9시` is at nine in the morning


def _nearest_year(found: DateResult, now: datetime) -> DateResult:
    """A month-day without a year is the nearest one: this year's `7/27`, not last year's or next."""
    if "cycle_shifted" not in found.ambiguities or _YEAR_WRITTEN.search(found.text):
        return found
    if not _MONTH_WRITTEN.search(found.text):
        return found
    best, gap = found, abs(found.start - now)
    for year in (now.year - 1, now.year, now.year + 1):
        shift = year - found.start.year
        try:
            start = found.start.replace(year=year)
            end = found.end.replace(year=found.end.year + shift) if found.end else None
        except ValueError:  # 2월 29일 in a common year
            continue
        if abs(start - now) < gap:
            best, gap = replace(found, start=start, end=end), abs(start - now)
    return best


def _latest_hour(found: DateResult, now: datetime) -> DateResult:
    """In a log, an hour without 오전/오후 is the latest plausible one gone by: `9시` said at 10:00 is 09:00."""
    if found.precision != "minute" or "meridiem" not in found.ambiguities or found.end is not None:
        return found
    half = timedelta(hours=12)
    bare = "cycle_shifted" in found.ambiguities  # the date layer chose the day too
    options = [found.start, found.start - half, found.start + half]
    options = [moment for moment in options if bare or moment.date() == found.start.date()]
    gone = [moment for moment in options if moment <= now and moment.hour in _WORKING_HOURS]
    if not gone or max(gone) == found.start:
        return found
    return replace(found, start=max(gone))


def _done_today(found: DateResult, now: datetime, parts: _Clauses) -> bool:
    """`오늘 점심 … 오찬 면담했어` said at 10:00: a report of what was done today at a time given loosely or ahead
    of the clock; the time is kept as typed and the record is no plan (a later DAY still is one)."""
    return found.start.date() == now.astimezone(found.start.tzinfo).date() and parts.done \
        and not parts.planned and not _FUTURE.search(" ".join(parts.head))


def _ahead(found: DateResult, now: datetime) -> bool:
    if found.precision == "minute":
        return found.start > now
    return found.start.date() > now.astimezone(found.start.tzinfo).date()


# --- names in the head ---------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[0-9A-Za-z가-힣]+")
_DISTRICT_TAILS = ("", "청", "청장", "청사", "의회", "의원", "민", "주민", "내", "일대", "지역", "쪽", "소재")
_MAYOR_WORD = re.compile(r"(?<![가-힣])(?:행정\s*\d\s*)?부?시장(?:님|께서|께|이|은|과|와|도|의|을)?(?![가-힣])")
_VISIT_WORDS = ("현장방문", "현장 방문", "시민발언대", "시민 발언대", "동고동락")
_VISIT_SHORT = ("방문", "점검", "시찰", "순찰", "참관", "위문", "견학", "발언대", "현장")
_MEETING_WORDS = (
    "정책협의회", "협의회", "간담회", "개별면담", "면담", "회의", "설명회", "보고회", "미팅", "의견청취", "의견 청취",
    "오찬", "만찬", "조찬", "협의",
)
_COUNCIL = ("상임위원장단", "의장단", "상임위원회", "상임위", "구청장협의회", "시의회", "구의회",
            *(name for full, short in COMMITTEES.items() for name in (full, *short)))
_FULL_NAME = {name: full for full, short in COMMITTEES.items() for name in short}
_PERSON_TITLE = re.compile(
    r"(?P<name>[가-힣]{0,4}[OoＯ○◯*]{0,2})\s?(?P<title>시의원|구의원|의원|부의장|의장|위원장|부구청장|구청장)"
    r"(?=님|께서|께|과|와|이|가|은|는|의|을|를|[^가-힣]|$)"
)
# Posts that name a person in the head of a log: the whole word is kept (기획경제위원장, 행정1부시장, 서울시의회
# 부의장), never a tail of it; 시장 alone is the mayor (the log's own subject) and 망원시장 a market.
POSTS = (
    "시의원", "구의원", "국회의원", "의원", "부의장", "의장", "부위원장", "위원장", "위원", "부구청장", "구청장",
    "청장", "부시장", "실장", "국장", "본부장", "단장", "부장", "과장", "팀장", "담당관", "정책관", "기획관", "대변인",
    "비서관", "보좌관", "특보", "센터장", "원장", "관장", "소장", "이사장", "회장", "대표", "동장", "주무관", "사무관",
    "서기관", "주임", "교수", "박사", "기자", "변호사", "처장", "분과장", "상인회장", "이장", "통장",
)
_POST = re.compile(
    r"(?<![0-9A-Za-z가-힣])(?P<who>(?:행정\s*[12]\s*|정무\s*)?[0-9A-Za-z가-힣]*?(?:"
    + "|".join(sorted(POSTS, key=len, reverse=True)) + r"))"
    r"(?:님)?(?:께서|에게|한테|이랑|하고|께|랑|과|와|이|가|은|는|의|을|를|도)?"
    # the word ends here, or a word typed without a space follows: 복지정책실장동행, 기획경제위원장면담
    r"(?:(?![0-9A-Za-z가-힣])|(?=(?:외|등|포함)?\d|동행|참석|배석|수행|함께|면담|간담회|오찬|만찬|조찬|회의|방문|현장))"
)
_NAME_BEFORE = re.compile(r"(?<![0-9A-Za-z가-힣])(?P<name>[가-힣][0-9A-Za-z가-힣OoＯ○◯*]*)\s$")
_ATTEND_AFTER = re.compile(
    r"\s*(?:(?:이|가|과|와|랑|하고)\s*)?(?:동행|참석|배석|수행|함께)(?:함|했음|하였음|했습니다|해서|하여|하고|하에)?"
    r"(?![가-힣])"
)
_PLANNED_TOKEN = re.compile(r"(?<![가-힣])(?:(?:할|갈)\s*)?예정(?:임|입니다|이다)?(?![가-힣])")
_END_FILLER = re.compile(
    r"(?<![가-힣])(?:(?:할|갈)\s*)?(?:예정|계획|진행|실시|완료|개최|함|했음|하였음|됨|다녀옴|다녀왔음|참석|배석|동행)"
    r"(?:임|함|했음|됨|입니다|이다)?[.!]*\s*$"
)
_WORD_TAIL = (
    r"(?:차|을|를|에서|에|하러)?(?:\s*(?:진행|실시|완료|개최))?(?:함|했음|햇음|하였음|했다|됨|예정|계획|임)?(?![가-힣])"
)


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(_loose(word) for word in sorted(words, key=len, reverse=True))


def _loose(word: str) -> str:
    """`서울 도시건축 박물관` for 서울도시건축박물관, `시구` for 시-구."""
    out = []
    for char in word.replace(" ", ""):
        out.append(r"\s*[-‐]?\s*" if char in "-‐" else re.escape(char) + r"\s*")
    return "".join(out).removesuffix(r"\s*")


@lru_cache(maxsize=256)
def _pattern(word: str) -> re.Pattern[str]:
    return re.compile(_loose(word))


_VISIT_RE = re.compile(
    r"(?:찾아가는\s*)?(?:" + _alternatives(_VISIT_WORDS) + r"|(?<![가-힣])(?:" + _alternatives(_VISIT_SHORT) + r"))"
    + _WORD_TAIL
)
_MEETING_RE = re.compile(r"(?:" + _alternatives(_MEETING_WORDS) + r")" + _WORD_TAIL)


@lru_cache(maxsize=8)
def _district_index(districts: tuple[str, ...]) -> NameIndex:
    return NameIndex({"district": districts})


@dataclass
class _Districts:
    named: list[str]
    typos: list[str]
    spans: list[tuple[int, int]]


def _find_districts(text: str, districts: Sequence[str]) -> _Districts:
    stems = {name[:-1]: name for name in districts if len(name) >= 3 and name.endswith("구")}
    out = _Districts([], [], [])
    for token in _TOKEN.finditer(text):
        word = strip_trailing_particle(token.group())
        found = next((name for name in sorted(districts, key=len, reverse=True)
                      if word.startswith(name) and word[len(name) :] in _DISTRICT_TAILS), None)
        found = found or stems.get(word)
        if found is not None:
            out.named.append(found)
            out.spans.append(token.span())
        elif len(word) >= 3 and word.endswith(("구", "군")) and _hangul(word):
            lookup = _district_index(tuple(districts)).lookup(word, kinds=["district"])
            if lookup.best is not None and lookup.best.score >= 75:
                out.typos.append(word)
                out.spans.append(token.span())
    return out


def _find_keywords(text: str, table: Mapping[str, Sequence[str]]) -> tuple[str | None, list[tuple[int, int]]]:
    """The entry whose keyword found in ``text`` is the longest (then the first in order), and all keyword spans."""
    best: tuple[int, int, str] | None = None
    spans: list[tuple[int, int]] = []
    for order, (name, keywords) in enumerate(table.items()):
        for keyword in keywords:
            if not keyword.strip():
                continue
            for match in _pattern(keyword).finditer(text):
                spans.append(match.span())
                rank = (-len(keyword), order, name)
                if best is None or rank[:2] < best[:2]:
                    best = rank
    if best is not None:
        return best[2], spans
    fallback = next((name for name, keywords in table.items() if not any(word.strip() for word in keywords)), None)
    return fallback, spans


def _find_places(text: str, gazetteer: Mapping[str, Sequence[str]]) -> list[tuple[str, tuple[int, int]]]:
    found: list[tuple[str, tuple[int, int]]] = []
    for place in sorted(gazetteer, key=lambda name: len(name.replace(" ", "")), reverse=True):
        if not place.strip():
            continue
        for match in _pattern(place).finditer(text):
            if not any(_overlap(match.span(), span) for _name, span in found):
                found.append((place, match.span()))
    return sorted(found, key=lambda item: item[1])


def _find_bodies(text: str, bodies: Sequence[str]) -> list[tuple[str, tuple[int, int]]]:
    found: list[tuple[str, tuple[int, int]]] = []
    for body in sorted(dict.fromkeys(bodies), key=len, reverse=True):
        if not body.strip():
            continue
        for match in _pattern(body).finditer(text):
            if not any(_overlap(match.span(), span) for _name, span in found):
                found.append((_FULL_NAME.get(body, body), match.span()))
    return sorted(found, key=lambda item: item[1])


def _overlap(one: tuple[int, int], other: tuple[int, int]) -> bool:
    return one[0] < other[1] and other[0] < one[1]


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _leftover(text: str) -> str:
    text = strip_tail(_PLANNED_TOKEN.sub(" ", text))
    while (filler := _END_FILLER.search(text)) is not None:
        text = tidy(text[: filler.start()])
    words = text.split()
    if words:
        words[-1] = strip_trailing_particle(words[-1])
    return tidy(" ".join(words))


# --- the reader ----------------------------------------------------------------------------------------------


@dataclass
class _Head:
    when: DateResult | None
    date_index: int  # the head clause the date came from, -1 if none
    texts: list[str]  # the head clauses, the date cut out of its own


def read_field_log(
    text: str,
    now: datetime,
    *,
    kind: Kind | None,
    districts: Sequence[str],
    gazetteer: Mapping[str, Sequence[str]],
    categories: Mapping[str, Sequence[str]],
    meeting_types: Mapping[str, Sequence[str]],
    council_bodies: Sequence[str] = (),
) -> FieldLog | FieldLogProblem:
    """Read one line staff typed to log a field visit or a meeting; ``kind`` None decides from the words."""
    now = now if now.tzinfo else now.replace(tzinfo=SEOUL)
    both = f"{VISIT_EXAMPLE} / {MEETING_EXAMPLE}"
    example = {"visit": VISIT_EXAMPLE, "meeting": MEETING_EXAMPLE}.get(kind or "", both)
    if not text or not text.strip():
        return FieldLogProblem(f"기록할 현장방문이나 회의 내용을 적어 주세요. {example}")
    parts = _clauses(text)
    head_text = " ".join(parts.head)
    planned_words = parts.planned
    future = planned_words or bool(_FUTURE.search(head_text))
    head = _read_head(parts.head, now, future=future)
    if isinstance(head, DateFailure):
        return FieldLogProblem(f"{head.reason}\n{example}")
    scan = f"{head_text} {' '.join(parts.fields['purpose'])}"
    chosen = kind or _kind_of(scan, gazetteer, categories, meeting_types, council_bodies)
    if chosen is None:
        return FieldLogProblem(
            f"현장방문인지 회의·간담회인지 알 수 있게 적어 주세요(현장방문, 간담회, 면담, 회의 등). {both}"
        )
    example = VISIT_EXAMPLE if chosen == "visit" else MEETING_EXAMPLE
    follow_ups: list[FollowUp] = []
    for joined in parts.follow_ups:
        read: list[FollowUp] = []
        for item in joined:
            follow_up = _follow_up(item, now, districts)
            if isinstance(follow_up, DateFailure):
                return FieldLogProblem(f"후속 조치의 기한: {follow_up.reason}\n{MEETING_EXAMPLE}")
            if follow_up is not None:
                read.append(follow_up)
        follow_ups += _shared(read)
    return _assemble(
        chosen, head, parts, now, planned_words, tuple(follow_ups), example,
        districts=districts, gazetteer=gazetteer, categories=categories, meeting_types=meeting_types,
        council_bodies=council_bodies,
    )


def _read_head(clauses: list[str], now: datetime, *, future: bool) -> _Head | DateFailure:
    when: DateResult | None = None
    date_index = -1
    texts: list[str] = []
    for index, clause in enumerate(clauses):
        if when is None:
            found = parse_when(clause, now, past=not future)
            if isinstance(found, DateFailure):
                if found.code in REPORTED_FAILURES:
                    return found
            else:
                when = _nearest_year(found, now)
                when = when if future else _latest_hour(when, now)
                date_index = index
                texts.append(found.rest)
                continue
        texts.append(clause)
    return _Head(when, date_index, texts)


def _kind_of(
    text: str,
    gazetteer: Mapping[str, Sequence[str]],
    categories: Mapping[str, Sequence[str]],
    meeting_types: Mapping[str, Sequence[str]],
    council_bodies: Sequence[str],
) -> Kind | None:
    if _MEETING_RE.search(text):
        return "meeting"
    if _VISIT_RE.search(text):
        return "visit"
    if (_find_keywords(text, {k: v for k, v in meeting_types.items() if v})[0]
            or _find_bodies(text, (*council_bodies, *_COUNCIL)) or _PERSON_TITLE.search(text)):
        return "meeting"
    if _find_keywords(_MAYOR_WORD.sub(" ", text), {k: v for k, v in categories.items() if v})[0] or _find_places(
        text, gazetteer
    ):
        return "visit"
    return None


def _assemble(
    kind: Kind,
    head: _Head,
    parts: _Clauses,
    now: datetime,
    planned_words: bool,
    follow_ups: tuple[FollowUp, ...],
    example: str,
    *,
    districts: Sequence[str],
    gazetteer: Mapping[str, Sequence[str]],
    categories: Mapping[str, Sequence[str]],
    meeting_types: Mapping[str, Sequence[str]],
    council_bodies: Sequence[str],
) -> FieldLog | FieldLogProblem:
    main: list[str] = []
    extra_notes: list[str] = []
    places: list[tuple[str, tuple[int, int]]] = []
    named: list[str] = []
    typos: list[str] = []
    bodies_named: list[str] = []
    people: list[str] = []
    all_bodies = (*council_bodies, *_COUNCIL)
    for index, clause in enumerate(head.texts):
        clause_places = _find_places(clause, gazetteer)
        spans = [span for _name, span in clause_places]
        found = _find_districts(_blank(clause, spans), districts)
        for who, span in _find_posts(_blank(clause, spans), districts):  # before bodies: 상임위원장 is no 상임위
            people.append(who)
            spans.append(span)
        if kind == "meeting":  # bodies first: 상임위원장단 and 시의원 are also meeting-type words
            clause_bodies = _find_bodies(_blank(clause, spans), all_bodies)
            bodies_named += [name for name, _span in clause_bodies]
            spans += [span for _name, span in clause_bodies]
            spans += [match.span() for match in _MEETING_RE.finditer(clause)]
            spans += _find_keywords(clause, meeting_types)[1]
        bare = _blank(clause, [*spans, *found.spans])
        spans += [cut for match in _VISIT_RE.finditer(clause) if (cut := _visit_span(bare, match)) is not None]
        spans += found.spans
        contributed = bool(spans) or index in (0, head.date_index) or bool(_PLANNED.search(clause))
        if kind == "visit":
            contributed = contributed or bool(_find_keywords(_MAYOR_WORD.sub(" ", clause), categories)[1])
        places += clause_places
        named += found.named
        typos += found.typos
        rest = _leftover(_MAYOR_WORD.sub(" ", _blank(clause, spans)))
        if rest:
            (main if contributed else extra_notes).append(rest)
    notes = [*extra_notes, *parts.fields["notes"]]
    notes_text = _joined(notes)
    district, candidates, problem = _district(named, typos, places, gazetteer, districts, " ".join(head.texts))
    leftover = tidy(" ".join(main)) or None
    place = _joined(parts.fields["place"]) or (places[0][0] if places else None)
    purpose = _joined(parts.fields["purpose"])
    category = meeting_type = counterpart = None
    scan = " ".join([*head.texts, *parts.fields["purpose"]])
    if kind == "visit":
        if place is None:
            place = leftover
        elif purpose is None:
            purpose = leftover
        category = _find_keywords(_MAYOR_WORD.sub(" ", scan), categories)[0]
    else:
        purpose = purpose or leftover
        counterpart = _counterpart(bodies_named, people, district)
        if counterpart is None and parts.fields["purpose"] == [] and purpose:
            counterpart, purpose = purpose, None  # a body the reader does not know: kept as typed, not dropped
        met = [] if bodies_named else people  # met by their post: may tell the meeting's type
        if not bodies_named:
            people = []  # they are the counterpart; beside a council body they attended
        if any(body in (*council_bodies, *COMMITTEES) and body.endswith("위원회") for body in bodies_named):
            found_type, _spans = _find_keywords(scan, {k: v for k, v in meeting_types.items() if v})
            scan = scan if found_type else f"{scan} 상임위원회"
        meeting_type = _find_keywords(scan, {k: v for k, v in meeting_types.items() if v})[0] \
            or _type_of_counterpart(met, meeting_types) \
            or _find_keywords(scan, meeting_types)[0]
    too_long = fields_problem({
        "field_place": place, "field_counterpart": counterpart, "field_purpose": purpose,
        "field_agenda": _joined(parts.fields["agenda"]), "field_outcome": _joined(parts.fields["outcome"]),
        "field_notes": notes_text,
    }) or next((p for item in follow_ups
                if (p := fields_problem({"followup_what": item.what, "followup_owner": item.owner}))), None)
    if too_long:
        return FieldLogProblem(f"{too_long} 줄여서 다시 보내 주세요. {example}")
    when = head.when
    return FieldLog(
        kind=kind,
        when=when,
        planned=planned_words or (when is not None and _ahead(when, now) and not _done_today(when, now, parts)),
        district=district,
        district_candidates=candidates,
        district_problem=problem,
        place=place,
        category=category,
        meeting_type=meeting_type,
        counterpart=counterpart,
        participants=tuple(dict.fromkeys([*people, *parts.participants])),
        purpose=purpose,
        agenda=_joined(parts.fields["agenda"]),
        outcome=_joined(parts.fields["outcome"]),
        notes=notes_text,
        follow_ups=follow_ups,
    )


def _visit_span(clause: str, match: re.Match[str]) -> tuple[int, int] | None:
    """The visit word's span; `재난 현장`, `일자리현장 방문`: 현장 after a noun is part of the place, not cut."""
    noun = match.group().startswith("현장") and not match.group().startswith("현장방문") \
        and bool(re.search(r"[가-힣]\s?$", clause[: match.start()]))
    if not noun:
        return match.span()
    rest = re.match(r"현장\s*", match.group())
    assert rest is not None
    return (match.start() + rest.end(), match.end()) if match.group()[rest.end() :] else None


def _type_of_counterpart(people: Sequence[str], meeting_types: Mapping[str, Sequence[str]]) -> str | None:
    """A meeting whose words name no type, with someone met by their post: 강서구청장 → 시장-구청장 면담,
    문화체육관광위원장 → 시의원 개별면담 (field_words.COUNTERPART_TYPES; only types configured)."""
    for who in people:
        post = who.split()[-1]
        for ending, meeting_type in COUNTERPART_TYPES:
            if post.endswith(ending) and meeting_type in meeting_types:
                return meeting_type
    return None


def _joined(items: list[str]) -> str | None:
    return tidy(", ".join(strip_tail(item) for item in items)) or None


def _find_posts(text: str, districts: Sequence[str]) -> list[tuple[str, tuple[int, int]]]:
    """People named by their post, whole: `기획경제위원장`, `김OO 시의원`, `강북구 시의원`, `서울시의회 부의장님과`
    → `서울시의회 부의장`, `복지정책실장 외 2명 동행` → `복지정책실장 외 2명`; with the span to cut out."""
    found: list[tuple[str, tuple[int, int]]] = []
    for match in _POST.finditer(text):
        who = re.sub(r"\s+", "", match.group("who"))
        start, end = match.span()
        before = _NAME_BEFORE.search(text, max(0, start - 12), start)
        if before is not None:
            name = before.group("name")
            if _name_like(name) or name in districts or _is_office(name) or name in ("서울시", "서울특별시"):
                who, start = f"{name} {who}", before.start()
        count = _COUNT.match(text, end)
        if count is not None:
            who, end = who + _count_text(count), count.end()
        elif (etc := re.match(r"\s*(?:등|외)(?![가-힣])", text[end:])) is not None:
            end += etc.end()
        attend = _ATTEND_AFTER.match(text, end)
        found.append((who, (start, attend.end() if attend else end)))
    return found


def _counterpart(bodies: list[str], people: list[str], district: str | None) -> str | None:
    if bodies:
        return "·".join(dict.fromkeys(bodies))
    if people:
        return ", ".join(dict.fromkeys(people))
    return district


def _district(
    named: list[str],
    typos: list[str],
    places: list[tuple[str, tuple[int, int]]],
    gazetteer: Mapping[str, Sequence[str]],
    districts: Sequence[str],
    text: str = "",
) -> tuple[str | None, tuple[str, ...], str | None]:
    from_places = tuple(dict.fromkeys(d for name, _span in places for d in gazetteer.get(name, ())))
    sections = [district for name, _span in places for section, district in PLACE_SECTIONS.get(name, {}).items()
                if section in text and district in from_places]
    if len(sections) == 1:  # 한강공원 여의도 물놀이장: the park's section says which of its districts
        from_places = (sections[0],)
    if named:
        unique = tuple(dict.fromkeys(named))
        return unique[0], unique if len(unique) > 1 else (), None
    if typos:
        word = typos[0]
        lookup = _district_index(tuple(districts)).lookup(word, kinds=["district"])
        suggestions = tuple(match.name for match in lookup.candidates)
        closest = suggestions[0]
        reason = (
            f"{topic(f'‘{word}’')} 서울의 자치구 이름이 아닙니다. {closest}를 말씀하신 건가요? "
            f"예: '어제 {closest} 쪽방촌 현장방문'"
        )
        return None, tuple(dict.fromkeys((*suggestions, *from_places))), reason
    if len(from_places) == 1:
        return from_places[0], (), None
    return None, from_places, None


def read_people(text: str) -> list[str]:
    """The people a typed list names, as a log keeps them ("복지정책실장 외 2명, 행정국장" → two entries)."""
    return _people(text)

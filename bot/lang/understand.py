"""One understanding step: a message → every reading it may have, ranked, with slots (pure).

Every kind of the vocabulary competes on the same scale — the intent table's lookups, creations, edits,
exports and small talk (:mod:`bot.lang.intent_table`, scored by :class:`bot.lang.intents.IntentMatcher`) and
the report's facts as one more candidate (``fact_query``, scored from :class:`bot.lang.facts.FactIndex`).
The message is normalised first (:mod:`bot.lang.normalize`); date, amount and names are read once.

A question never creates: creations and edits count only without the ``question`` feature, and a creation
needs a signal of its own (등록/기록/알려줘…, a past-tense report, an amount).

    >>> understand("3시에 회의 알려줘", now).best.kind
    'reminder_create'
    >>> understand("예산 얼마 남았는지 알려줘", now).best.kind
    'budget_query'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache
from itertools import islice
from types import MappingProxyType

from . import intent_table as table
from .amounts import Amount, AmountFailure, find_amount
from .datecheck import REPORTED_FAILURES
from .dates import DateFailure, DateResult, parse_when, written_date
from .facts import FactIndex, FactMatch
from .facts import squeeze as fact_squeeze
from .intents import UNKNOWN, Intent, IntentMatcher, squeeze
from .names import NameIndex, NameLookup, default_index
from .normalize import normalize, split_requests
from .report_words import ReportAsk, read_report_words
from .textutil import collapse_spaces, strip_command_words, tidy

FACT_KIND = "fact_query"
FACT_BASE = 1.5  # a fact's score: this + its longest question phrase (letters) + 0.5 a further phrase
FACT_QUESTION = 1.0  # … + this when the message asks
FACT_ACTING = -8.0  # … and this for a statement that reports or asks to store something (a log, a spending)
_ACTING = frozenset({"create", "remind", "done", "amount", "minutes", "schedule", "time", "date"})
CREATING = frozenset(entry["name"] for entry in table.INTENTS if entry.get("creates"))
_MONTH_DAYS = 31
_READ_CHARS = 400  # names and the date are looked for in a message's first characters (a chat request's)
_SPLIT_LENGTH = 300  # longer than a chat request: not cut at its connectives
_SPLIT_TRIES = 6  # connectives tried at most
STANDS_ALONE = 5.0  # a part of a message read this surely is a request of its own
_ADDS_TO = re.compile(r"(?:메모|안건|후속|동행|참석|사유|비고)")  # "…, 메모 교통 민원": the same record
# 그리고, 하고, 이랑, a verb's 고 — not a quote's 라고 nor the turn of 말고/아니고 ("5시 말고 6시로"), nor the 고 of
# 업무 보고 ("주요업무 보고 한글 파일로")
_CONNECTIVE = re.compile(
    r"\s+그리고\s+|,\s+|[!?.]\s+|(?<=[가-힣])(?<![라말니])(?<!업무보)(?<!업무 보)고\s+(?=\S)|(?:하고|이랑|랑)\s+"
    r"|(?<=[가-힣])(?:과|와)\s+함께\s+"
    r"|(?<=[가-힣])(?:과|와)\s+(?=.*(?:함께|같이|둘\s*다|각각))|(?<=[는인]지)(?:랑|이랑|하고)\s+"
)

_QUESTION = re.compile(table.QUESTION)
_CREATE = re.compile(table.CREATE)
_REMIND = re.compile(table.REMIND)
_ASKS_LOOKUP = re.compile(table.ASKS_LOOKUP)
_DONE = re.compile(table.DONE)
_PLAN = re.compile(table.PLAN)
_COUNTDOWN = re.compile(table.COUNTDOWN)
_MINUTES = re.compile(table.MINUTES)
_EVENT_NOUNS = re.compile(table.EVENT_NOUNS)
_RECURRING = re.compile(table.RECURRING)
_TASK = re.compile(table.TASK)
_BOOK = re.compile(table.BOOK)
_EDIT = re.compile(table.EDIT_WORDS)
_MOVE = re.compile(table.MOVE)
_RECENT_ITEM = re.compile(table.RECENT_ITEM)
_RECORDS = re.compile(table.RECORDS)
_SET_ALARM = re.compile(table.SET_ALARM)
_PARALLEL = re.compile(table.PARALLEL)
_AMOUNT_UNIT = re.compile(r"[원만천억,]")
_VIEWS = tuple((view, re.compile(rx)) for view, rx in table.BUDGET_VIEWS)
_SUBJECTS = tuple((name, re.compile(rx)) for name, rx in table.BUDGET_SUBJECTS)
_EXPORTS = tuple((what, re.compile(rx)) for what, rx in table.EXPORT_WHAT)
_WORDS = re.compile(r"[0-9A-Za-z가-힣]+")
_BARE_WORDS = frozenset((
    "는", "은", "도", "엔", "에는", "에", "요", "좀", "뭐", "뭐야", "뭐지", "뭐있어",
    "있어", "있나", "있니", "있지", "있어요", "있나요", "있음", "일정", "일정은", "일정이",
    "스케줄", "스케줄은", "어때", "어떻게", "돼", "되지", "돼요", "해", "하지", "뭐해", "뭐하지",
    "무슨", "일", "잡혀", "잡혀있어", "있냐", "계획", "계획은", "어떰", "어떤지", "다시", "그럼",
    "그러면", "그리고", "그날", "그날은",
))
_DELAY = re.compile(
    r"((?<!\d)\d+|한|두|세|네|다섯|열|십|이십|삼십|사십|오십|반|하루|이틀|사흘)\s*(분|시간|일|)\s*(반)?\s*(?:만|만큼|정도)?\s*"
    r"(?:더\s*)?(?:뒤|후|미뤄|미루|늦춰|연기|있다가)"
)
_DAYS = {"하루": 1, "이틀": 2, "사흘": 3}
_NUMBER_WORDS = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "열": 10, "십": 10, "이십": 20, "삼십": 30,
                 "사십": 40, "오십": 50}
_COPULA = re.compile(r"(?<=[0-9천만억원])(?=이(?:야|에요|예요|고|었|래|라서|니까)|입니다|임(?![가-힣])|인데)")
_AGENDA = re.compile(r"안건\S{0,2}\s*[:：]?\s*(.+)")
# edits of a recent item and the slots that carry their new value
_NEEDS: Mapping[str, tuple[str, ...]] = {"spending_fix": ("amount",), "reminder_move": ("date", "delay_minutes")}
_FOLLOWUPS = re.compile(r"후속\s*(?:조치)?\S{0,2}\s*[:：]?\s*(.+)")
_REMAINING = re.compile(r"남은|남았|앞으로")
_AMOUNT_TURN = re.compile(r"아니라|아니고|말고|대신|에서")
_STATUSES = tuple((name, re.compile(rx)) for name, rx in table.PLEDGE_STATUS_WORDS)
# The sentence's own verbs and request words, cut from titles, targets and purposes.
_VERB_TAIL = re.compile(
    r"\s*(?:" + table.DONE + "|" + table.CREATE + "|" + table.PLAN + "|" + table.MOVE + r"|"
    r"해\s*줘|해\s*주세요|부탁해|좀)\S*\s*$"
)


@dataclass(frozen=True, slots=True)
class Reading:
    kind: str
    score: float
    creates: bool  # the kind is a creation
    slots: Mapping[str, object]  # date (DateResult), amount (Amount), names, title, subject, view, …


@dataclass(frozen=True, slots=True)
class Understanding:
    typed: str  # as typed
    text: str  # normalised (the first request when there are several)
    readings: tuple[Reading, ...]  # ranked best first: every kind that qualified
    more: tuple[str, ...] = ()  # further requests of the same message, answered after the first
    fixes: tuple[str, ...] = ()
    base: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))  # slots read once
    features: frozenset[str] = frozenset()  # what the first request holds (question, date, bare_date …)

    @property
    def best(self) -> Reading:
        if self.readings:
            return self.readings[0]
        return Reading(UNKNOWN, 0.0, False, self.base)

    @property
    def close(self) -> bool:
        """The top two are too near to choose: ask which one ("이거 말씀이세요?")."""
        if len(self.readings) < 2:
            return False
        first, second = self.readings[0], self.readings[1]
        return second.score >= table.CLOSE_FLOOR and first.score - second.score < table.CLOSE_MARGIN

    def choices(self, limit: int = 3) -> tuple[Reading, ...]:
        """The readings to offer as buttons when :attr:`close`: those within the margin of the best."""
        if not self.readings:
            return ()
        top = self.readings[0].score
        return tuple(r for r in self.readings[:limit]
                     if top - r.score < table.CLOSE_MARGIN and r.score >= table.CLOSE_FLOOR)

    def intent(self, reading: Reading | None = None) -> Intent:
        """A reading as the :class:`Intent` the feature callbacks take (name = kind, slots)."""
        chosen = reading or self.best
        slots = chosen.slots
        others = tuple(r.kind for r in self.readings if r is not chosen)
        date = slots.get("date_result", slots.get("date"))
        amount = slots.get("amount_result", slots.get("amount"))
        return Intent(
            chosen.kind, chosen.score,
            date if isinstance(date, DateResult | DateFailure) else None,
            amount if isinstance(amount, Amount | AmountFailure) else None,
            tuple(n for n in slots.get("names", ()) if isinstance(n, NameLookup)),  # type: ignore[attr-defined]
            str(slots.get("text", self.text)), others, slots,
        )


@dataclass(frozen=True, slots=True)
class _Read:
    """What a message holds, read once for every kind."""

    text: str
    squeezed: str
    date: DateResult | DateFailure | None
    amount: Amount | AmountFailure | None
    names: tuple[NameLookup, ...]
    rest: str  # without amount and date: a title, a memo
    before_date: str
    features: frozenset[str]


def understand(text: str, now: datetime, facts: FactIndex | None = None, names: NameIndex | None = None
               ) -> Understanding:
    normalized = normalize(text)
    parts = list(split_requests(normalized.text)) or [normalized.text]
    if len(parts) == 1:
        parts = _split_at_connective(parts[0], now, facts, names)
    read = _read(parts[0], now, names)
    readings = _rank(read, now, facts, names)
    more: list[str] = []
    for part in parts[1:]:
        if more:
            more.append(part)
            continue
        alone = _rank(_read(part, now, names), now, facts, names)
        if readings:
            part, alone = _carried(part, alone, readings[0], now, facts, names)
        if alone and alone[0].kind != UNKNOWN and not _continues(readings, alone[0]) and (
                readings and readings[0].score >= STANDS_ALONE):
            more.append(part)
            continue
        joined = f"{read.text} {part}"  # "…지출했습니다. 시책추진으로 기록해 주세요": one request
        read = _read(joined, now, names)
        readings = _rank(read, now, facts, names)
    return Understanding(text, read.text, readings, tuple(more), normalized.fixes, _base_slots(read), read.features)


def _split_at_connective(text: str, now: datetime, facts: FactIndex | None, names: NameIndex | None
                         ) -> list[str]:
    """Two requests joined by 그리고/하고/고 that the normaliser left whole: cut where both halves read
    surely as different kinds ("망원시장 다녀옴 그리고 방문기록 보여줘"). Each cut reads both halves, so only
    the first few connectives of a message of chat length are tried (a pasted page is read as one)."""
    if len(text) > _SPLIT_LENGTH:
        return [text]
    for match in islice(_CONNECTIVE.finditer(text), _SPLIT_TRIES):
        head, tail = text[: match.start()].strip(" ,"), text[match.end():].strip(" ,")
        if not head or not tail or _ADDS_TO.match(tail):
            continue
        first, second = _rank(_read(head, now, names), now, facts, names), _rank(_read(tail, now, names), now,
                                                                                  facts, names)
        if first:
            tail, second = _carried(tail, second, first[0], now, facts, names)
        if (first and second and _different(first[0], second[0]) and first[0].score >= STANDS_ALONE
                and second[0].score >= STANDS_ALONE):
            return [head, tail]
    return [text]


def _carried(part: str, alone: tuple[Reading, ...], first: Reading, now: datetime, facts: FactIndex | None,
             names: NameIndex | None) -> tuple[str, tuple[Reading, ...]]:
    """A lookup continued with only its new subject ("…몇 건 나갔고 간담회 쪽은 몇 건이야") asks the first
    request's question again: read with the first request's noun put before it, kept when that reads so."""
    if (alone and alone[0].kind == first.kind) or not _PARALLEL.search(part):
        return part, alone
    carrier = table.CARRIERS.get(first.kind)
    if carrier is None:
        return part, alone
    carried = f"{carrier} {part}"
    again = _rank(_read(carried, now, names), now, facts, names)
    return (carried, again) if again and again[0].kind == first.kind else (part, alone)


def _different(first: Reading, second: Reading) -> bool:
    """Two requests, not one cut in two: other kinds, or two lookups of other things (facts, lines)."""
    if first.kind != second.kind:
        return True
    if first.creates:
        return False
    return any(first.slots.get(name) != second.slots.get(name) for name in ("fact_key", "subject", "view", "what"))


def _continues(readings: tuple[Reading, ...], next_best: Reading) -> bool:
    """A further sentence that only adds to the first request: the same kind, or a bare request to store
    ("기록해 주세요", "알림 부탁드립니다") after a creation."""
    if not readings:
        return False
    first = readings[0]
    if first.creates and _CREATE.search(str(next_best.slots.get("text", ""))) and "date" not in next_best.slots \
            and "amount" not in next_best.slots:
        return True  # "…지출했습니다. 시책추진으로 기록해 주세요"
    if first.kind in _NEEDS and not any(first.slots.get(name) for name in _NEEDS[first.kind]) and any(
            next_best.slots.get(name) for name in _NEEDS[first.kind]):
        return True  # "금액이 잘못되었습니다. 56만 원이 맞습니다": the edit's new value in a sentence of its own
    return first.kind == next_best.kind and first.creates


@cache
def _matcher(names: NameIndex | None) -> IntentMatcher:
    return IntentMatcher(table.INTENTS, names)


def _read(text: str, now: datetime, names: NameIndex | None) -> _Read:
    clean = collapse_spaces(text)
    amount = find_amount(_COPULA.sub(" ", clean))
    rest = amount.rest if isinstance(amount, Amount) else clean
    date = _when_in_head(rest, now)
    if isinstance(date, DateFailure) and date.code == "weekday_mismatch":
        back = _when_in_head(rest, now, past=True)  # "7월 16일 월요일" is this year's Monday gone by
        date = back if isinstance(back, DateResult) else date
    after = date.rest if isinstance(date, DateResult) else strip_command_words(rest)
    index = names if names is not None else default_index()
    found = tuple(index.find_all(after[:_READ_CHARS]))
    features = _features(clean, date, amount, found, now, rest)
    return _Read(clean, squeeze(clean), written_date(date), amount, found, after, rest, features)


def _when_in_head(text: str, now: datetime, past: bool = False) -> DateResult | DateFailure:
    """The date of a request is written near its start: a pasted page is searched for one in its head only
    (the rest stays in the memo), which keeps a long message as quick as a short one."""
    if len(text) <= _READ_CHARS:
        return parse_when(text, now, past=past)
    cut = text.rfind(" ", 0, _READ_CHARS) + 1 or _READ_CHARS
    date = parse_when(text[:cut], now, past=past)
    return replace(date, rest=f"{date.rest} {text[cut:]}".strip()) if isinstance(date, DateResult) else date


def _features(text: str, date: DateResult | DateFailure, amount: Amount | AmountFailure | None,
              names: Iterable[NameLookup], now: datetime, rest: str) -> frozenset[str]:
    found = {f"name:{lookup.best.kind}" for lookup in names if lookup.sure and lookup.best}
    if isinstance(amount, AmountFailure) or (isinstance(amount, Amount) and _AMOUNT_UNIT.search(amount.text)):
        found.add("amount")  # 27만원, 45,000, or one to refuse (-5만원) — not a bare number such as 서울로7017
    # "…했는지 확인하라고 알려줘": the question is the task's, quoted — the message asks for a reminder
    quoted = bool(_TASK.search(text)) and "?" not in text
    if _QUESTION.search(text) and not quoted:
        found.add("question")
    if _CREATE.search(text):
        found.add("create")
    asks = bool(_ASKS_LOOKUP.search(text)) and not quoted
    if asks:
        found.add("asks_lookup")
        if not _EDIT.search(text):  # "방금 등록한 일정 지워줘" edits what it names
            found.add("question")  # "일정 알려줘", "잔액 좀 알려줘": a lookup asked politely
    if _DONE.search(text):
        found.add("done")
    if _RECORDS.search(text) and "done" not in found and not (
            isinstance(date, DateResult) and date.end is None and date.precision != "month"):
        found.add("records")  # "의장단 면담 기록", "이번 달 회의 기록": what was logged, asked for
    if _RECENT_ITEM.search(text) and (_EDIT.search(text) or _MOVE.search(text)):
        found.add("edit_recent")
    if _COUNTDOWN.search(text):
        found.add("countdown")
    if _MINUTES.search(text):
        found.add("minutes")
    found.add("event_noun" if _EVENT_NOUNS.search(text) else "no_event_noun")
    if _RECURRING.search(text):
        found.add("recurring")
    if _TASK.search(text):
        found.add("task")
    dated = isinstance(date, DateResult) or (isinstance(date, DateFailure) and date.code in REPORTED_FAILURES)
    if _REMIND.search(text) and not asks and (dated or "countdown" in found or "recurring" in found
                                              or "task" in found or _SET_ALARM.search(text)):
        found.add("remind")
    if isinstance(date, DateResult):
        found.add("date")
        if date.precision == "minute":
            found.add("time")
        when = _when(date, rest, now)
        if when:
            found.add(when)
        if _is_bare(rest[: date.span[0]] + " " + rest[date.span[1]:]):
            found.add("bare_date")
        if date.start.date() == now.date():
            found.add("today")
        if when is None and date.start.date() > now.date():
            back = _when_in_head(rest, now, past=True)
            if isinstance(back, DateResult) and back.start.date() <= now.date():
                found.add("date:recent")  # "7/17", "월요일": may be the last one (a log's date)
        if _BOOK.search(text) and (when == "date:ahead" or date.start > now):
            found.add("schedule")  # 등록/추가/잡아 with a time ahead: an event, not a log
        if (when == "date:ahead" or (date.start.date() == now.date() and date.start > now)) and (
                "time" in found or _PLAN.search(text)) and "done" not in found:
            found.add("plan")
            if when == "date:ahead" and not (_PLAN.search(text) or {"create", "remind"} & found):
                found.add("unsaid")  # "다음주 화요일 10시 구청장협의회": to schedule or to log? ask
    return frozenset(found)


def _is_bare(rest: str) -> bool:
    return all(word in _BARE_WORDS for word in _WORDS.findall(rest))


def _when(date: DateResult, text: str, now: datetime) -> str | None:
    """``date:past`` for a date wholly before today; ``date:ahead`` for one after today that the words put
    ahead (내일, 9월 15일), not one merely read forward (월요일, 25일: it may be the last one)."""
    today = now.date()
    last = (date.end or date.start).date()
    if date.precision == "month" and last.replace(day=1) == today.replace(day=1):
        last = today
    if last < today:
        return "date:past"
    if date.start.date() <= today:
        return None
    back = _when_in_head(text, now, past=True)
    if isinstance(back, DateResult) and today - timedelta(days=_MONTH_DAYS) <= back.start.date() <= today:
        return None
    return "date:ahead"


def _rank(read: _Read, now: datetime, facts: FactIndex | None, names: NameIndex | None) -> tuple[Reading, ...]:
    scored: list[tuple[float, int, str]] = [
        (score, rule.priority, rule.name) for score, rule in _matcher(names).rank(read.text, read.squeezed,
                                                                                  read.features)
    ]
    fact = _best_fact(read, facts)
    if fact is not None:
        scored.append((_fact_score(fact, read.features), 0, FACT_KIND))
    scored = [item for item in scored if item[0] >= table.MIN_SCORE]
    if "unsaid" in read.features:  # a bare date ahead + a name: book it or log a planned meeting? equal
        top = max((score for score, _priority, kind in scored if kind in CREATING), default=0.0)
        near = top - table.CLOSE_MARGIN / 2  # within the margin, the surer one still first
        scored = [(max(score, near) if kind in CREATING else score, priority, kind) for score, priority, kind in scored]
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    base = _base_slots(read)
    readings = []
    for position, (score, _priority, kind) in enumerate(scored):
        slots = _slots(kind, read, base, now, fact) if position < 3 else base
        readings.append(Reading(kind, score, kind in CREATING, slots))
    return tuple(readings)


def _best_fact(read: _Read, facts: FactIndex | None) -> FactMatch | None:
    if facts is None:
        return None
    found = facts.rank(fact_squeeze(read.text), 1)
    return found[0] if found else None


def _fact_score(fact: FactMatch, features: frozenset[str]) -> float:
    score = FACT_BASE + fact.score
    if "question" in features:
        score += FACT_QUESTION
    elif _ACTING & features:
        score += FACT_ACTING
    return score


def _base_slots(read: _Read) -> Mapping[str, object]:
    slots: dict[str, object] = {"names": read.names, "text": read.rest}
    if read.date is not None:
        slots["date_result"] = read.date
    if isinstance(read.date, DateResult):
        slots["date"] = read.date
        if read.date.end is not None:
            slots["end"] = read.date.end
    if read.amount is not None:
        slots["amount_result"] = read.amount
    if isinstance(read.amount, Amount):
        slots["amount"] = read.amount
    for kind in ("district", "budget_line", "council", "pledge"):
        sure = [lookup.best.name for lookup in read.names if lookup.sure and lookup.best and lookup.best.kind == kind]
        if sure:
            slots[kind] = sure[0]
    return MappingProxyType(slots)


def _slots(kind: str, read: _Read, base: Mapping[str, object], now: datetime, fact: FactMatch | None
           ) -> Mapping[str, object]:
    slots = dict(base)
    text = read.text
    if kind == FACT_KIND and fact is not None:
        slots.update(fact_key=fact.key, topic=fact.topic)
    elif kind == "budget_query":
        slots["view"] = next((view for view, rx in _VIEWS if rx.search(text)), None)
        slots["subject"] = next((name for name, rx in _SUBJECTS if rx.search(text)), None)
        if isinstance(read.date, DateResult):
            as_of = _when_in_head(read.before_date, now, past=True)  # figures are as of a day gone by
            day = as_of if isinstance(as_of, DateResult) else read.date
            slots["as_of"] = day.end or day.start  # "6월 말 기준" is as of its last day
    elif kind == "pledge_query":
        slots["status"] = next((name for name, rx in _STATUSES if rx.search(text)), None)
        slots["subject"] = read.rest
    elif kind == "export":
        slots["what"] = next((what for what, rx in _EXPORTS if rx.search(text)), None)
    elif kind == "report":
        asked = read_report_words(text, now)
        slots["request"] = asked
        if isinstance(asked, ReportAsk):
            slots["format"] = asked.fmt
            slots["as_of"] = datetime.combine(asked.as_of, datetime.min.time(), tzinfo=now.tzinfo)
    elif kind == "spending_log":
        slots["line"] = base.get("budget_line") or next(
            (name for name, rx in _SUBJECTS[:2] if rx.search(text)), None)
        field_found = next(((name, m.group(0)) for name, rx in _SUBJECTS[2:] if (m := rx.search(text))), None)
        slots["field"] = f"{field_found[0]} {field_found[1]}" if field_found else None
        slots["purpose"] = _title(read.rest)
        _past_date(slots, read, now)
    elif kind in ("event_create", "reminder_create", "meeting_log", "visit_log"):
        slots["title"] = _title(read.rest)
        if kind in ("meeting_log", "visit_log"):
            _past_date(slots, read, now)
        # the words place, people, agenda and follow-ups are read from (bot.lang.fieldlog splits them)
        for name in ("place", "people", "agenda", "followups"):
            slots[name] = slots["title"]
        for name, rx in (("agenda", _AGENDA), ("followups", _FOLLOWUPS)):
            if found := rx.search(text):
                slots[name] = tidy(found.group(1))
    elif kind in ("agenda_query", "visit_query", "meeting_query", "followup_query"):
        _period(slots, read, now)
    elif kind == "reminder_move":
        slots["target"] = _title(read.rest)
        delay = _delay(text)
        if delay is not None:
            slots["delay_minutes"] = delay
            slots.pop("date", None)  # "30분 뒤로" is a delay, not a date
    elif kind == "spending_fix":
        slots["target"] = _title(read.rest)
        corrected = _corrected_amount(text)
        if corrected is not None:
            slots["amount"] = slots["amount_result"] = corrected
    return MappingProxyType(slots)


def _period(slots: dict[str, object], read: _Read, now: datetime) -> None:
    """A month or a week asked about covers its days ("8월" → 8.1–8.31); "남은" starts it today."""
    date = read.date
    if not isinstance(date, DateResult):
        return
    start, end = date.start, date.end
    if date.precision == "month" and end is None:
        following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        end = following - timedelta(days=1)
    if _REMAINING.search(read.text) and now.date() <= (end or start).date() and (
            start.date() <= now.date() or "까지" in read.text):  # 다음 주 남은 일정: all of next week
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)  # 7월 말까지 남은: from today
    slots["date"] = start
    if end is not None:
        slots["end"] = end


def _past_date(slots: dict[str, object], read: _Read, now: datetime) -> None:
    """A log's date is read back (월요일 → last Monday) unless the words put it ahead or plan it."""
    # a plan of the follow-ups ("후속조치로 … 보고하기로 했습니다") does not make the meeting itself planned
    logged = read.text[: found.start()] if (found := _FOLLOWUPS.search(read.text)) else read.text
    if not isinstance(read.date, DateResult) or "date:ahead" in read.features or _PLAN.search(logged):
        return
    past = _when_in_head(read.before_date, now, past=True)
    if isinstance(past, DateResult):
        slots["date"] = slots["date_result"] = past
        if past.end is not None:
            slots["end"] = past.end
        else:
            slots.pop("end", None)


def _title(rest: str) -> str:
    title = strip_command_words(rest)
    for _ in range(3):
        cut = _VERB_TAIL.sub("", title)
        if cut == title:
            break
        title = cut
    return tidy(title)


def _corrected_amount(text: str) -> Amount | None:
    """The new amount of a correction: the one after 아니라/아니고/으로, else the last one written."""
    text = _COPULA.sub(" ", text)
    turn = _AMOUNT_TURN.search(text)
    if turn is not None:
        after = find_amount(text[turn.end():])
        if isinstance(after, Amount):
            return after
    last, position = None, 0
    while isinstance(found := find_amount(text[position:]), Amount):
        last, position = found, position + found.span[1]
    return last


def _delay(text: str) -> int | None:
    match = _DELAY.search(text)
    if match is None:
        return None
    number, unit, half = match.groups()
    if number in _DAYS:
        return _DAYS[number] * 24 * 60
    if number == "반":
        return 30
    if unit == "일":
        return int(number) * 24 * 60 if number.isdigit() else None
    if not unit:
        return None
    value = int(number) if number.isdigit() else _NUMBER_WORDS.get(number, 0)
    return value + 0 if unit == "분" else value * 60 + (30 if half else 0)

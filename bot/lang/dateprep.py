"""Pre-pass for the date forms korean-datetime does not read (yet).

Staff write dates as the work report does: dotted month.day (`9.15`, `9. 15.`, `9.1.(토) 14:00`), dotted
ranges (`8.6~9.1`, `8.6~20`), month ranges (`7~8월`) and `올해 말`/`내년 초`. This module rewrites them into
forms the library already understands (`9월 15일`, `7월~8월`, `올해 연말`) — slashed `7/19` too, which the
library misreads before a word starting like an hour or a counter (`7/19 시의원` → 19시, `7/19 명절` → 19명,
no date) — strips weekday marks such as `(토)` (remembering them, so the caller can check them), spells
out a weekday shortened to one letter after a week word or before a clock time (`다음주 화 10시`,
`금 오후 3시` → 화요일, 금요일), and keeps a map from positions in the rewritten text back to the
original, so the caller can cut the date out of the user's own words. `지금부터 30분 후`
loses its redundant `지금부터`, after which the library would drop the offset.

Decimals are protected: `3.5억`, `1.5배`, `2.5%`, `v3.1` and version-like `1.2.3` stay as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WEEKDAYS = "월화수목금토일"

_TILDES = str.maketrans({"∼": "~", "〜": "~", "～": "~", "–": "~"})
# After 7/19 these syllables make the library read "19 명", "19 건", "19 시"… as a count or an hour and drop
# the date ("7/19 명절 선물", "7/19 시의원"); the 7월 19일 form is read right whatever follows.
_UNIT_SYLLABLE_AFTER = re.compile(r"\s*[시개건권등명배번병분살상세월위잔점주차층회]")
# a day already said before 퇴근 전/점심 먹고 (otherwise those mean today)
_DAY_WORD = re.compile(r"오늘|내일|모레|글피|[월화수목금토일]요일|\d\s*일|\d/\d|[번음담차]\s?주")
# text without any of these is left alone
_NEEDED = re.compile(
    r"점심|퇴근|그\s*다음|\d분\s+간|[./~(말초∼〜～–]|지금|주\s?[월화수목금토]|[월화수목금토일]\s*(?:오전|오후)?\s*\d")

_MONTH = r"1[0-2]|0?[1-9]"
_DAY = r"3[01]|[12]\d|0?[1-9]"
_MARK = r"\s*\(\s*(?P<{name}>[월화수목금토일])(?:요일)?\s*\)"
# A number followed by one of these is a quantity, not a day ("3.5억", "1.5배", "2.5 시간").
_UNIT = (
    r"(?:\s?(?:억|만|천|백)(?:\s?(?:원|명|건|개|달러)|(?![가-힣]))|\s?원|%|\s?퍼센트|\s?시간"
    r"|\s?(?:배|분|초|개월|점|평|층|톤|리터|달러|위안|유로|세|살|년|도)(?![가-힣])"
    # a count of people or items is whole: "2.5명" is glued, "7.19 명 절" is a date and a split word
    r"|(?:개|명|건|회)(?![가-힣])"
    r"|\s?(?:km|kg|cm|mm|m|g|t|p|kW|MW)\b|㎏|㎞|℃)"
)
# ...and a number after one of these is a measurement ("버전 3.5", "평균 4.5", "금리 2.5").
_QUANTITY_BEFORE = re.compile(
    r"(?:버전|ver|v|약|평균|평점|점수|비율|지수|금리|환율|[률율]|수치|온도|무게)\s*$", re.IGNORECASE
)
_AFTER_YEAR = r"(?=$|[^가-힣]|(?:에서|에는|에|까지|부터|쯤|경|께|중|으로|로|엔)(?:[^가-힣]|$))"

_PATTERN = re.compile(
    # 9.15 / 9. 15. / 9.1.(토) / 8.6~20 / 7/19  (month.day, never a decimal)
    rf"(?P<dotted>(?<![\w.,'’‘/:])(?<!\d\.\s)(?P<m>{_MONTH})(?P<sep>[./])(?P<sp>\s?)(?P<d>{_DAY})"
    rf"(?!\d|[./]\d|{_UNIT})"
    rf"(?P<dot>\.(?!\d))?(?:{_MARK.format(name='wd')})?"
    rf"(?:\s*~\s*(?P<d2>{_DAY})(?![\d.:/]|\s*[월일시]|{_UNIT}))?)"
    # 7~8월 → 7월~8월
    rf"|(?P<months>(?<![\w.~])(?P<m1>{_MONTH})\s*~\s*(?P<m2>{_MONTH})\s*월)"
    # 올해 말 / 내년 초 → 올해 연말 / 내년 연초
    rf"|(?P<yearpart>(?P<y>올해|금년|내년|명년|작년|\d{{4}}년)\s*(?P<p>초|말){_AFTER_YEAR})"
    # (토) after any other date form: 9월 1일(토), 2019.3.4.(월), 9/15 (토)
    rf"|(?P<mark>(?<=[\d일.])\.?{_MARK.format(name='wd2')})"
    # 지금부터 30분 후 → 30분 후 (the library drops the offset after 지금부터)
    # 다음주 화 → 다음주 화요일; 금 오후 3시 → 금요일 오후 3시 (일 only before a time: 이번주 일 많음 is work)
    r"|(?P<weekday>(?:(?<=[번음담차금내난]주)|(?<=[번음담차금내난]\s주))\s?[월화수목금토](?![가-힣\d])"
    r"|(?<![가-힣\d])[월화수목금토일](?=\s*(?:오전|오후|아침|낮|저녁|밤|새벽)?\s*\d{1,2}\s*(?:시(?!간)|:\d)))"
    # 30분 간담회 → 30분, 간담회 (the library reads "30분 간…" as the duration 30분간)
    r"|(?P<minutegap>(?<=\d분)\s+(?=간(?!격)[가-힣]))"
    # 점심 먹고 1시 → 오후 1시; 퇴근 전 6시 → (오늘) 오후 6시: the meal or the day's end puts it after noon
    r"|(?P<afternoon>(?:점심|점심\s*식사|퇴근)\s*(?:먹고|하고|끝나고|지나고|마치고|먹은\s*(?:후|뒤)|하기\s*전|"
    r"후|뒤|전|직전|직후)에?\s*(?=(?:\d{1,2}|한|두|세|네|다섯|여섯)\s*시(?!간)))"
    # 그 다음 주 → 다음 주 (the week after this one, said with a filler)
    r"|(?P<that>(?<![가-힣])그\s*(?=다음\s*주))"
    r"|(?P<fromnow>지금\s*(?:으로)?부터\s*)"
    r"(?=[\d한두세네다섯여섯일곱여덟아홉열십반이삼사오육칠팔구]+\s*(?:분|시간|일|주|개월|달|년))"
)


@dataclass(frozen=True, slots=True)
class WeekdayMark:
    """A weekday written in brackets after a date, at ``[start, end)`` of the original text."""

    start: int
    end: int
    weekday: int  # Monday == 0


@dataclass(frozen=True, slots=True)
class Rewritten:
    """The text for the library, plus what is needed to map its spans back to the original."""

    original: str
    text: str
    pieces: tuple[tuple[int, int, int, int], ...]  # (new_start, new_end, orig_start, orig_end) replaced
    marks: tuple[WeekdayMark, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``text`` to the original text (snapping to replaced pieces)."""
        if not self.pieces:
            return start, end
        return self._map(start, is_end=False), self._map(end, is_end=True)

    def _map(self, pos: int, *, is_end: bool) -> int:
        shift = 0
        for new_start, new_end, orig_start, orig_end in self.pieces:
            if pos <= new_start:
                break
            if pos < new_end:
                return orig_end if is_end else orig_start
            shift = orig_end - new_end
        return pos + shift


def rewrite(original: str) -> Rewritten:
    """Rewrite the report's date forms; text without them comes back unchanged (and cheaply)."""
    if _NEEDED.search(original) is None:
        return Rewritten(original, original, (), ())
    text = original.translate(_TILDES)
    out: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    marks: list[WeekdayMark] = []
    last = new_len = 0
    for match in _PATTERN.finditer(text):
        replacement = _replacement(match, marks)
        if replacement is None:
            continue
        kept = text[last : match.start()]
        out.append(kept)
        new_len += len(kept)
        out.append(replacement)
        pieces.append((new_len, new_len + len(replacement), match.start(), match.end()))
        new_len += len(replacement)
        last = match.end()
    if not pieces:
        return Rewritten(original, text, (), ())
    out.append(text[last:])
    return Rewritten(original, "".join(out), tuple(pieces), tuple(marks))


def _replacement(match: re.Match[str], marks: list[WeekdayMark]) -> str | None:
    if match["dotted"]:
        if match["sp"] and (match["sep"] == "/" or not match["dot"]):
            return None  # "항목 9. 15" is a list, "9. 15." is a date
        if _QUANTITY_BEFORE.search(match.string, max(0, match.start() - 6), match.start()):
            return None
        _add_mark(match, "wd", marks)
        month, day = int(match["m"]), int(match["d"])
        if match["d2"]:
            return f"{month}월 {day}일~{int(match['d2'])}일"
        if _UNIT_SYLLABLE_AFTER.match(match.string, match.end()):
            return f"{month}월 {day}일"
        return f"{month}/{day}"  # the library reads this form twice as fast as 9월 15일
    if match["months"]:
        return f"{int(match['m1'])}월~{int(match['m2'])}월"
    if match["yearpart"]:
        return f"{match['y']} 연{match['p']}"
    if match["fromnow"] or match["that"]:
        return ""
    if match["minutegap"]:
        return ", "
    if match["afternoon"]:
        said_day = _DAY_WORD.search(match.string, 0, match.start())
        return "오후 " if said_day else "오늘 오후 "
    if match["weekday"]:
        return match["weekday"] + "요일"
    _add_mark(match, "wd2", marks)
    return " "


def _add_mark(match: re.Match[str], group: str, marks: list[WeekdayMark]) -> None:
    if match[group]:
        text = match.string
        start = match.start() if group == "wd2" else text.rfind("(", match.start(), match.start(group))
        end = text.find(")", match.end(group)) + 1
        marks.append(WeekdayMark(start, end, WEEKDAYS.index(match[group])))

"""bot.lang.datescan: the indexed scanner gives exactly the library scanner's tokens, only faster."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from date_corpus import NOW, load
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from korean_datetime import Cycle, ParseOptions, TemporalParser
from korean_datetime.core.scanner import Scanner

from bot.lang.dates import DateParser, default_parser
from bot.lang.datescan import IndexedScanner, first_chars, speed_up

PLAIN = TemporalParser()
SCANNER: Scanner = PLAIN._scanner  # the library's own (shared) scanner
INDEXED = IndexedScanner(SCANNER.rules)
TEXTS = [case.text for case in load()] + [
    line.partition("|")[2].strip()
    for line in Path(__file__).with_name("intent_examples.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
# Everything the rules can start with, and then some: their letters, digits, spaces, Latin, punctuation.
ALPHABET = sorted(
    {char for rule in SCANNER.rules for char in rule.pattern.pattern if "가" <= char <= "힣"}
    | set("0123456789 \t.:/-~∼()·apmAPM%年月日갛꿹")
)


def test_every_rule_is_indexed_and_most_by_their_first_letters() -> None:
    starts = [first_chars(rule.pattern) for rule in SCANNER.rules]
    assert len(starts) == len(SCANNER.rules) > 40
    assert sum(start is not None for start in starts) >= len(starts) - 2  # the point of the index


@pytest.mark.parametrize(
    ("pattern", "admitted", "refused"),
    [
        (r"(?<!\d)(\d{1,2})\s*시", "07٣", "시 a"),  # \d is Unicode: ٣ (Arabic-Indic three) too
        (r"(?:다음|지난)\s*주", "다지", "주 음"),
        (r"(?:내|(?:다){0,4}다음)주", "내다", "주음"),
        (r"[월화수]\s*요일|정오", "월화수정", "목요"),
        (r"(\d)\s*([ap])\.?m", "1", "ap"),
        (r"a\.m\.|오후", "aA오", "m."),  # flags below: case-insensitive
        (r"(?!차)(?:금|차)\s*주", "금차", "주"),
        (r"[^가-힣]x", "ab1", "가"),
    ],
)
def test_first_chars(pattern: str, admitted: str, refused: str) -> None:
    flags = re.IGNORECASE if pattern.startswith("a") else 0
    start = first_chars(re.compile(pattern, flags))
    assert start is not None
    assert all(start.admits(char) for char in admitted)
    assert not any(start.admits(char) for char in refused)


@pytest.mark.parametrize("pattern", [r"x?", r"(?:\s*)", r".시", r"(a)?\1x", r"(?i:a)b", r"\Bx|(?:)"])
def test_unknown_or_nullable_starts_are_tried_everywhere(pattern: str) -> None:
    assert first_chars(re.compile(pattern)) is None


@pytest.mark.parametrize("text", TEXTS)
def test_same_tokens_as_the_library_on_the_corpus(text: str) -> None:
    assert INDEXED.scan(text) == SCANNER.scan(text)


def test_same_tokens_as_the_library_on_shuffled_corpus_words() -> None:
    words = [word for text in TEXTS for word in re.split(r"(\s+)", text) if word]
    rng = random.Random(20180720)
    for _ in range(3000):
        text = "".join(rng.choice(words) for _ in range(rng.randint(1, 6)))
        if rng.random() < 0.5:  # glue and cut words: attached letters, broken boundaries
            cut = rng.randrange(len(text) + 1)
            text = text[:cut] + rng.choice(ALPHABET) + text[cut:]
        assert INDEXED.scan(text) == SCANNER.scan(text), text


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=30))
def test_same_tokens_as_the_library_on_any_text(text: str) -> None:
    assert INDEXED.scan(text) == SCANNER.scan(text)


@pytest.mark.parametrize("cycle", [Cycle.FUTURE, Cycle.PAST])
def test_same_parse_as_the_library(cycle: Cycle) -> None:
    plain = TemporalParser(ParseOptions(cycle=cycle))
    fast = speed_up(TemporalParser(ParseOptions(cycle=cycle)))
    for text in TEXTS:
        assert fast.parse_all(text, NOW) == plain.parse_all(text, NOW), text


def test_our_parsers_use_it_and_share_one_index() -> None:
    parser = default_parser()
    assert isinstance(parser._future._scanner, IndexedScanner)
    assert parser._future._scanner is parser._past._scanner
    assert PLAIN._scanner is SCANNER and type(SCANNER) is Scanner  # the library's own is left alone


def test_injected_holidays_get_their_own_index() -> None:
    from datetime import date

    parser = DateParser({date(2018, 8, 3): "개교기념일"})
    assert isinstance(parser._future._scanner, IndexedScanner)
    result = parser.parse("개교기념일 오전 10시", NOW)
    assert result.ok and result.start.date() == date(2018, 8, 3)


def test_an_unexpected_scanner_is_left_alone() -> None:
    parser = TemporalParser()

    class Custom(Scanner):
        pass

    custom = Custom(SCANNER.rules)
    parser._scanner = custom
    assert speed_up(parser)._scanner is custom

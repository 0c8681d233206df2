"""bot.lang.amounts and bot.lang.moneyfmt: reading and writing won, both ways."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.lang.amounts import LIMIT, THOUSAND_WON, Amount, AmountFailure, find_amount, parse_amount
from bot.lang.moneyfmt import format_thousand_won, format_won, format_won_words


@pytest.mark.parametrize(
    ("text", "won"),
    [
        ("12만원", 120_000),
        ("120,000원", 120_000),
        ("1,200천원", 1_200_000),
        ("3.5억", 350_000_000),
        ("5백만원", 5_000_000),
        ("12만 3천원", 123_000),
        ("1억 2천만원", 120_000_000),
        ("118575", 118_575),
        ("1억 1,857만 5천원", 118_575_000),
        ("118,575천원", 118_575_000),
        ("100만원", 1_000_000),
        ("12만 원", 120_000),
        ("천원", 1_000),
        ("만원", 10_000),
        ("백만원", 1_000_000),
        ("삼십만원", 300_000),
        ("오만원", 50_000),
        ("이천오백원", 2_500),
        ("0.5억", 50_000_000),
        ("1억 2000원", 100_002_000),
        ("10조원", LIMIT),
        ("12만원이요", 120_000),
    ],
)
def test_parse_amount(text: str, won: int) -> None:
    result = parse_amount(text)
    assert isinstance(result, Amount), result
    assert result.won == won


def test_bare_number_is_counted_in_the_callers_unit() -> None:
    assert parse_amount("118575", unit=THOUSAND_WON) == Amount(118_575_000, "118575", (0, 6), "")
    in_won = parse_amount("120,000원", unit=THOUSAND_WON)
    assert in_won.ok and in_won.won == 120_000  # a written unit wins over the default


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("-5만원", "negative", "0보다 커야"),
        ("마이너스 5만원", "negative", "0보다 커야"),
        ("△5만원", "negative", "0보다 커야"),
        ("0원", "zero", "0원은"),
        ("0.5원", "fraction", "원 단위 아래"),
        ("100조원", "too_large", "10조원까지"),
        ("10000000000001", "too_large", "너무 큽니다"),
        ("", "empty", "입력해 주세요"),
        ("abc", "not_amount", "알아보지 못했습니다"),
        ("3명", "not_amount", "알아보지 못했습니다"),
        ("12만원 주세요 많이", "not_amount", "알아보지 못했습니다"),
    ],
)
def test_parse_amount_failures(text: str, code: str, fragment: str) -> None:
    result = parse_amount(text)
    assert isinstance(result, AmountFailure)
    assert (result.code, fragment in result.reason) == (code, True)


def test_zero_allowed_when_asked() -> None:
    result = parse_amount("0원", allow_zero=True)
    assert result.ok and result.won == 0


@pytest.mark.parametrize(
    ("text", "won", "rest"),
    [
        ("지출 12만원 시책추진 간담회 7/20 격려 다과", 120_000, "지출 시책추진 간담회 7/20 격려 다과"),
        ("지출 100만원 기관운영 직원격려 7/20 격려 다과", 1_000_000, "지출 기관운영 직원격려 7/20 격려 다과"),
        ("잔액 193,004천원", 193_004_000, "잔액"),
        ("총 1억 2천만원을 썼다", 120_000_000, "총 썼다"),
        ("지출 50,000 다과", 50_000, "지출 다과"),
        ("2018-07-20 지출 3만원", 30_000, "2018-07-20 지출"),
        ("3.5억 예산", 350_000_000, "예산"),
        ("12만원씩 지급", 120_000, "지급"),
    ],
)
def test_find_amount(text: str, won: int, rest: str) -> None:
    result = find_amount(text)
    assert isinstance(result, Amount), result
    assert (result.won, result.rest) == (won, rest)
    assert text[result.span[0] : result.span[1]] == result.text


@pytest.mark.parametrize(
    "text",
    ["7/20 간담회", "9.15 회의", "14:00 회의", "2018년 예산", "3명 참석", "12만명", "2018 예산", "만남 약속",
     "천안 방문", "3천명", "8.6~9.1 시민투표", "평점 4.5", "원장님 면담", "15일 오후 3시", "제2차 회의"],
)
def test_find_amount_leaves_dates_counts_and_words_alone(text: str) -> None:
    assert find_amount(text) is None


def test_find_amount_reports_an_unusable_amount() -> None:
    result = find_amount("지출 -5만원 다과")
    assert isinstance(result, AmountFailure) and result.code == "negative"


def test_formats() -> None:
    assert format_thousand_won(118_575_000) == "118,575천원"
    assert format_won_words(118_575_000) == "1억 1,857만 5천원"
    assert format_won_words(1_000_000) == "100만원"
    assert format_won_words(123_000) == "12만 3천원"
    assert format_won_words(5_100) == "5,100원"
    assert format_won_words(0) == "0원"
    assert format_won_words(-20_000) == "-2만원"
    assert format_won(120_000) == "120,000원"


@pytest.mark.parametrize(
    ("won", "shown"), [(1_499, "1천원"), (1_500, "2천원"), (499, "0천원"), (-1_500, "-2천원")]
)
def test_thousand_won_rounds_half_up(won: int, shown: str) -> None:
    assert format_thousand_won(won) == shown


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=1, max_value=LIMIT))
def test_words_and_plain_read_back_exactly(won: int) -> None:
    for text in (format_won_words(won), format_won(won)):
        result = parse_amount(text)
        assert result.ok and result.won == won, text


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=LIMIT // 1000))
def test_thousand_won_reads_back_for_multiples_of_1000(thousands: int) -> None:
    result = parse_amount(format_thousand_won(thousands * 1000))
    assert result.ok and result.won == thousands * 1000


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=LIMIT),
    st.sampled_from(["지출 {} 다과", "{} 결제함", "간담회 7/20 {}"]),
)
def test_finder_finds_a_formatted_amount_in_a_sentence(won: int, template: str) -> None:
    result = find_amount(template.format(format_won_words(won)))
    assert isinstance(result, Amount) and result.won == won


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=30), st.text(alphabet="0123456789,.- 만억천백십원조일이삼오△마이너스")))
def test_any_text_gives_an_amount_or_a_clean_failure(text: str) -> None:
    in_thousands = parse_amount(text, unit=THOUSAND_WON, allow_zero=True)
    for result in (parse_amount(text), in_thousands, find_amount(text)):
        if isinstance(result, Amount):
            assert 0 <= result.won <= LIMIT
        elif isinstance(result, AmountFailure):
            assert result.reason

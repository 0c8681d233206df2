"""Lookups answered with the part asked: budget lines and fields by staff's own names, pledge totals and
status words (never searched), typo-tolerant pledge axes and example areas, facts found by their figures'
label words. Phrasings here are not the corpus lines."""

from __future__ import annotations

import pytest
from conftest import ADMIN_ID, Harness, replies

from bot.lang.asked import pledge_count, pledge_scope
from bot.lang.facts import FactEntry, FactIndex, squeeze
from bot.lang.names import one_letter_off
from bot.lang.phrases import asks_pledge_totals, pledge_search

EXAMPLES = {"자영업자": "정책대상", "미래특별시": "정책영역"}


@pytest.mark.parametrize(("question", "figure", "not_total"), [
    ("시책비 남은 거 얼마", "45,621", "238,625"),  # 시책비 = 시책추진업무추진비
    ("기관비 집행률 좀", "30.4%", "33.2%"),
    ("경조사비로 나간 돈", "17,291", "118,575"),  # a field, named by staff's own word
    ("격려비 얼마", "17,291", "118,575"),  # a field without a figure word: its spending
    ("회의비 얼마 썼어", "101,284", "118,575"),
])
async def test_budget_lines_and_fields_by_staff_names(harness: Harness, question: str, figure: str,
                                                      not_total: str) -> None:
    text = "\n".join(replies(await harness.send(ADMIN_ID, question)))
    assert figure in text and not_total not in text, text
    assert len(text.splitlines()) <= 2, text


@pytest.mark.parametrize("question", ["공약 전반적인 현황 요약해줘", "핵심공약 전체 상황", "공약 전반 진행 상황",
                                      "공약 젼체 현황"])
async def test_pledge_totals_words_answer_the_reported_totals(harness: Harness, question: str) -> None:
    text = "\n".join(replies(await harness.send(ADMIN_ID, question)))
    assert "66" in text and "242" in text and "찾지 못했습니다" not in text, text


@pytest.mark.parametrize(("question", "figure"), [
    ("정책영억별 공약", "48"), ("자영업쟈 공약 현황", "18"), ("미래특볗시 공약", "185"),
    ("자영업자 관련 공약 몇 개", "18"),
])
async def test_pledge_axes_and_example_areas_tolerate_typos(harness: Harness, question: str, figure: str) -> None:
    text = "\n".join(replies(await harness.send(ADMIN_ID, question)))
    assert figure in text and "찾지 못했습니다" not in text, text


async def test_a_real_search_word_not_found_still_says_so_with_the_totals(harness: Harness) -> None:
    text = "\n".join(replies(await harness.send(ADMIN_ID, "청년주택 공약 현황")))
    assert "'청년주택'와 맞는 공약을 찾지 못했습니다" in text and "66" in text, text


@pytest.mark.parametrize(("question", "want"), [
    ("청년교류 인원 몇 명", "700명"),  # a figure's label inside the answer text
    ("도쿄하고 자매결연 맺은 지 몇 주년", "30주년"),  # a label's words apart in the question
    ("해외에 진출한 정책 몇 개야", "60개"),
    ("지금 시의회 몇 대야", "제10대"),
])
async def test_facts_found_by_their_label_words(harness: Harness, question: str, want: str) -> None:
    text = "\n".join(replies(await harness.send(ADMIN_ID, question)))
    assert want in text, text


def test_pledge_scope_reads_axes_examples_and_one_letter_typos() -> None:
    assert pledge_scope("정책대상별 세부사업") == ("정책대상", None)
    assert pledge_scope("영역별로 보면") == ("정책영역", None)
    assert pledge_scope("정책대샹별 세부사업") == ("정책대상", None)
    assert pledge_scope("자영엽자 공약", EXAMPLES) == ("정책대상", "자영업자")
    assert pledge_scope("미래특별씨 공약 현황", EXAMPLES) == ("정책영역", "미래특별시")
    assert pledge_scope("청년 공약", EXAMPLES) is None
    assert pledge_count("자영업자 공약 몇 개야", EXAMPLES) == ("정책대상", "core_pledges")
    assert pledge_count("공약 몇 분야로 나뉘어") == ("전체", "areas")


def test_pledge_search_runs_only_on_content_words() -> None:
    statuses = ("정상추진", "지연")
    for text in ("공약 총괄 현황", "공약 이행률 어떤지", "공약 진행 상황 궁금해", "공약 현항", "핵심공약 전부 요약 ㄱ"):
        assert pledge_search(text, statuses).words == (), text
        assert asks_pledge_totals(text) or "현항" in text
    assert pledge_search("어르신 일자리 공약 현황", statuses).words == ("어르신", "일자리")


def test_one_letter_off() -> None:
    assert one_letter_off("정책대샹별", "정책대상")
    assert one_letter_off("강뷱구", "강북구")
    assert not one_letter_off("정책영역", "정책대상")


def test_a_label_said_in_pieces_finds_its_fact() -> None:
    index = FactIndex([
        FactEntry("cities", "세계 주요도시", ("도쿄",), ("서울-도쿄 자매결연",)),
        FactEntry("sisters", "자매우호도시", ("자매결연",), ()),
    ])
    assert index.rank(squeeze("도쿄랑 자매결연 몇 주년"))[0].key == "cities"
    assert index.rank(squeeze("자매결연 도시 몇 개"))[0].key == "sisters"

"""Phone-sized answers, the pure parts: which one figure a question asks, keyboard pages, whole-word labels
(over every label the seed data can put on a button)."""

from __future__ import annotations

import csv
import io
import tomllib

import pytest

from bot.lang.asked import asked_view, names_nothing_else, pick_figure, pledge_count, staffing_number
from bot.present import keys
from bot.present.brief import won
from storage.seed import FACTS_FILE, SEED_FILE

SEED = tomllib.loads(SEED_FILE.read_text(encoding="utf-8"))
FACTS = tomllib.loads(FACTS_FILE.read_text(encoding="utf-8"))["facts"]
PLEDGES = list(csv.DictReader(io.StringIO(SEED_FILE.with_name("pledges_sample.csv").read_text(encoding="utf-8-sig"))))


def _seed_labels() -> list[str]:
    budget, fieldwork = SEED["budget"], SEED["fieldwork"]
    return sorted({
        *(fact["topic"] for fact in FACTS), *(f"관련: {fact['topic']}" for fact in FACTS),
        *(line["name"] for line in budget["lines"]), *(line["short_name"] for line in budget["lines"]),
        *(f"{field['name']} ({field['description']})" for field in budget["fields"]),
        *fieldwork["districts"], *(place["name"] for place in fieldwork["places"]),
        *(event["title"] for event in SEED.get("events", [])),
        *(row["분야"] for row in PLEDGES), *(f"분야: {row['분야']}" for row in PLEDGES),
        *(f"공약: {row['핵심공약']}" for row in PLEDGES), *(f"사업: {row['세부사업']}" for row in PLEDGES),
        *(f"{i}. {row['세부사업']}" for i, row in enumerate(PLEDGES, start=1)),
        *(f"{i}. {row['핵심공약']}" for i, row in enumerate(PLEDGES, start=1)),
    })


@pytest.mark.parametrize("text", _seed_labels())
def test_every_seed_label_is_whole_or_cut_between_words(text: str) -> None:
    shown = keys.label(text)
    if shown == text:
        assert len(text) <= keys.LABEL_LIMIT or (" " not in text and "·" not in text)
        return
    assert shown.endswith("…") and len(shown) <= keys.LABEL_LIMIT
    kept = shown[:-1]
    assert text.startswith(kept) and text[len(kept)] in " ·(,", (text, shown)  # the next character is a break


def test_a_long_label_is_cut_at_a_space_never_inside_a_hangul_word() -> None:
    field = "회의·간담회 (시장업무 추진을 위한 각종 회의, 간담회, 정책자문, 행사 등)"
    assert keys.label(field) == "회의·간담회 (시장업무 추진을 위한 각종 회의…"
    single = "가" * 40
    assert keys.label(single) == single  # one word longer than a button: kept whole, not cut


@pytest.mark.parametrize(("total", "sizes"), [
    (6, [6]), (7, [5, 2]), (10, [5, 5]), (11, [5, 4, 2]), (23, [5, 4, 4, 4, 4, 2])])
def test_keyboard_pages_hold_at_most_six_buttons_and_every_button(total: int, sizes: list[int]) -> None:
    assert keys.page_sizes(total) == sizes
    rows = [[(f"k{i}", f"d{i}")] for i in range(total)]
    seen = []
    for number in range(keys.pages(rows)):
        shown = keys.page(rows, number, "more:9:")
        assert keys.count(shown) <= keys.MAX_KEYS
        seen += [key for row in shown for key in row if not key[1].startswith("more:")]
    assert seen == [key for row in rows for key in row]


@pytest.mark.parametrize(("text", "view"), [
    ("기관운영 잔액", "잔액"), ("기관운영 얼마 남았어?", "잔액"), ("집행률은?", "집행률"), ("몇 퍼센트 썼어", "집행률"),
    ("몇 건이야", "건수"), ("몇 번 썼지", "횟수"), ("직원 몇 명", "인원"), ("자매도시 몇 곳이야?", "곳"),
    ("핵심공약 몇 개야", "개수"), ("시책추진 얼마 썼어?", "집행"), ("시민참여예산 규모", "규모"),
    ("박람회 언제?", "시기"), ("업무추진비 현황", None), ("공약 현황", None), ("인력 현황", None),
])
def test_the_one_figure_asked_is_read_from_the_words(text: str, view: str | None) -> None:
    assert asked_view(text) == view


@pytest.mark.parametrize(("text", "follow"), [
    ("집행률은?", True), ("몇 건이야", True), ("그럼 얼마 썼어?", True), ("잔액은요", True), ("몇 명이야?", True),
    ("기관운영 잔액", False), ("시책추진은?", False), ("업무추진비 집행률", False), ("안녕", False),
])
def test_a_follow_up_names_no_subject_of_its_own(text: str, follow: bool) -> None:
    assert names_nothing_else(text) is follow


def _figures(key: str) -> list[dict[str, object]]:
    return next(fact["figures"] for fact in FACTS if fact["key"] == key)


@pytest.mark.parametrize(("key", "text", "label"), [
    ("participatory-budget", "시민참여예산 규모", "운영규모"),
    ("participatory-budget", "몇 건이야", "사업제안 건수"),
    ("participatory-budget", "몇 회 했어", "사업심사 횟수"),
    ("participatory-budget", "몇 명이야", "사업심사 참여"),
    ("participatory-budget", "시정형은 얼마 규모", "시정형"),
    ("pledge-structure", "세부사업 몇 개", "세부사업"),
    ("pledge-structure", "정책영역 세부사업 몇 개", "정책영역 세부사업"),
    ("sister-cities", "자매도시 몇 곳", "자매우호도시"),
    ("sister-cities", "아세안 수도 몇 개로 늘려?", None),  # 현재 or 목표: not guessed, the card answers
    ("regional-cooperation", "폐교 캠핑장 몇 개소", None),  # no figure of that: the card answers
    ("democracy-seoul", "제안 몇 건", None),  # two years, neither named
])
def test_the_figure_asked_of_a_fact(key: str, text: str, label: str | None) -> None:
    picked = pick_figure(text, asked_view(text), _figures(key))
    assert (picked["label"] if picked else None) == label


def test_pledge_counts_and_staffing_numbers() -> None:
    assert pledge_count("핵심공약 몇 개야") == ("전체", "core_pledges")
    assert pledge_count("정책대상 세부사업 몇 개") == ("정책대상", "sub_projects")
    assert pledge_count("공약 현황") is None
    assert pledge_count("지연 공약 몇 개야?") is None  # the delayed ones are counted, not a reported total
    assert staffing_number("정원 몇 명", asked_view("정원 몇 명")) == (None, "정원")
    assert staffing_number("별정직 현원", None) == ("별정직", "현원")
    assert staffing_number("인력 현황", None) is None


def test_money_in_words_rounds_to_man_won_and_says_so() -> None:
    assert won(2_345_678_000) == "2,345,678천원 (약 23억 4,568만원)"
    assert won(238_625_000) == "238,625천원 (약 2억 3,863만원)"
    assert won(80_000_000) == "80,000천원 (8,000만원)"

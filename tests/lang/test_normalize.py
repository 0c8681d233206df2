"""Chat and dictated Korean are normalised before reading (issue 12 item 2): bot.lang.normalize."""

from __future__ import annotations

import statistics
import time
from datetime import datetime

import pytest

from bot.lang import normalize as normalize_module
from bot.lang.amounts import Amount, find_amount
from bot.lang.dates import SEOUL, DateResult, parse_when
from bot.lang.normalize import Normalized, normalize, split_requests

NOW = datetime(2018, 7, 20, 10, 0, tzinfo=SEOUL)  # a Friday


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # missing spaces
        ("업무추진비잔액얼마", "업무추진비 잔액 얼마"),
        ("업추비잔액", "업무추진비 잔액"),
        ("9월15일오후3시서울식물원개관식", "9월 15일 오후 3시 서울식물원 개관식"),
        ("오늘오전 종로구 쪽방촌 다녀옴", "오늘 오전 종로구 쪽방촌 다녀옴"),
        ("업추비30만원지출", "업무추진비 30만원 지출"),
        ("이번주금요일 일정", "이번주 금요일 일정"),
        ("  내일   일정  ", "내일 일정"),
        # two glued nouns of the office make one name (a title, a place): kept as typed
        ("30분 뒤에 회의자료 챙기라고 알려줘", "30분 뒤에 회의자료 챙기라고 알려줘"),
        ("간담회자료 제출", "간담회자료 제출"),
        ("내일회의자료", "내일 회의자료"),
        ("회의등록", "회의 등록"),  # a verbal noun asks for something: spaced off
        # chat spellings of days, weeks, months and of the office's words
        ("담주화욜3시 구청장협 일정", "다음주 화요일 3시 구청장협의회 일정"),
        ("담쭈 일정", "다음주 일정"),
        ("다음쭈 목욜 일정", "다음주 목요일 일정"),
        ("담달 행사 뭐뭐 있는지", "다음달 행사 뭐뭐 있는지"),
        ("요번주 금욜 일정", "이번주 금요일 일정"),
        ("낼 오후 3시 간담 잡아줘", "내일 오후 3시 간담회 잡아줘"),
        ("낼모레 뭐 있냐", "내일모레 뭐 있냐"),
        ("모레 뭐 있어", "모레 뭐 있어"),
        ("담주화 오후3시", "다음주 화요일 오후 3시"),
        ("다음주 화 오후 3시 회의", "다음주 화요일 오후 3시 회의"),
        ("이번달 현방 몇번", "이번달 현장방문 몇번"),
        ("시의회 상임위 간담회 몇 번", "시의회 상임위원회 간담회 몇 번"),
        ("상임위원장단 간담회", "상임위원장단 간담회"),
        ("구청장협의회 언제 했더라", "구청장협의회 언제 했더라"),
        ("부구청장회의 했어요", "부구청장회의 했어요"),
        ("업무추진비 잔액", "업무추진비 잔액"),
        ("참여예산 규모", "시민참여예산 규모"),
        ("시민참여예산 규모", "시민참여예산 규모"),
        ("업추비 집행율", "업무추진비 집행률"),
        # one-letter typos of known words
        ("업무츄진비 잔엑 얼마야", "업무추진비 잔액 얼마야"),
        ("집헹률 알려줘", "집행률 알려줘"),
        ("현장방뭄 기록", "현장방문 기록"),
        ("어제 교통위원회 간담호", "어제 교통위원회 간담회"),
        ("오늘 일졍", "오늘 일정"),
        ("다음쥬 일정 알려줘", "다음주 일정 알려줘"),
        ("기관운영 쟌액이 얼마야", "기관운영 잔액이 얼마야"),
        ("업무추비 잔액", "업무추진비 잔액"),  # a syllable left out
        ("간담담회 기록", "간담회 기록"),  # a syllable doubled
        ("최근 지츨 기록", "최근 지출 기록"),
        ("구청젱님 면담", "구청장님 면담"),  # the word under a suffix
        ("간담쇠비 얼마 나갔냐", "간담회비 얼마 나갔냐"),
        ("어제 강북군 현장방문", "어제 강북군 현장방문"),  # a misspelt place is asked back by its reader
        # numbers in words
        ("이십칠만 오천 원 지출", "275,000원 지출"),
        ("삼십만원 결제", "300,000원 결제"),
        ("백이십만 원", "1,200,000원"),
        ("일억 이천", "1억 2,000만"),
        ("오후 네 시 반 회의", "오후 4시 30분 회의"),
        ("오후 네 시 반 간담회", "오후 4시 반 간담회"),  # "30분 간담회" would read as 30분간
        ("열 시 십오 분", "10시 15분"),
        ("구월 십오일", "9월 15일"),
        ("시월 삼일 개관", "10월 3일 개관"),
        ("삼 일 뒤 알려줘", "3일 뒤 알려줘"),
        ("두 시간 뒤", "2시간 뒤"),
        ("시의원 외 두 명", "시의원 외 2명"),
        ("세 명 참석", "3명 참석"),
        ("스물 다섯 명", "25명"),
        ("열두 시 반", "12시 30분"),
        ("이십 분 있다가", "20분 있다가"),
        ("3시반에 시의회 연락", "3시 30분에 시의회 연락"),
        ("진행률 육십오 퍼센트로", "진행률 65퍼센트로"),
        ("몇 억짜리였지", "몇 억짜리였지"),
        ("몇 만 원", "몇 만 원"),
        # fillers, softeners
        ("어 음 내일 일정 뭐지", "내일 일정 뭐지"),
        ("내일 일정 뭐지?", "내일 일정 뭐지?"),
        ("어 그 내일 일정", "내일 일정"),
        ("그 알림 30분 뒤로", "그 알림 30분 뒤로"),
        ("저기, 음, 그러니까 잔액", "잔액"),
        ("혹시 업추비 잔액 좀 알려줘", "업무추진비 잔액 알려줘"),
        ("일정좀 알려줘", "일정 알려줘"),
        ("현장방문했어ㅋㅋ", "현장방문했어"),
        # acknowledgements and thanks
        ("ㅇㅋ", "네"),
        ("ㅇㅇ", "네"),
        ("넵!", "네"),
        ("ㄳ", "감사합니다"),
        ("감사~", "감사합니다"),
        ("감사 일정", "감사 일정"),
        # one-letter typos of the short words (방문, 내역, 취소, 예정, 면담, 점검, 어제, 방금, 삭제)
        ("송파구 방뮨 내엳", "송파구 방문 내역"),
        ("아까 그거 취쇼해줘", "아까 그거 취소해줘"),
        ("다음주 월요일 간담회 예졍", "다음주 월요일 간담회 예정"),
        ("어쩨 구청장 면댐했음", "어제 구청장 면담 했음"),
        ("방굼 등록한 일정 삭졔", "방금 등록한 일정 삭제"),
        ("미착슈 공약 목룩", "미착수 공약 목록"),
        ("정책협의휘 결과", "정책협의회 결과"),
    ],
)
def test_normalises_what_staff_type(typed: str, expected: str) -> None:
    assert normalize(typed).text == expected


@pytest.mark.parametrize(
    "typed",
    [
        "일정", "이번 사업", "구청 방문", "삼청동 간담회", "오전 회의", "만찬 일정", "일주일 뒤", "다음날",
        "진행률 45%", "공약 진행 현황", "전액 지출", "예상 금액", "구분", "사건", "사회", "이분", "십분 활용",
        "오만", "이월 예산", "한번 봐줘", "한 번도 안 간 구", "한시적", "재방문", "미방문 자치구", "다다다음주",
        "기관운영업무추진비", "시책추진업무추진비", "상임위원장 면담", "일일 보고", "사명", "일시", "삼일절",
        "사업비", "이번에", "오시면", "만원 버스", "예산이랑 집행액", "강북구랑 도봉구 방문 내역", "P-01",
        "7/20 14:00", "2018.7.20", "방만 경영", "거제 출장", "예산 점점 줄어", "방음 공사", "여정 소개",
        "취사 시설", "내력 확인",
    ],
)
def test_leaves_real_words_alone(typed: str) -> None:
    assert normalize(typed).text == typed


def test_reports_what_it_changed() -> None:
    result = normalize("음 업추비 잔엑 이십칠만 오천 원 기록 부탁드립니다")
    assert isinstance(result, Normalized)
    assert result.typed == "음 업추비 잔엑 이십칠만 오천 원 기록 부탁드립니다"
    assert "filler:음" in result.fixes
    assert "chat:업추비→업무추진비" in result.fixes
    assert "typo:잔엑→잔액" in result.fixes
    assert "num:이십칠만 오천 원→275,000원" in result.fixes
    assert any(fix.startswith("polite:") for fix in result.fixes)
    assert result.text == "업무추진비 잔액 275,000원 기록해줘"


def test_a_long_message_keeps_its_length() -> None:
    """Readers that refuse an overlong memo must see all of it: past 2,000 characters it follows as typed."""
    typed = "어제 업추비 현장방문, 메모 " + "가" * 5000
    read = normalize(typed)
    assert read.text.startswith("어제 업무추진비 현장방문") and read.text.endswith("가" * 5000)
    assert len(read.typed) == len(typed)


def test_typed_is_nfc_and_stripped() -> None:
    decomposed = "\u1103\u1161\u11b7\u110c\u116e 일정 "  # 담주 as separate letters
    result = normalize(decomposed)
    assert result.typed == "담주 일정"
    assert result.text == "다음주 일정"


@pytest.mark.parametrize(
    ("typed", "core", "polite"),
    [
        ("알려 주실 수 있을까요?", "알려줘", True),
        ("업무추진비 잔액 알려 주실 수 있을까요?", "업무추진비 잔액 알려줘", True),
        ("내일 3시 간담회 등록해 주세요", "내일 3시 간담회 등록해줘", True),
        ("간담회 기록 부탁드립니다", "간담회 기록해줘", True),
        ("확인 좀 부탁드려요", "확인해줘", True),
        ("다음 주 일정을 보여주시겠어요?", "다음 주 일정을 보여줘", True),
        ("알림 설정해 주시면 감사하겠습니다", "알림 설정해줘", True),
        ("일정 잡아줄래", "일정 잡아줘", True),
        ("등록 가능할까요?", "등록해줘", True),
        ("내일 일정 부탁드립니다", "내일 일정", True),
        ("내일 일정 알려줘", "내일 일정 알려줘", True),
        ("오늘도 잘 부탁드립니다.", "오늘도 잘 부탁드립니다.", False),
        ("업무추진비 잔액 얼마야?", "업무추진비 잔액 얼마야?", False),
        ("모레 뭐 있어?", "모레 뭐 있어?", False),
    ],
)
def test_request_wrappers_leave_the_verb_and_the_signal(typed: str, core: str, polite: bool) -> None:
    result = normalize(typed)
    assert result.text == core
    assert result.polite_request is polite


@pytest.mark.parametrize(
    ("typed", "start", "precision"),
    [
        ("담주화욜3시 구청장협 일정", "2018-07-24T15:00", "minute"),
        ("낼 오후 네 시 반 간담회 잡아줘", "2018-07-21T16:30", "minute"),
        ("구월 십오일 오후 세 시 서울식물원 개관식 알려 주실 수 있을까요?", "2018-09-15T15:00", "minute"),
        ("열 시 십오 분 회의", "2018-07-20T10:15", "minute"),
        ("삼 일 뒤 알려줘", "2018-07-23T00:00", "day"),
        ("두 시간 뒤 알림", "2018-07-20T12:00", "minute"),
        ("담달 5일 일정", "2018-08-05T00:00", "day"),
        ("요번주 금욜 일정", "2018-07-20T00:00", "day"),
        ("어 음 저번주 월욜 간담회 했어", "2018-07-09T00:00", "day"),
        ("다음주 화 오후 3시 회의 등록해 주세요", "2018-07-24T15:00", "minute"),
    ],
)
def test_dates_stay_readable(typed: str, start: str, precision: str) -> None:
    read = parse_when(normalize(typed).text, NOW)
    assert isinstance(read, DateResult), read
    assert read.start.strftime("%Y-%m-%dT%H:%M") == start
    assert read.precision == precision


@pytest.mark.parametrize(
    ("typed", "won"),
    [
        ("어 오늘 구청장협의회 오찬으로 이십칠만 오천 원 결제했어", 275_000),
        ("삼십만원 시책추진 결제", 300_000),
        ("백이십만 원 지출 기록 부탁드립니다", 1_200_000),
        ("일억 이천 정도 남았나", 120_000_000),
        ("업추비30만원지출", 300_000),
        ("음 그 식대 금액 삼십이만 칠천 원으로 바꿔 줘", 327_000),
        ("간담회 식대 18만 4천 원 지출했습니다", 184_000),
    ],
)
def test_amounts_stay_readable(typed: str, won: int) -> None:
    found = find_amount(normalize(typed).text)
    assert isinstance(found, Amount), found
    assert found.won == won


def test_counts_and_times_do_not_become_amounts() -> None:
    assert find_amount(normalize("시의원 외 두 명").text) is None
    assert find_amount(normalize("오후 네 시 반 회의").text) is None


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("업추비 잔액이랑 내일 일정 알려줘", ("업무추진비 잔액 알려줘", "내일 일정 알려줘")),
        ("잔액 알려주고 다음주 일정도", ("잔액 알려줘", "다음주 일정 알려줘")),
        ("간담회 기록하고 자료 제출 알림 걸어줘", ("간담회 기록해줘", "자료 제출 알림 걸어줘")),
        ("잔액 얼마야? 그리고 내일 일정도", ("잔액 얼마야?", "내일 일정")),
        ("공약 이행률; 자매도시 몇 개", ("공약 이행률", "자매도시 몇 개")),
        ("기관운영 잔액이랑 담주 일정 좀", ("기관운영 잔액", "다음주 일정")),
        ("잔액 알려 주시고 내일 일정도 알려 주세요", ("잔액 알려줘", "내일 일정 알려줘")),
        ("비서실 정원 몇명이고 업추비 잔액은", ("비서실 정원 몇명", "업무추진비 잔액은")),
        ("오늘 회의 다과 7만원 시책추진 결재했고 시책추진 남은돈도 알려줘",
         ("오늘 회의 다과 7만원 시책추진 결재했고", "시책추진 남은 돈도 알려줘")),
        ("8월 1일 오전 10시 부구청장회의 일정 넣어주고 8월 일정 전체 보여줘",
         ("8월 1일 오전 10시 부구청장회의 일정 넣어줘", "8월 일정 전체 보여줘")),
    ],
)
def test_two_requests_are_split(typed: str, parts: tuple[str, ...]) -> None:
    assert split_requests(normalize(typed).text) == parts


@pytest.mark.parametrize(
    "typed",
    [
        "강북구랑 도봉구 방문 내역",
        "예산이랑 집행액",
        "예산이랑 집행액 알려줘",
        "업무추진비 잔액이랑 집행률 알려줘",
        "현장방문하고 간담회 했어",
        "어 오늘 현장방문 때 생수랑 음료 사는데 오만 육천 원 썼어",
        "어제 시민참여예산위원회 위원들이랑 간담회 했어요",
        "시장님하고 구청장 면담 일정",
        "오늘 오전 9시에 상임위원장단 간담회를 가졌습니다. 안건은 추경 예산 협조였습니다.",
        "7월 25일 오후 7시에 노인복지관 방문이 있습니다. 일정에 추가해 주시겠습니까?",
        "내일 일정 알려줘",
        "7/20 14:00 강북구 / 도봉구",
    ],
)
def test_one_request_stays_whole(typed: str) -> None:
    text = normalize(typed).text
    assert split_requests(text) == (text,)


def test_fast_enough() -> None:
    """Well under 0.3 ms a message, measured without the per-text cache."""
    texts = [
        "어 오늘 구청장협의회 오찬으로 이십칠만 오천 원 결제했어 시책추진으로",
        "담주화욜3시 구청장협 일정 등록해 주실 수 있을까요?",
        "업무츄진비 잔엑 얼마야",
        "업추비 잔액이랑 내일 일정 알려줘",
        "7월 18일 오후 2시 보건복지위원회와 간담회를 진행했습니다. 후속조치로 쪽방촌 지원 방안을 보고하기로 했습니다.",
        "ㅇㅋ",
    ]
    uncached = normalize_module._normalize.__wrapped__
    for text in texts:
        uncached(text)
    times = []
    for _ in range(20):
        for text in texts:
            start = time.perf_counter()
            uncached(text)
            times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.0003


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("어제 마포구 쪽방촌 방뮨했음", "방문"),
        ("그제 빗물펌프장 점겸", "점검"),
        ("오늘 오젼 11시", "오전"),
        ("내일 면담 예졍", "예정"),
        ("어제 중구 현쟝방문", "현장방문"),
        ("그저께 공사장 안전졈검 다녀옴", "안전점검"),
        ("어제 노원구 바문", "방문"),
        ("오휴 4시에 만남", "오후"),
    ],
)
def test_short_log_words_are_repaired_for_a_slipped_key(typed: str, meant: str) -> None:
    assert meant in normalize(typed).text.split()


@pytest.mark.parametrize("typed", ["간단하게 정리", "오점 없이", "예전 자료", "현자 이야기", "점거 농성", "방면"])
def test_real_words_next_to_log_words_stay(typed: str) -> None:
    assert normalize(typed).text == typed

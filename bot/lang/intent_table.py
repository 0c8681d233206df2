"""The intent table — data only. Add or tune an intent here; the matcher (:mod:`bot.lang.intents`) is generic.

Each entry:
- ``name``: the intent handlers dispatch on;
- ``keywords``: word → weight, found anywhere in the message with spaces ignored ("일정 추가" = "일정추가");
- ``patterns``: regular expression → weight, searched in the message as typed;
- ``slots``: feature → weight, for what the message holds: ``date``, ``amount``, ``name:<kind>`` (a sure
  name of that kind, e.g. ``name:district``), ``date:ahead`` (a day after today that the words put ahead:
  내일, 다음주 화요일, 9월 15일 — not 월요일 or 25일, which may be the last one) and ``date:past`` (before
  today); a negative weight counts against;
- ``needs``: the intent counts only if one of these words is present (a query needs its subject);
- ``priority``: breaks ties (higher wins);
- ``past``: read the date as a past one (logs of what happened: "금요일 간담회" → last Friday).
The highest total wins if it reaches ``MIN_SCORE``; otherwise the message is ``unknown``.
"""

from __future__ import annotations

import re
from typing import TypedDict


class IntentEntry(TypedDict, total=False):
    name: str
    keywords: dict[str, float]
    patterns: dict[str, float]
    slots: dict[str, float]
    needs: tuple[str, ...]
    priority: int
    past: bool


MIN_SCORE = 3.0

# Words that turn a log into a question ("현장방문 내역", "간담회 몇 번", "이번주 간담회 일정").
QUERY_MARKERS: dict[str, float] = {
    "내역": 2, "목록": 2, "현황": 2, "보여줘": 2, "보여 줘": 2, "몇 번": 2, "몇번": 2, "몇 회": 2, "언제": 2,
    "조회": 2, "일정": 2, "리스트": 2, "찾아": 2, "있었": 1, "알려줘": 1, "?": 1,
}
LOG_MARKERS: dict[str, float] = {
    "다녀왔": 2, "다녀옴": 2, "했음": 1, "했어요": 1, "기록": 2, "완료": 1, "가졌": 2, "안건": 2, "후속": 1,
    "결과": 1, "예정": 2, "계획": 1,
}
# Asking to be reminded: a visit or a meeting named with these is to be scheduled, not logged. 알려줘 may
# also ask a question ("간담회 내역 알려줘"), so only the others count against a query.
REMIND_WORDS = ("알려줘", "알려 주세요", "알려주세요", "리마인드", "리마인더", "알림", "알람")
NOT_A_LOG: dict[str, float] = {word: -6 for word in REMIND_WORDS}
NOT_A_QUERY: dict[str, float] = {word: -2 for word in REMIND_WORDS if not word.startswith("알려")}
# A visit or meeting with a date is recorded, done or planned (a planned one is a record too: it shows in the
# agenda and starts the council-briefing rule); only a reminder word makes it an event to be reminded of.
LOG_SLOTS: dict[str, float] = {"date": 1}
# A question has a query word; without one, "9월 15일 강북구 현장방문" is a plan (or a log), not a question.
NO_QUERY_WORD = (
    r"(?s)^(?!.*(?:" + "|".join(r"\s*".join(map(re.escape, word.split())) for word in QUERY_MARKERS) + "))"
)

VISIT_WORDS: dict[str, float] = {
    "현장방문": 4, "방문": 2, "현장점검": 4, "시찰": 3, "동고동락": 3, "시민발언대": 4,
}
MEETING_WORDS: dict[str, float] = {
    "간담회": 4, "면담": 4, "협의회": 3, "회의": 2, "미팅": 3, "의견청취": 3, "만찬": 2, "오찬": 2,
}
EVENT_WORDS: dict[str, float] = {
    "개관식": 1, "개막식": 1, "기념식": 1, "준공식": 1, "착공식": 1, "협약식": 1, "행사": 1, "박람회": 1,
    "총회": 1, "축제": 1,
}

INTENTS: tuple[IntentEntry, ...] = (
    {
        "name": "help",
        "priority": 90,
        "keywords": {"도움말": 6, "도와줘": 4, "사용법": 6, "명령어": 5, "help": 6, "기능": 2, "안내": 2},
        "patterns": {
            r"뭐\s*(?:할|해)\s*수\s*있": 6,
            r"무엇을\s*할\s*수": 6,
            r"어떻게\s*(?:써|쓰|사용)": 5,
            r"^\s*/?(?:start|help)\s*$": 6,
        },
    },
    {
        "name": "event_create",
        "priority": 80,
        # an explicit 일정 추가 outweighs any subject words around it (현장방문, 간담회 …)
        "keywords": {"일정 추가": 9, "일정 등록": 9, "일정 잡아": 9, "추가해": 3, "등록해": 3, "알려줘": 3,
                     "알려주세요": 3, "리마인드": 2, **EVENT_WORDS},
        # a future day with a place or a council is a plan ("다음주 화요일 10시 구청장협의회"); nobody
        # schedules yesterday
        "slots": {"date": 1, "date:ahead": 2, "date:past": -4, "name:district": 1, "name:council": 1},
    },
    {
        "name": "reminder_create",
        "priority": 75,
        "keywords": {
            "리마인드": 4, "리마인더": 4, "알림": 3, "알람": 3, "알려줘": 3, "알려주세요": 3, "깨워줘": 3,
        },
        # "10분 뒤", "한 시간 반 후": a countdown is a reminder, not a calendar event
        "patterns": {
            r"(?:\d+|한|두|세|네|다섯|열|십|이십|삼십|반)\s*(?:분|시간)\s*(?:반\s*)?(?:뒤|후|있다가)": 2,
        },
        "slots": {"date:ahead": 2, "date:past": -4},
    },
    {
        "name": "agenda",
        "priority": 70,
        "keywords": {"일정": 2, "스케줄": 2, "캘린더": 2, "예정된": 2, "할 일": 1},
        "patterns": {
            r"(?:오늘|내일|모레|이번\s*주|다음\s*주|다다음\s*주|이번\s*달|다음\s*달|\d+\s*월|주간|월간)\s*(?:의\s*)?"
            r"(?:일정|스케줄)": 3,
            r"다가오는": 3,
            r"(?:일정|스케줄)\s*(?:좀\s*)?(?:알려|보여|뭐|있|확인)": 3,
        },
    },
    {
        "name": "spending_log",
        "priority": 60,
        "keywords": {
            "지출": 4, "썼어": 3, "썼다": 3, "썼음": 3, "썼습니다": 3, "결제": 4, "사용했": 2, "계산했": 3,
            "구입": 2, "구매": 2, "지급": 2, "카드": 1, "다과": 1, "식대": 2, "격려": 1,
        },
        "slots": {"amount": 3, "name:budget_line": 1},
        "past": True,
    },
    {
        "name": "budget_query",
        "priority": 65,
        "keywords": {
            "잔액": 4, "잔고": 4, "예산": 3, "업무추진비": 3, "집행률": 4, "집행 현황": 4, "집행 내역": 5,
            "지출 내역": 5, "남은": 2, "얼마": 1, "분야별 집행": 5, "분야별": 2, "월별 추이": 3, "집행 추이": 5,
            "월별 집행": 5, "과목별": 3,
        },
        "patterns": {r"얼마\s*(?:남|썼|썼어|사용|집행)": 3, r"(?:쓸|사용할)\s*수\s*있는": 2},
        "slots": {"name:budget_line": 1},
    },
    {
        # An update typed on an open sub-project card: 진행률 45%, 상태 지연 — 사유, 메모 …
        "name": "pledge_update",
        "priority": 90,
        "patterns": {
            r"^\s*(진행률|진척률|진도)\s*[:：]?\s*\S+": 6,
            r"^\s*상태\s*[:：]?\s*\S+": 6,
            r"^\s*메모\s*[:：]?\s*\S": 6,
        },
    },
    {
        # Follow-ups still open: 미완료 후속조치, 후속조치 현황
        "name": "followup_query",
        "priority": 60,
        "keywords": {"후속조치": 4, "후속 조치": 4, "미완료": 2, "할 일": 2},
        "needs": ("후속", "할 일"),
    },
    {
        # A pledge or sub-project code on its own (P-01, S1-02): open it.
        "name": "pledge_query",
        "priority": 50,
        "patterns": {r"^\s*[A-Za-z]{1,4}[-_]?\d[\w-]{0,20}\s*$": 6},
    },
    {
        "name": "pledge_query",
        "priority": 55,
        "keywords": {
            "공약": 4, "핵심공약": 5, "공약사업": 5, "세부사업": 4, "이행률": 4, "이행": 2, "지연": 1,
            "추진 상황": 2, "민선7기": 2, "현황": 1,
        },
        "slots": {"name:pledge": 3},
    },
    {
        "name": "visit_log",
        "priority": 50,
        "keywords": {**VISIT_WORDS, **LOG_MARKERS, **NOT_A_LOG},
        "needs": tuple(VISIT_WORDS),
        "slots": {**LOG_SLOTS, "name:district": 1},
        "past": True,
    },
    {
        "name": "visit_query",
        "priority": 45,
        "keywords": {**VISIT_WORDS, **QUERY_MARKERS, **NOT_A_QUERY, "통계": 3, "미방문": 5},
        "needs": (*VISIT_WORDS, "미방문"),
        "patterns": {
            NO_QUERY_WORD: -3,
            # "강북구 방문 기록", "이번달 현장방문": a record asked for, not one being written
            r"방문\s*(기록|내역|목록|통계)\s*$": 7,
            r"^\s*(이번\s*달|지난\s*달|올해|작년|\d{1,2}\s*월)\s*(현장\s*)?방문\s*$": 6,
        },
    },
    {
        "name": "meeting_log",
        "priority": 50,
        "keywords": {**MEETING_WORDS, **LOG_MARKERS, **NOT_A_LOG},
        "needs": tuple(MEETING_WORDS),
        "slots": {**LOG_SLOTS, "name:council": 1},
        "past": True,
    },
    {
        "name": "meeting_query",
        "priority": 45,
        "keywords": {**MEETING_WORDS, **QUERY_MARKERS, **NOT_A_QUERY},
        "needs": tuple(MEETING_WORDS),
        "patterns": {NO_QUERY_WORD: -3},
    },
    # -- follow-ups in words on one's latest items, files asked for in words, small talk (issue 12 item 7) --
    {
        # "방금 거 취소", "마지막 지출 취소해줘", "아까 입력한 거 지워줘", "잘못 넣었어 빼줘"
        "name": "undo_last",
        "priority": 95,
        "keywords": {"되돌려": 4, "되돌리": 4, "없던 걸로": 5, "입력 취소": 5, "기록 취소": 5},
        "patterns": {
            r"(?:방금|아까|마지막|직전|최근에?|잘못)\S*\s*(?:\S+\s*){0,4}?"
            r"(?:취소|지워|지우|삭제|빼\s*줘|빼\s*주|빼|되돌|무르|물러)": 10,
            r"(?:입력|기록|등록|넣)\S*\s*(?:거|것)\s*(?:좀\s*)?(?:취소|지워|삭제|빼)": 6,
        },
        "slots": {"amount": -4},
    },
    {
        # "방금 지출 15만원으로 고쳐줘", "금액 잘못 넣었어 12만원 아니고 13만원"
        "name": "spending_fix",
        "priority": 96,
        "keywords": {"금액 수정": 6, "금액 정정": 6, "금액 고쳐": 6, "금액 바꿔": 6, "금액 틀렸": 6},
        "patterns": {
            r"(?:원|만|천)\s*(?:이\s*)?(?:아니고|아니라|말고)": 6,
            r"(?:원|만|천)\s*(?:으로|로)\s*(?:고쳐|수정|바꿔|정정|변경)": 6,
            r"(?:금액|지출|결제)\S*\s*(?:\S+\s*){0,4}?(?:잘못|틀렸|틀려|고쳐|수정|정정)": 5,
        },
        "slots": {"amount": 3},
    },
    {
        # "그 알림 30분 뒤로", "회의 알림 내일 9시로", "개관식 알림 한 시간 미뤄줘", "방금 알림 10분 후에 다시"
        "name": "reminder_move",
        "priority": 92,
        "patterns": {
            r"(?:알림|알람|리마인더)\S*\s+(?:\S+\s*){0,5}?(?:뒤로|후로|미뤄|미루|늦춰|연기|옮겨|바꿔|변경|"
            r"(?:뒤|후)에?\s*다시|(?:시|분|일|날|요일)\s*(?:으로|로)\s*(?:해\s*줘|해\s*주세요)?\s*[.!~]*$)": 9,
        },
    },
    {
        # "내 알림 뭐 있어", "알림 목록"
        "name": "reminder_list",
        "priority": 91,
        "patterns": {
            r"(?:알림|알람|리마인더)\S*\s*(?:좀\s*)?(?:목록|리스트|뭐|뭣|보여|확인|몇\s*개|있어|있나|있니|있는지|"
            r"있습니까|있나요|걸려|남아|예약)": 8,
            r"(?:내|제|나의)\s*(?:알림|알람|리마인더)": 4,
        },
        "slots": {"amount": -4},
    },
    {
        # "내가 쓴 지출 내역", "최근 지출", "내 지출 보여줘"
        "name": "spending_list",
        "priority": 68,
        "patterns": {
            r"(?:내가|제가|내|나의|최근|요즘|방금|오늘)\s*(?:쓴|입력한|기록한|넣은|올린|등록한)?\s*(?:지출|결제)": 7,
            r"(?:지출|결제)\s*(?:입력|기록)?\s*(?:목록|리스트|기록)\s*(?:좀\s*)?(?:보여|알려|뭐)?": 5,
        },
        "slots": {"amount": -8},
    },
    {
        # "현장방문 엑셀로 줘", "예산 내보내기", "공약 파일로"
        "name": "export",
        "priority": 93,
        "keywords": {"엑셀": 8, "xlsx": 8, "내보내": 8, "export": 8, "다운로드": 6, "파일로": 6, "파일 줘": 6,
                     "파일 보내": 6, "캘린더": -9, "달력": -9, "ics": -9, "양식": -9, "템플릿": -9},
    },
    {
        # "캘린더 파일 줘", "일정 ics로"
        "name": "calendar_file",
        "priority": 94,
        "keywords": {"ics": 8, "캘린더 파일": 9, "달력 파일": 9, "캘린더로": 6, "달력으로": 6, "구글 캘린더": 6,
                     "아이폰 캘린더": 6, "캘린더에 넣": 6, "캘린더 내보내": 9},
    },
    {
        # "이거 언제 기준이야", "기준일이 며칠이야", "최신 자료야?"
        "name": "as_of_query",
        "priority": 89,
        "keywords": {"기준일": 6, "기준 날짜": 6, "기준 시점": 6, "기준이야": 5, "기준이에요": 5, "기준인가": 5},
        "patterns": {
            r"언제\s*기준|몇\s*일\s*기준|며칠\s*기준|기준\s*(?:이|은|가)?\s*(?:언제|며칠|몇)": 7,
            r"최신\s*(?:자료|데이터|정보|버전|거|수치)|(?:자료|데이터|수치)\S*\s*(?:언제|최신|업데이트)": 7,
        },
    },
    {
        # "고마워", "감사합니다", "ㄳ", "수고" — and acknowledgements
        "name": "thanks",
        "priority": 20,
        "keywords": {"고마워": 3, "고맙": 3, "감사합니다": 3, "감사해요": 3, "감사드": 3, "수고하": 3, "수고했": 3,
                     "수고 많": 3, "땡큐": 3},
        "patterns": {
            # possessive (*+, ++): a long run of 감사감사… fails in linear time
            r"^(?:\s*+(?:정말|너무|진짜|넘|네|예|아|오)?\s*+(?:고마워\S*+|고맙\S*+|감사\S*+|ㄳ++|ㄱㅅ++|수고\S*+|땡큐|"
            r"thanks?|thank\s*you|thx|오케이|ㅇㅋ|알겠어\S*+|알겠습니다|알았어\S*+|확인했\S*+|넵|좋아요|굿)"
            r"[\s.!~^ㅎㅋㅠ♡❤👍🙏]*+)++$": 8,
        },
    },
    {
        # "안녕", "좋은 아침"
        "name": "greeting",
        "priority": 20,
        "patterns": {
            r"^\s*(?:안녕\S*|하이|hi|hello|헬로|좋은\s*(?:아침|하루|오후|저녁)\S*|굿\s*모닝|반가워\S*|반갑\S*)"
            r"[\s.!~^ㅎㅋ]*$": 8,
        },
    },
)

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
- ``past``: read the date as a past one (logs of what happened: "금요일 간담회" → last Friday);
- ``creates``/``edits``: a creation or an edit of my items, which a question never is (the ``question``
  feature zeroes it); a creation also needs one of its ``signals`` (features: ``create`` 등록/기록/추가/잡아…,
  ``remind`` 알려줘/알림 with something to remind of, ``done`` a past-tense report 다녀왔/했음/썼어/결제,
  ``amount``, ``plan`` a day ahead with a time or 예정; ``unsaid``: that plan is read from the date alone, no
  word says whether to schedule it or to log a planned meeting — the two come out close and the bot asks).
Features the understanding step adds (see :mod:`bot.lang.understand`): ``question``, ``create``, ``remind``,
``done``, ``plan``, ``time`` (a clock time), ``countdown`` (30분 뒤), ``bare_date`` (nothing but a date:
"다다음주는?"), ``asks_lookup`` (a lookup noun before 알려줘: "일정 알려줘", "잔액 알려줘").
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
    creates: bool  # a creation: needs one of ``signals`` and never counts when the message is a question
    edits: bool  # an edit of my recent items: never counts when the message is a question either
    signals: tuple[str, ...]  # features of which one must be present (see FEATURES in bot.lang.understand)


MIN_SCORE = 3.0
CLOSE_MARGIN = 1.0  # the top two readings within this: ask "이거 말씀이세요?"
CLOSE_FLOOR = 4.0  # … when both are at least this sure (two weak guesses are not worth a question)

# -- signals read once per message (regular expressions over the normalised text) --------------------------
# A question: a question word, a question mark, or a questioning ending ("있어?", "했지", "-는지", "-더라").
QUESTION = (
    r"뭐|뭔|뭘|무슨|무엇|언제|몇|얼마|어디|어느|누구|누가|어때|어떻게|어떤|왜|\?|"
    r"있(?:어|나|니|냐|을까|었나|던가|는지|나요|습니까|어요|던|었어|었지)\s*$|"
    r"(?:니|냐|나요|까|까요|가요|는지|던가|더라|던데|인가|인지|ㄴ지|했지|썼지|갔지|됐지|였지|었지|았지|했나|갔나|됐나|했니|"
    r"했냐|있나|없나|됐어|됨)\s*[?.]*\s*$|는지|던가|더라|었는지|았는지|었지|았지|했던|했었"
)
# Words that make a message a request to create or store something.
CREATE = r"등록(?![된한됐돼])|기록(?![된한됐돼])|추가(?![된한됐돼])|"\
    r"잡아\s*줘|잡아\s*주|잡아\s*$|넣어|남겨|저장|적어\s*줘|적어\s*둬|메모해|입력해|만들어|예약해"
REMIND = r"(?<=[가-힣])(?<![뭐이])라고\s*[.!]*$|"\
    r"알려\s*줘|알려\s*$|알렴|알려\s*주세요|알려\s*줄래|알려\s*주라|알림|알람|리마인드|리마인더|깨워|상기시켜"
# "일정 알려줘", "잔액 좀 알려줘": 알려줘 asks for something to be told now, not later.
ASKS_LOOKUP = (
    r"(?:일정|스케줄|잔액|잔고|현황|내역|목록|결과|기록|얼마|몇|뭐|언제|어디|누구|기준일|집행률|이행률|상황|진행률|계획|규모|"
    r"날짜|장소|위치|예산|통계|건수|횟수|추이|리스트|정원|현원|인원|주기|등급|순위|실적|개수|숫자|수치|금액|명단)"
    r"(?:이|가|을|를|도|만|은|는|좀)?\s*(?:좀\s*)?(?:다시\s*)?(?:알려|보여|확인|조회|찾아)|"
    # what was stored, asked for: "등록한 거 목록", "기록된 지출", "잡힌 거 있나"
    r"(?:등록|기록|입력|추가|설정|저장)\s*(?:한|된|해\s*둔|해둔|돼\s*있는)\s*(?:거|것|내역|목록|알림|지출|일정)|"
    r"(?:있나|있는지|했는지|됐는지|됐나|인지|는지|던가|눈지)\s*(?:좀\s*)?(?:알려|봐|확인|보여)|"
    r"잡힌\s*(?:거|것|일정|행사|회의|게)|잡혀\s*있|예정된\s*(?:거|것|일정|행사)"
)
# An edit's words: a lookup phrase ("방금 등록한 일정") around them is the edit's target, not a question.
EDIT_WORDS = r"취소|지워|삭제|없애|없던|되돌|빼|수정|정정|바꿔|고쳐|옮겨|미뤄|잘못|틀렸|조정|변경"
# An item I just made, named ("방금 기록한 현장방문", "아까 알림", "마지막으로 넣은 지출"): with an edit word
# (EDIT_WORDS, MOVE) the message changes that item (feature ``edit_recent``) — it creates nothing, and its
# 방금/아까 is not the date of something new.
RECENT_ITEM = (
    r"방금|아까|조금\s*전|좀\s*전|바로\s*전|전에\s*(?:기록|등록|입력|넣|추가|올린|만든|설정)|직전|"
    r"마지막\S{0,2}\s*(?:기록|등록|입력|넣|추가|올린|거|꺼|것|알림)"
)
DONE = (
    r"다녀왔|다녀옴|다녀감|갔다\s*왔|갔다\s*옴|갔었|했음|했어요|했습니다|했어\s*$|했다\s*$|했고|썼어|썼음|썼다|썼습니다|썼고|"
    r"결제했|결제함|결제\s*완료|지출했|지출함|계산했|냈어|냈음|가졌|마쳤|끝냄|끝났|진행했|진행함|완료|참석했|참석함|만났|"
    r"방문했|방문함|점검했|점검함|나갔다\s*왔|들렀|사용했|사용함|구입했|구매했|샀어|샀음|지급했|지급함|참석|했음\.?$|"
    r"했는데|끝났|끝냈|끝남|(?<![가-힣])끝\s*[.!]*$"
)
PLAN = r"예정|계획|잡혔|잡힘|하기로|할\s*거|있음\s*$|있습니다\s*$"
COUNTDOWN = (
    r"(?:(?<!\d)\d+|한|두|세|네|다섯|여섯|열|십|이십|삼십|사십|오십|반)\s*(?:분|시간)\s*(?:반\s*)?(?:뒤|후|있다가|지나서)"
)
# Records asked for: "X 기록", "X 내역", "X 목록" closing the message with no past verb and no single day — a
# lookup of what was logged ("의장단 면담 기록", "이번 달 회의 기록"), never a log (feature ``records``).
RECORDS = (
    r"(?:기록|내역|목록|리스트)(?:은|는|이|가|을|를|도|만|들)?\s*(?:다\s*)?"
    r"(?:보여\s*줘|알려\s*줘|있어|있나|있냐|있니|봐\s*줘)?\s*[?.]*$"
)
# Edits: an amount corrected ("12만원 아니라 15만원"), a reminder moved ("30분 뒤로", "내일 9시로").
FIX = r"틀렸|틀림|직전|금액\S*\s+\S+\s*(?:으로|로)\s*$|"\
    r"아니라|아니고|정정|수정|고쳐|잘못\s*(?:입력|넣|적|썼|등록)|틀렸|바꿔\s*줘|바꿔|변경"
MOVE = r"조정|욺겨|(?:시|분|일|요일)\s*(?:으로|로)\s*(?:\S+\s*)?(?:바꿔|변경|변겅|조정|옮겨|욺겨|해|$)|"\
    r"미뤄|미루|뒤로|후로|연기|옮겨|늦춰|당겨|앞당|스누즈|다시\s*알려|이따\s*다시|(?:뒤|후)에?\s*다시|(?:시|분|일)\s*(?:으로|로)\s*(?:바꿔|변경|해줘|$)"

# Words that turn a log into a question ("현장방문 내역", "간담회 몇 번", "이번주 간담회 일정").
QUERY_MARKERS: dict[str, float] = {
    "내역": 2, "목록": 2, "현황": 2, "보여줘": 2, "보여 줘": 2, "몇 번": 2, "몇번": 2, "몇 회": 2, "언제": 2,
    "조회": 2, "일정": 2, "리스트": 2, "찾아": 2, "있었": 1, "알려줘": 1, "통계": 2, "기록": 1, "얼마나": 2,
    "횟수": 2, "볼래": 2, "볼 수": 2, "적 있": 2, "있니": 1, "잡힌": 1,
    # when it was done, whether it was logged: "정책협의회 언제 했더라", "부구청장회의 기록 남아 있나"
    "언제 했": 2, "언제 갔": 2, "언제 다녀": 2, "언제 만났": 2, "기록 남아": 3, "기록 있": 2,
}
LOG_MARKERS: dict[str, float] = {
    "다녀왔": 2, "다녀옴": 2, "했음": 1, "했어요": 1, "기록": 2, "완료": 1, "가졌": 2, "안건": 2, "후속": 1,
    "결과": 1, "예정": 2, "계획": 1, "참석": 1, "만났": 2, "마쳤": 2,
}
REMIND_WORDS = ("알려줘", "알려 주세요", "알려주세요", "리마인드", "리마인더", "알림", "알람")
NOT_A_LOG: dict[str, float] = {word: -6 for word in REMIND_WORDS}
NOT_A_QUERY: dict[str, float] = {word: -2 for word in REMIND_WORDS if not word.startswith("알려")}
LOG_SLOTS: dict[str, float] = {"date": 1, "question": -4, "records": -6}
QUERY_SLOTS: dict[str, float] = {"question": 2, "asks_lookup": 2, "records": 5, "done": -2, "create": -3,
                                 "plan": -2, "schedule": -4, "edit_recent": -4}
NOT_MONEY: dict[str, float] = {r"집행|나간\s*돈|쓴\s*돈|비용|금액|결제|업무추진비|식대|다과|경조사비|건\s*나갔|"
                               r"얼마\s*(?:나\s*)?(?:썼|나갔|들었)|"
                               r"(?:으로|로)\s*(?:몇\s*(?:번|건)\s*)?나갔": -4,
                               r"해야\s*(?:할|될)": -3}
NO_QUERY_WORD = (
    r"(?s)^(?!.*(?:" + "|".join(r"\s*".join(map(re.escape, word.split())) for word in QUERY_MARKERS)
    + r"|뭐|몇|언제|얼마|\?|는지|했지|했나|더라))"
)
LOG_SIGNALS = ("create", "done", "plan", "date:ahead", "date:past", "date:recent", "minutes", "today")
# The office's work report (주요업무 보고) named: "업무보고 엑셀로" asks for that report as a file, not an export of
# one of the lists; "보고서 자료", "보고서 수치" are the report's figures (facts), which stay with the lookups.
REPORT_NOUNS = r"업무\s*보고|주요\s*업무|보고서"
REPORT_FIGURES = r"(?<!업무)(?<!업무 )보고서\S{0,2}\s*(?:자료|수치|숫자|내용)"
# A file asked for is an export, whatever it holds ("현장방문 기록 엑셀로").
NOT_A_FILE: dict[str, float] = {r"엑셀|액셀|xlsx|csv|스프레드시트|파일|ics|다운로드|내려받|내보내": -6}
# A meeting's minutes or a visit's notes: a log even without a verb ("어제 의장단 만찬 안건 원구성").
MINUTES = r"안건|후속|논의|합의|결론|참석자|동행|메모는|건의|요청사항|민원\s*청취"
# Names of things that happen (an event, a meeting, a visit): "알림" on one of these schedules it.
EVENT_NOUNS = (
    r"회의(?![실장])|간담(?!회장)|면담|협의회|미팅|오찬|만찬|조찬|행사|개관|개막|기념식|준공|착공|협약|박람회|총회|축제|설명회|보고회|"
    r"브리핑|발표|방문|현장|시찰|발언대|예방|위원회|투표|설명|접견|출장|워크숍|세미나|포럼|토론회"
)
RECURRING = r"매주|매월|매달|매일|매년|격주|평일마다|요일마다|마다"
# A store for what happened (기록), as against a booking of what will (등록, 추가, 잡아, 넣어).
BOOK = r"등록|추가|잡아|넣어|일정\S{0,2}\s*(?:으로|로)"
TASK = r"(?:라고|하라고|하기)\s*(?:알려|리마인드|알림|알람)|(?:챙기|확인하|보내|올리|제출하|연락하|전화하)라고|"\
    r"(?<=[가-힣])(?<![뭐이])라고\s*[.!]*$"

# A reminder asked for in so many words ("자료 제출 알림 걸어줘"): a reminder's signal even before its time is said.
SET_ALARM = r"(?:알림|알람)\s*(?:좀\s*)?(?:걸어|설정해|맞춰)"

VISIT_WORDS: dict[str, float] = {
    "현장방문": 4, "방문": 2, "현장점검": 4, "시찰": 3, "동고동락": 3, "시민발언대": 4, "현장": 1, "다녀": 1,
    "들렀": 2, "둘러봤": 2, "둘러보": 2, "가 봤": 2, "가봤": 2, "갔다 왔": 2, "갔다왔": 2, "현방": 4,
}
MEETING_WORDS: dict[str, float] = {
    "간담": 1, "회의록": 3, "예방": 1, "위원회": 1, "위원장": 1, "시의원": 2, "구청장": 1,
    "간담회": 4, "면담": 4, "협의회": 3, "회의": 2, "미팅": 3, "의견청취": 3, "만찬": 2, "오찬": 2, "조찬": 2,
    "부구청장회의": 2, "의장단": 2, "상임위": 2,
    # places named after meetings: the room is not a meeting (each cancels the meeting word it holds)
    "회의실": -2, "회의장": -2, "간담회장": -5,
}
EVENT_WORDS: dict[str, float] = {
    "개관식": 1, "개막식": 1, "기념식": 1, "준공식": 1, "착공식": 1, "협약식": 1, "행사": 1, "박람회": 1,
    "총회": 1, "축제": 1, "설명회": 1, "보고회": 1, "발표": 1,
}
# A lookup continued with only its new subject ("…몇 건 나갔고 간담회 쪽은 몇 건이야"): the part is read with
# the first request's own noun put before it, and kept so when that reads as the same kind.
CARRIERS: dict[str, str] = {
    "budget_query": "업무추진비", "visit_query": "현장방문", "meeting_query": "간담회", "pledge_query": "공약",
    "agenda_query": "일정", "spending_list": "지출 내역", "followup_query": "후속조치",
}
PARALLEL = r"(?<=[가-힣])\s*쪽\s*(?:은|는|도|으로는|으론)|^\S+(?:은|는)\s*(?:요|어때|어떻게\s*돼)\s*[?]?$"
# Budget: the views a question asks for (slot ``view``), by their words; the first that matches wins.
BUDGET_VIEWS: tuple[tuple[str, str], ...] = (
    ("집행률", r"집행률|집행율|소진율|소진률|몇\s*(?:퍼|%|프로)|퍼센트|비율|율이"),
    ("속도", r"속도|페이스|이대로|이\s*속도|하루에|월평균|한\s*달에\s*얼마|남은\s*기간|연말까지|버틸|모자라|부족"),
    ("추이", r"추이|추세|월별|달마다|매달"),
    ("분야", r"분야\s*별|분야마다|어느\s*분야|분야\S{0,2}\s*(?:나눠|보여)|용도별|어디에\s*(?:썼|쓰)|어디\s*(?:썼|쓰)"),
    ("건수", r"몇\s*(?:번|건|회)|건수|횟수|몇\s*차례"),
    ("잔액", r"잔액|잔엑|쟌액|잔고|남은|남았|남아|남음|여유|쓸\s*수\s*있|얼마\s*있"),
    ("집행", r"집행|썼|쓴|사용|지출|나갔|얼마"),
)
BUDGET_SUBJECTS: tuple[tuple[str, str], ...] = (
    ("기관운영", r"기관\s*운영|기관비|기관운영비"),
    ("시책추진", r"시책\s*추진|시책비|시책"),
    ("직원격려", r"직원\s*격려|격려|직원\s*행사|경조사|명절|직원"),
    ("회의·간담회", r"간담회|회의|자문|행사비|행사"),
    ("위문", r"위문|복지시설|소외계층|불우"),
)
EXPORT_WHAT: tuple[tuple[str, str], ...] = (
    ("visits", r"방문|현장"),
    ("meetings", r"간담회|회의|면담|협의회"),
    ("budget", r"예산|업무추진비|업추비|지출|집행|결제"),
    ("pledges", r"공약|세부사업"),
    ("facts", r"자료|사실|수치|팩트"),
)

# A pledge status and the words that name it ("지연 공약", "끝난 사업"): a pledge_query slot, and a count of
# pledges in a status is not one of the reported totals.
PLEDGE_STATUS_WORDS = (("지연", r"지연|늦어|밀린|밀려"), ("완료", r"완료|끝난|마친"), ("보류", r"보류"),
                       ("미착수", r"미착수|시작\s*안|착수\s*안"), ("정상추진", r"정상\s*추진|정상|순조"))

INTENTS: tuple[IntentEntry, ...] = (
    {
        "name": "help",
        "priority": 90,
        "keywords": {"도움말": 6, "도와줘": 4, "사용법": 6, "명령어": 5, "help": 6, "기능": 2, "안내": 2,
                     "쓰는 법": 6, "쓰는법": 6, "이용 방법": 6},
        "patterns": {
            r"(?:뭐|무엇|뭘)\s*(?:을\s*)?(?:할|해|해줄|도와줄)\s*수\s*있": 6,
            r"무엇을\s*할\s*수": 6,
            r"어떻게\s*(?:써|쓰|사용|이용)": 5,
            r"^\s*/?(?:start|help)\s*$": 6,
            r"^\s*(?:봇|비서실봇|너)\s*(?:은|는)?\s*뭐\s*(?:해|하니|할\s*줄)": 6,
            r"사용\s*방법|이용\s*방법|물어볼\s*수|(?:봇|너|네가|니가)\S{0,2}\s*기능|기능\S*\s*(?:뭐\s*뭐|설명)|"
            r"처음\s*(?:써|쓰)": 6,
        },
    },
    {
        "name": "greeting",
        "priority": 85,
        "patterns": {
            r"^\s*안녕(?:하세요|하십니까|하셨어요)?[!,.~ ]": 7,
            r"^\s*(?:안녕|하이|ㅎㅇ|hi|hello|헬로|좋은\s*(?:아침|하루|저녁|오후)|반가워|반갑습니다|굿모닝|출근했)"
            r"[가-힣\s!~.?^ㅎ]{0,10}$": 6,
        },
    },
    {
        "name": "thanks",
        "priority": 85,
        "keywords": {"고마워": 5, "고맙습니다": 5, "감사합니다": 5, "감사해요": 5, "감사": 3, "땡큐": 5,
                     "수고했": 4, "수고하셨": 4, "수고해": 4, "ㄳ": 5, "ㄱㅅ": 5, "thanks": 5, "thx": 5},
        "patterns": {
            r"^\s*(?:고마워|고맙|감사)\S*[\s,!.]": 6,
            r"^\s*(?:네+|넵+|예+|응+|ㅇㅋ|ㅇㅇ|오케이|오키|ok|okay|알겠(?:어|습니다|어요)|알았(?:어|습니다|어요)|"
            r"확인(?:했어|했습니다|요)?|좋아(?:요)?|굿+(?!모닝)|good|잘\s*됐네|됐어|완벽|훌륭)(?:요)?(?![가-힣A-Za-z])"
            r"[가-힣\s!~.^ㅎ👍]{0,8}$": 6,  # a whole word: not the 예 of 예산
        },
        "slots": {"question": -3, "date": -2, "amount": -3},
    },
    {
        "name": "event_create",
        "priority": 80,
        "creates": True,
        "signals": ("create", "remind", "plan"),
        "keywords": {"일정": 2, "일정 추가": 9, "일정 등록": 9, "일정 잡아": 9, "일정에 넣어": 9, "일정 넣어": 8,
                     "캘린더에 추가": 8, "캘린더에 넣어": 8, "추가해": 3, "등록해": 3, "잡아줘": 3, "넣어줘": 3,
                     "알려줘": 3, "알려주세요": 3, "리마인드": 2, **EVENT_WORDS},
        "slots": {"date": 1, "date:ahead": 2, "date:past": -4, "name:district": 1, "name:council": 1,
                  "countdown": -3, "event_noun": 2, "schedule": 3, "task": -4, "recurring": -2, "no_event_noun": -2,
                  "plan": 1, "done": -4, "unsaid": -1},
    },
    {
        "name": "reminder_create",
        "priority": 75,
        "creates": True,
        "signals": ("remind", "create"),
        "keywords": {
            "리마인드": 4, "리마인더": 4, "알림": 3, "알람": 3, "알려줘": 3, "알려주세요": 3, "깨워줘": 3,
            "챙기라고": 2, "하라고": 2, "잊지 않게": 3, "까먹지 않게": 3,
        },
        "patterns": {COUNTDOWN: 3, r"(?<=[가-힣])으?라고\s*알려": 2, r"(?:시|분)\s*(?:으로|로)\s*$": -4,
                     MOVE: -5},
        "slots": {"date:past": -4, "time": 1, "today": 1, "task": 5, "recurring": 3, "no_event_noun": 2,
                  "schedule": -1},
    },
    {
        "name": "agenda_query",
        "priority": 70,
        "keywords": {"일정": 2, "스케줄": 3, "캘린더": 1, "예정된": 2, "할 일": 1, "행사 있": 3, "약속": 2},
        "patterns": {
            r"(?:오늘|내일|모레|글피|이번\s*주|다음\s*주|다다음\s*주|담주|이번\s*달|다음\s*달|(?<!\d)\d+\s*월|주간|월간|"
            r"주말|월요일|화요일|수요일|목요일|금요일|토요일|일요일)\s*(?:의\s*)?(?:일정|스케줄)": 3,
            r"다가오는": 3,
            r"(?:일정|스케줄)\s*(?:좀\s*)?(?:알려|보여|뭐|있|확인|어떻게|어때|봐)": 3,
            r"뭐\s*(?:가\s*)?(?:있|잡혀|해|하지|하나|예정|뭐)|무슨\s*(?:일|일정|행사)|뭐\s*하는\s*날|바빠|비어|한가|"
            r"(?:일정|스케줄|행사)\S*\s*(?:목록|리스트|전체|쭉|남았|남은|다\s)|잡힌\s*(?:거|것|일정|행사)|"
            r"(?:읽어|말해)\s*(?:줘|줄래)": 3,
            r"정해진|미정|안\s*정해": 3,
            # what is booked, asked by 등록돼 있는지: "9월 1일에 뭐 등록돼 있는지"
            r"(?:등록|잡혀|예정)\S{0,3}\s*있(?:는지|나|어|니|냐|었나|던가)": 3,
        },
        "slots": {"bare_date": 6, "question": 1, "date": 1, "asks_lookup": 1, "create": -4, "plan": -2},
    },
    {
        "name": "spending_log",
        "priority": 60,
        "creates": True,
        "signals": ("amount", "done"),
        "keywords": {
            "지출": 4, "썼어": 3, "썼다": 3, "썼음": 3, "썼습니다": 3, "결제": 4, "사용했": 2, "계산했": 3,
            "구입": 2, "구매": 2, "지급": 2, "카드": 1, "다과": 1, "식대": 2, "격려": 1, "냈어": 2, "냈음": 2,
            "집행했": 3, "결재했": 3, "비용": 1, "커피": 1, "도시락": 1, "다과비": 2, "값": 1,
        },
        "patterns": {FIX: -5, r"^\s*(?:방금|아까|마지막)": -2, **NOT_A_FILE},
        "slots": {"amount": 5, "name:budget_line": 1, "question": -4},
        "past": True,
    },
    {
        "name": "budget_query",
        "priority": 65,
        "keywords": {
            "잔액": 4, "잔고": 4, "예산": 3, "업무추진비": 3, "업추비": 3, "집행률": 4, "집행 현황": 4,
            "집행 내역": 5, "남은": 2, "남았": 2, "얼마": 1, "분야별": 4, "월별 추이": 3, "집행 추이": 5,
            "월별 집행": 5, "과목별": 3, "소진": 3, "집행": 2, "기관운영": 2, "시책추진": 2, "행사비": 2,
            "직원격려": 2, "쓴 돈": 3, "쓴돈": 3, "추이": 2, "차트": 2, "그래프": 2, "페이스": 2, "속도": 1,
            "간담회비": 5, "격려비": 4, "위문": 3, "나간 돈": 4, "집행액": 4, "건수": 2, "집행건수": 4, "표": 1,
            "안 썼": 3, "하나도": 1,
        },
        "patterns": {
            r"얼마\s*(?:나\s*)?(?:남|썼|쓴|사용|집행|나갔)": 3, r"(?:쓸|사용할)\s*수\s*있는": 2,
            r"몇\s*(?:번|건|회)\s*(?:썼|쓴|사용|집행|결제)|몇\s*건\s*나갔": 4,
            r"업무추진비\s*현황": 3, r"이대로\s*(?:가면|쓰면)": 3,
            r"(?:쪽|분야)\S{0,2}\s*(?:으로|로)?\s*(?:집행|나간|쓴|썼)": 3,
            r"(?:격려|간담회|회의|위문|행사|경조사)\S{0,2}\s*(?:으로|로)\s*.*(?:나갔|나간|썼|쓴|집행)": 4,
            **NOT_A_FILE,
        },
        "slots": {"name:budget_line": 1, "question": 2, "asks_lookup": 1, "amount": -4},
        "needs": ("예산", "업무추진비", "업추비", "잔액", "잔고", "집행", "썼", "쓴", "쓸", "지출",
                  "기관운영", "시책", "격려", "간담회비", "행사비", "위문", "남은", "남았", "남아", "남음", "얼마",
                  "돈", "비용", "금액", "소진", "추이", "차트", "그래프", "페이스", "속도", "분야", "과목", "사용",
                  "나갔", "건수", "표"),
    },
    {
        # An update typed on an open sub-project card: 진행률 45%, 상태 지연 — 사유, 메모 …
        "name": "pledge_update",
        "priority": 90,
        "patterns": {
            r"^\s*(진행률|진척률|진도)\s*[:：]?\s*\S+": 6,
            r"^\s*상태\s*[:：]?\s*\S+": 6,
            r"^\s*메모\s*[:：]?\s*\S": 6,
            r"(?:진행률|진척률|진도)\s*[:：]?\s*\d+": 8,
            r"(?:진행률|진척률|진도)\S*\s*\S+\s*(?:퍼센트|프로|%)?\s*(?:으로|로)\s*"
            r"(?:올려|바꿔|수정|변경|업데이트|$)": 8,
            r"상태\S*\s*(?:를\s*|을\s*)?(?:지연|완료|보류|미착수|정상\s*추진)\S*\s*(?:으로|로)?": 8,
            r"(?:완료|지연|보류|미착수)\s*(?:로\s*)?처리": 8,
            r"메모\S*\s*(?:를\s*)?(?:남겨|추가|달아|적어)|['‘\"].+['’\"]\s*메모": 6,
            r"메모\s+\S+": 4,
            r"메모\S{0,2}\s.*(?:추가|남겨|적어|넣어|달아)": 8,
        },
        "slots": {"question": -6, "amount": -3, "name:district": -4},
    },
    {
        "name": "followup_query",
        "priority": 60,
        "keywords": {"후속조치": 4, "후속 조치": 4, "미완료": 2, "할 일": 2, "후속": 3, "처리 안 된": 2,
                     "남은 과제": 3, "해야 할 거": 6, "해야 될": 3, "해야될": 3, "마감": 2, "진행되고": 2,
                     "하기로 한": 5, "하기로 했던": 5, "아직 안": 2, "남은 거": 2, "안 된 거": 2, "안 끝난": 2},
        "needs": ("후속", "할 일", "할일", "남은 과제", "해야할거", "해야될", "해야할", "하기로한", "하기로했던"),
        "slots": QUERY_SLOTS,
    },
    {
        "name": "pledge_query",
        "priority": 50,
        "patterns": {r"^\s*[A-Za-z]{1,4}[-_]?\d[\w-]{0,20}\s*$": 6,
                     r"\b[A-Za-z]{1,4}\d{0,3}[-_]\d[\w-]{0,20}": 5},
    },
    {
        "name": "pledge_query",
        "priority": 55,
        "keywords": {
            "공약": 4, "핵심공약": 5, "공약사업": 5, "세부사업": 4, "이행률": 4, "이행": 2, "지연": 1,
            "추진 상황": 2, "진행 상황": 1, "민선7기": 2, "현황": 1, "미착수": 3, "보류": 2, "진행률": 2,
            "진행": 1, "진척": 2, "진행 현황": 2,
        },
        "patterns": {r"(?:지연|완료|보류|미착수|정상\s*추진|늦어지는|밀린)\S{0,2}\s*(?:된|중인|인|한)?\s*"
                     r"(?:핵심\s*)?(?:공약|세부\s*사업|사업)": 3,
                     r"(?<!정책)(?:분야|영역|대상)\s*별|안\s*(?:한|된)\s*(?:공약|세부\s*사업)|"
                     r"(?:공약|세부\s*사업)\S*\s*몇\s*개": 3},
        "slots": {"name:pledge": 3, "question": 1},
    },
    {
        "name": "visit_log",
        "priority": 50,
        "creates": True,
        "signals": LOG_SIGNALS,
        "keywords": {**VISIT_WORDS, **LOG_MARKERS, **NOT_A_LOG},
        "needs": tuple(VISIT_WORDS),
        "slots": {**LOG_SLOTS, "name:district": 1, "amount": -4, "schedule": -5},
        "patterns": NOT_A_FILE,
        "past": True,
    },
    {
        "name": "visit_query",
        "priority": 45,
        "keywords": {**VISIT_WORDS, **QUERY_MARKERS, **NOT_A_QUERY, "통계": 3, "미방문": 5, "자치구별": 3,
                     "구별로": 3, "자치구마다": 4, "구마다": 3, "나갔": 2, "안 간": 3, "안간": 3, "가본": 2,
                     "간 곳": 3},
        "needs": (*VISIT_WORDS, "미방문", "자치구마다", "자치구별", "나갔", "안 간", "안간", "가본", "간 곳"),
        "patterns": {
            NO_QUERY_WORD: -3,
            **NOT_MONEY,
            r"안\s*간|미방문|안\s*가\s*본|안\s*나간": 4,
            r"방문\s*(기록|내역|목록|통계)\s*$": 7,
            r"^\s*(이번\s*달|지난\s*달|올해|작년|\d{1,2}\s*월)\s*(현장\s*)?방문\s*$": 6,
        },
        "slots": QUERY_SLOTS,
    },
    {
        "name": "meeting_log",
        "priority": 50,
        "creates": True,
        "signals": LOG_SIGNALS,
        "keywords": {**MEETING_WORDS, **LOG_MARKERS, **NOT_A_LOG},
        "needs": tuple(MEETING_WORDS),
        "slots": {**LOG_SLOTS, "name:council": 1, "amount": -4, "schedule": -5},
        "patterns": {r"(?:회의|간담회|면담)\S{0,2}\s*(?:으로|로)\s*(?:등록|기록)": 8, **NOT_A_FILE},
        "past": True,
    },
    {
        "name": "meeting_query",
        "priority": 45,
        "keywords": {**MEETING_WORDS, **QUERY_MARKERS, **NOT_A_QUERY},
        "needs": tuple(MEETING_WORDS),
        "patterns": {NO_QUERY_WORD: -3, **NOT_MONEY, r"^\S+\s+(?:기록|내역|목록)\s*$": 5},
        "slots": QUERY_SLOTS,
    },
    {
        "name": "reminder_list",
        "priority": 72,
        "keywords": {"알림 목록": 6, "알림목록": 6, "내 알림": 5, "예약된 알림": 6, "리마인더 목록": 6,
                     "설정한 알림": 6, "걸어둔 알림": 6, "잡아둔 알림": 6, "등록한 알림": 6, "알림들": 4,
                     "알림 뭐": 5, "알림 확인": 4,
                     "등록된": 4, "걸어둔": 5, "걸어 둔": 5, "알려달라고 한": 6,
                     "알림 리스트": 6, "남은 알림": 5, "알림 내역": 6,
                     "설정된": 4, "설정한": 4, "해둔": 3, "해 둔": 3, "받을 알림": 5, "내 리마인드": 6, "목록": 3,
                     "보여": 2, "알림이 남아": 5, "반복 알림": 3},
        "needs": ("알림", "리마인", "알람", "알려달라고", "알려달란"),
        "patterns": {r"(?:알림|알람|리마인더?)\S{0,3}\s*(?:뭐|몇\s*개|있|목록|보여|확인)": 3},
        "slots": {"question": 2, "countdown": -4, "time": -3},
    },
    {
        "name": "spending_list",
        "priority": 62,
        "keywords": {"지출 내역": 5, "지출내역": 5, "내 지출": 5, "최근 지출": 6, "지출 목록": 6,
                     "입력한 지출": 6, "등록한 지출": 6, "결제 내역": 5, "내가 쓴": 4, "쓴 내역": 5, "지출한 거": 4,
                     "입력한 거": 3, "기록한 지출": 6, "넣은 지출": 6, "지출 건": 3, "사용 내역": 5,
                     "올린 지출": 6, "결제건": 5, "결제 건": 5, "결제들": 5, "지출들": 5, "입력된": 3, "기록된": 3,
                     "쓴거": 3, "최근꺼": 2, "등록된": 3, "사용 건": 4, "목록으로": 3, "읽어": 2, "다시 보여": 2},
        "needs": ("지출", "결제", "결재", "쓴", "사용", "입력한", "입력된", "기록된"),
        # a payment made, asked whether it was stored: "어제 결제한 건 기록됐는지", "결제한 거 뭐 들어가 있어"
        "patterns": {r"(?:결제|결재|지출)한\s*(?:거|건|것)\S{0,2}\s.*(?:기록|들어가|입력|등록|있는지|있어|보여)": 5},
        "slots": {"question": 1, "amount": -4, "edit_recent": -4},
    },
    {
        "name": "as_of_query",
        "priority": 75,
        "keywords": {"기준일": 6, "기즌일": 6, "일자": 3, "기준 날짜": 5, "기준날짜": 5, "언제 기준": 6,
                     "언제기준": 6, "며칠 기준": 6,
                     "몇일 기준": 6, "기준 시점": 6, "언제 자료": 5, "언제자": 5, "최신 자료": 3, "업데이트": 2},
        "patterns": {r"(?:언제|며칠|몇\s*일|어느\s*날|날짜)\s*(?:자|기준|꺼|거)": 3,
                     r"기준\s*(?:이|은|일은)?\s*(?:언제|며칠)": 4,
                     r"(?:수치|숫자|자료|데이터|금액)\S{0,2}\s*(?:언제|몇\s*일)": 3,
                     r"몇\s*월\s*몇\s*일\s*자|며칠\s*자": 6,
                     # "업추비 기준?" asks the as-of date; "평가 기준" is a criterion, not a date
                     r"^(?!.*(?:평가|선정|심사|지원|채점|배점|판단|선발)\s*기준)\S+(?:\s+\S+)?\s+기준\s*[?]?$": 6.5,
                     r"(?:날짜|기준일|최신)\S{0,2}\s*(?:기준|언제|맞|이야|인가|이에요|\?)": 3},
        "needs": ("기준", "기즌", "언제자", "업데이트", "최신", "언제꺼", "언제거", "일자", "며칠자"),
        "slots": {"question": 1},
    },
    {
        "name": "export",
        "priority": 70,
        "keywords": {"엑셀": 9, "액셀": 9, "다운로드": 5, "다운": 3, "내려받": 5, "내보내": 7,
                     "출력": 3, "시트": 3, "xlsx": 9, "csv": 9, "스프레드시트": 6, "파일로": 4, "파일 줘": 4,
                     "파일 보내": 4, "파일": 2},
        "patterns": {r"달력|캘린더|ics|아웃룩": -6,
                     r"(?:내역|목록|기록|장부|자료|리스트|현황)\S*\s*(?:좀\s*)?뽑아": 5,
                     REPORT_NOUNS: -8, REPORT_FIGURES: 8},
        "slots": {"question": -1, "create": -1},
    },
    {
        # The work report as a file: "보고서 뽑아줘", "이번달 업무보고 엑셀로 줘", "6월 업무보고 한글로". Never a
        # reminder or an event that is called 보고 ("보고서 제출 알려줘", "내일 10시 업무보고 일정 등록"), nor a
        # question about one ("업무보고 언제야").
        "name": "report",
        "priority": 76,
        "keywords": {"업무보고": 6, "주요업무": 5, "보고서": 4, "월간 보고": 2, "pdf": 2, "피디에프": 2, "엑셀": 2,
                     "액셀": 2, "한글": 2, "hwp": 2, "한컴": 2, "파일": 1, "뽑아": 2, "만들어": 2, "출력": 2,
                     "보내": 1, "받": 1, "다운": 1},
        "needs": ("업무보고", "주요업무", "보고서"),
        "patterns": {r"언제|몇|며칠|얼마|어디|누가|누구|했|썼|제출|검토|결재|작성|수정|회의|일정": -6,
                     REPORT_FIGURES: -8, r"알림|알람|리마인": -8},
        "slots": {"remind": -8, "task": -8, "time": -6, "done": -5, "amount": -6, "minutes": -6, "recurring": -8,
                  "schedule": -6, "plan": -5, "edit_recent": -6, "countdown": -6},
    },
    {
        "name": "calendar_file",
        "priority": 78,
        "keywords": {"달력": 4, "ics": 7, "캘린더 파일": 7, "캘린더파일": 7, "달력 파일": 7, "일정 파일": 6,
                     "구글 캘린더": 5, "아웃룩": 6, "캘린더로": 4, "폰 캘린더": 5, "휴대폰 캘린더": 5,
                     "캘린더에 넣": 3, "캘린더 연동": 6, "달력에 넣": 5, "캘린더 내보내": 6},
        "needs": ("ics", "캘린더", "달력", "일정 파일", "아웃룩"),
    },
    {
        "name": "undo_last",
        "priority": 88,
        "edits": True,
        "keywords": {"방금 거 취소": 8, "방금거 취소": 8, "방금 취소": 7, "취소해": 4, "취소": 2, "지워": 4,
                     "삭제": 4, "되돌려": 6, "없던 걸로": 6, "없던걸로": 6, "잘못 입력": 4, "잘못 넣": 4,
                     "잘못 등록": 4, "마지막 거": 3, "방금": 2, "아까 거": 2, "실수": 2, "무르": 4, "물러": 4,
                     "빼줘": 3, "되돌리기": 8, "되돌리": 6, "없애": 4, "취소하고 싶": 4, "지우고 싶": 4},
        "needs": ("취소", "지워", "삭제", "되돌", "없던", "잘못", "무르", "물러", "빼줘", "없애"),
        "patterns": {r"(?<!\d)\d+\s*만?\s*원\s*(?:이|가)?\s*아니": -5, r"(?:으로|로)\s*(?:수정|정정|바꿔|고쳐)": -4,
                     # "방금 거 지워", "아까 입력한 지출 지워줘": the words between name what to take back
                     r"(?:방금|마지막|아까|직전)\S*\s*(?:\S+\s+){0,4}?(?:좀\s*)?(?:빼|지워|삭제|취소)": 6},
        "slots": {"amount": -2, "date": -1, "edit_recent": 3},
    },
    {
        "name": "reminder_move",
        "priority": 86,
        "edits": True,
        "keywords": {"미뤄": 5, "미루": 4, "뒤로": 3, "연기": 4, "옮겨": 4, "늦춰": 5, "당겨": 4, "앞당겨": 5,
                     "스누즈": 6, "다시 알려": 4, "이따 다시": 4, "후에 다시": 4, "뒤에 다시": 4, "후 다시": 4,
                     "알림": 2, "리마인": 2, "알람": 2, "그거": 1,
                     "그 알림": 3, "로 바꿔": 2, "로 변경": 2, "조정": 3, "욺겨": 4, "변겅": 2},
        "patterns": {r"(?:시|분|일|요일)\s*(?:으로|로)\s*(?:\S+\s*)?(?:바꿔|변경|변겅|조정|옮겨|욺겨|해|$)": 4,
                     r"(?<!\d)\d+\s*(?:분|시간)\s*(?:만|만큼)?\s*(?:더\s*)?(?:뒤로|후로|미뤄|늦춰)": 4,
                     # "회의자료 알림 내일 9시로": a reminder named, then only its new time
                     r"(?:알림|알람|리마인더)\S*\s+(?:\S+\s+){0,5}?\S*(?:시|분|일|날|요일)\s*(?:으로|로)\s*[.!~]*$": 4,
                     # a reminder named and called off ("결재 알림은 취소"): an edit of that reminder
                     r"(?:알림|알람)(?:은|는|도)?\s*(?:다\s*)?(?:취소|삭제|지워|꺼\s*줘)": 5},
        "slots": {"amount": -4, "asks_lookup": -4, "edit_recent": -2},  # "잔액 다시 알려줘" asks again, moves nothing
        "needs": ("미뤄", "미루", "뒤로", "후로", "연기", "옮겨", "늦춰", "당겨", "앞당", "스누즈", "다시알려",
                  "이따다시", "후에다시", "뒤에다시", "후다시", "뒤다시",
                  "로바꿔", "로변경", "으로", "시로", "분로", "일로", "조정", "욺겨", "변겅", "변경",
                  "알림은취소", "알림취소", "알림도취소", "알림삭제", "알림은삭제", "알람취소", "알람은취소"),
    },
    {
        "name": "spending_fix",
        "priority": 87,
        "edits": True,
        "keywords": {"아니라": 4, "아니고": 4, "정정": 4, "수정": 3, "고쳐": 4, "잘못": 2, "금액": 3, "방금": 1,
                     "아까": 1, "마지막": 1, "지출": 1, "결제": 1, "틀렸": 4, "직전": 3},
        "patterns": {r"(?<!\d)\d+\s*만?\s*원\s*(?:이|가)?\s*아니": 4, r"(?:으로|로)\s*(?:수정|정정|바꿔|고쳐|변경)": 3,
                     r"금액\S*\s+.*(?:으로|로)\s*$": 4},
        "needs": ("아니라", "아니고", "정정", "수정", "고쳐", "잘못", "바꿔", "변경", "틀렸", "직전", "금액"),
        "slots": {"amount": 3},
    },
)

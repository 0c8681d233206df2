"""Chat and dictated Korean — data only. The reader is :mod:`bot.lang.normalize`; tune the words here.

Every table is plain words; the normaliser compiles them once. Words of the office that already live in
other tables (:mod:`bot.lang.intent_table`, :mod:`bot.lang.field_words`, :mod:`bot.lang.names`) are not
repeated here: the normaliser adds them to :data:`OFFICE_WORDS` itself.
"""

from __future__ import annotations

# Whole messages that only acknowledge or thank (punctuation, ~, ^^, ㅎㅎ around them ignored).
ACKS: dict[str, str] = {
    **dict.fromkeys(("ㅇㅇ", "ㅇㅇㅇ", "ㅇㅋ", "ㅇㅋㅇㅋ", "오키", "오케이", "오케", "ok", "okay", "넵", "넴", "넹",
                     "네넵", "넵넵", "네네", "예", "옙", "응", "웅", "ㅇㅇ넵", "알겠어", "알겠습니다", "확인"), "네"),
    **dict.fromkeys(("감사", "감사감사", "ㄱㅅ", "ㄳ", "ㄱㅅㄱㅅ", "ㄳㄳ", "감삼다", "감사해요", "감사함", "땡큐",
                     "thx", "thanks", "고마워", "고마워요", "고맙습니다", "수고", "수고하세요", "수고했어"),
                    "감사합니다"),
}
# Laughter, crying and emoticons at the ends of a message or standing alone: noise for every reader.
NOISE = ("ㅋ", "ㅎ", "ㅠ", "ㅜ", "^^", "^_^", ";;")

# Chat spellings that may be glued to what follows ("담주화욜3시", "업추비잔액"). Each is read only at the
# start of a word (after a space, a digit or punctuation) — or, for week/day words, right after 주.
GLUED_SPELLINGS: dict[str, str] = {
    # weeks, months, days
    "담주": "다음주", "담쭈": "다음주", "담쮸": "다음주", "다음쭈": "다음주", "담담주": "다다음주",
    "다담주": "다다음주", "담다음주": "다다음주", "요번주": "이번주", "요번 주": "이번주", "이번쭈": "이번주",
    "저번쭈": "저번주", "지난쭈": "지난주", "담달": "다음달", "담 달": "다음달", "요번달": "이번달",
    "저번달": "지난달", "낼모레": "내일모레", "낼 모레": "내일모레",
    # the budget
    "업추비": "업무추진비", "시책업추": "시책추진업무추진비", "기관업추": "기관운영업무추진비",
    "기관운영비": "기관운영업무추진비", "시책추진비": "시책추진업무추진비", "집행율": "집행률", "이행율": "이행률",
    # meetings and visits
    "의장단간담": "의장단 간담회", "상임위원장간담": "상임위원장단 간담회", "시구간담": "시-구 간담회",
    "시구간담회": "시-구 간담회", "참여예산": "시민참여예산", "참예산": "시민참여예산",
    # things to ask for
    "캘린더파일": "캘린더 파일", "엑셀파일": "엑셀 파일",
}
# Spellings that are words only on their own (a particle may follow): "낼 3시", "간담 잡아줘", "상임위 간담회".
WORD_SPELLINGS: dict[str, str] = {
    "낼": "내일", "넬": "내일", "오널": "오늘", "오눌": "오늘", "어제밤": "어젯밤", "엊그제": "그저께",
    "업추": "업무추진비", "업무추진": "업무추진비", "간담": "간담회", "상임위": "상임위원회",
    "시의회상임위": "시의회 상임위원회", "구청장협": "구청장협의회", "구청장협의": "구청장협의회",
    "구협": "구청장협의회", "부구청장회": "부구청장회의", "정책협": "정책협의회", "현방": "현장방문",
    "현장방": "현장방문", "발언대": "시민발언대", "핵공": "핵심공약", "후조": "후속조치", "잔고": "잔액",
    "남은돈": "남은 돈", "스케쥴": "스케줄", "스캐줄": "스케줄",
    # the reminder's own word mistyped (알람 is a word of its own and stays)
    "알럼": "알림", "알릠": "알림", "알름": "알림",
}
# Chat weekdays: 월욜, 화욜 … (also glued after 주: 담주화욜).
WEEKDAY_CHAT = ("욜", "요")
WEEKDAYS = "월화수목금토일"

# What may follow a word-only spelling or a number with its counter without making them another word.
FOLLOWERS = (
    "에서는", "에서", "에는", "에도", "까지는", "까지", "부터는", "부터", "으로", "이랑", "하고", "이나",
    "이요", "입니다", "이에요", "예요", "에", "엔", "로", "의", "은", "는", "이", "가", "도", "을", "를", "와",
    "과", "랑", "만", "요", "쯤", "경", "께", "중", "뒤", "후", "전", "만에", "째", "반", "정도", "동안", "간",
    "씩", "짜리", "어치", "이상", "이하", "내", "안", "마다", "밖에", "좀", "오전", "오후", "아침", "점심",
    "저녁", "밤", "새벽", "모레",
)

# Fillers of dictated speech, removed only as words of their own.
FILLERS = ("어", "음", "으음", "음음", "어어", "흠", "엄", "아", "에", "에이", "그러니까", "그니까", "그러니깐",
           "있잖아", "있잖아요", "뭐냐", "뭐랄까", "저기요", "근데", "그러면", "그럼", "글쎄")
# Fillers that are also words ("그 알림", "저 내일 휴가"): dropped only next to another filler, before a
# pause mark (그, / 저…) or at the start before a pause.
WEAK_FILLERS = ("그", "저", "저기", "이제", "막")
# Fillers that are a real question at the end ("내일 일정 뭐지?"): dropped only when something follows.
NOT_LAST_FILLERS = ("뭐지", "뭐더라", "뭐였지", "뭐였더라")
PAUSE_MARKS = ",…~."

# Softeners removed from the content ("일정 좀 알려줘", "혹시 잔액 얼마야").
SOFTENERS = ("좀", "혹시", "혹시나", "쫌", "조금만")

# Request wrappers at the end of a clause (regular expression → what stays: "줘"). The verb before the
# wrapper is kept: 알려 주실 수 있을까요 → 알려줘, 등록해 주세요 → 등록해줘.
REQUEST_WRAPPERS: tuple[str, ...] = (
    r"주실\s?수\s?(?:있을까요|있나요|있으세요|있으신가요|있겠습니까|있겠어요|있어요|있습니까|있으실까요)",
    r"주시겠(?:어요|습니까|나요|어)?",
    r"주시면\s?(?:감사하겠습니다|감사하겠어요|감사합니다|좋겠습니다|좋겠어요|고맙겠습니다|돼요|됩니다)",
    r"주시기\s?바랍니다", r"주십시오", r"주십쇼", r"주실래요", r"주세요", r"주셔요", r"주셈", r"줘요",
    r"줄래요", r"줄래", r"줄\s?수\s?있(?:어|나|니|을까)(?:요)?", r"줄\s?수\s?있을까", r"주라", r"주고",
    r"주시고", r"줘",
)
# Cute or dialect request endings after a verb's stem: 알려쥬, 알려죠, 해조, 등록해쥬, 봐죵 → …줘.
CUTE_REQUEST = r"(?<=[려해봐])(?:쥬|죠|조|죵|듀|주세용|주셈)(?=$|[\s.!?~])"
# "ㄱ", "ㄱㄱ", "고고" closing a message: go — show it ("내 알림 ㄱ"), or do it after a verbal noun ("등록 ㄱㄱ").
GO_END = r"\s*(?:ㄱ+|고고+|ㄱㅅ?ㄱ)\s*[!.~]*$"
# … "ㄱ" after one of these nouns asks to do it (등록 ㄱ → 등록해줘); after any other, to show it.
GO_DO_NOUNS = ("등록", "기록", "추가", "취소", "삭제", "저장", "입력", "수정", "변경", "예약", "정정", "연기")
# A verbal noun + 요 closing a message is a request ("일정 추가요", "취소요"), not a question.
NOUN_YO = r"(?<![가-힣])(?P<noun>[가-힣]{2})\s?요\s*[.!~]*$"
# 부탁 after a verbal noun becomes the noun + 해줘 ("기록 부탁드립니다" → 기록해줘).
PLEASE_WORDS = r"부탁\s?(?:드립니다|드려요|드릴게요|드릴께요|드림|합니다|해요|해|함|요)"
# 가능할까요 after a verbal noun asks for it ("등록 가능할까요?" → 등록해줘).
POSSIBLE_WORDS = r"(?:가능할까요|가능하실까요|가능한가요|가능하세요|가능해요\?|가능해\?|가능\?)"
# 부탁 that is a greeting, not a request ("오늘도 잘 부탁드립니다").
NOT_PLEASE = ("잘", "앞으로도", "오늘도", "많이")
VERBAL_NOUNS = (
    "기록", "등록", "확인", "추가", "예약", "정리", "보고", "리마인드", "알림", "삭제", "취소", "수정", "변경", "전달",
    "공유", "작성", "출력", "조회", "검색", "설정", "저장", "입력", "연기", "정정", "발송", "안내", "체크", "점검",
)

# Words of the office the readers look for, for spacing ("업무추진비잔액얼마") and typo repair. The
# normaliser adds the intent table's keywords, the field words and the names of bot.lang.names.
OFFICE_WORDS: tuple[str, ...] = (
    "업무추진비", "기관운영업무추진비", "시책추진업무추진비", "기관운영", "시책추진", "잔액", "예산", "예산액",
    "집행액", "집행률", "집행건수", "집행", "지출", "과목별", "분야별", "월별", "추이", "속도", "건수", "직원행사비",
    "직원", "행사비", "경조사", "명절", "격려", "간담회", "현장방문", "방문", "미방문", "면담", "회의", "협의회",
    "상임위원회", "상임위원장단", "의장단", "시의회", "시의원", "구청장협의회", "부구청장회의", "정책협의회",
    "구청장", "자치구", "공약", "핵심공약", "세부사업", "공약사업", "이행률", "진행률", "미착수", "민선7기", "민선6기",
    "시민참여예산",
    "자매우호도시", "자매도시", "해외진출", "동고동락", "시민발언대", "정책박람회", "후속조치", "인력", "정원", "현원",
    "평가", "등급", "점검", "일정", "스케줄", "알림", "리마인드", "리마인더", "캘린더", "엑셀", "내역", "목록", "현황",
    "통계", "기록", "등록", "추가", "취소", "삭제", "예정", "방금", "자료", "제출", "보고서", "서울식물원", "개관식",
    "기념식", "행사",
)
# Days and times of day among the office's words: a glued noun after one of them is always spaced off
# ("내일회의자료" → "내일 회의자료"), while two glued nouns of the office make one name ("회의자료").
TIME_WORDS: tuple[str, ...] = (
    "오늘", "내일", "모레", "내일모레", "어제", "그저께", "이번주", "다음주", "다다음주", "지난주", "저번주", "이번달",
    "다음달", "지난달", "주말", "평일", "오전", "오후", "아침", "점심", "저녁", "월요일", "화요일", "수요일",
    "목요일", "금요일", "토요일", "일요일",
)
ASKING_WORDS: tuple[str, ...] = ("얼마", "언제", "어디", "몇번", "알려줘", "보여줘", "잡아줘")
# Words of fewer than three syllables that typo repair may still restore (잔엑 → 잔액)...
SHORT_TYPO_WORDS = ("회의", "잔액", "예산", "일정", "집행", "지출", "공약", "방문", "내역", "취소", "예정", "면담",
                    "점검", "어제", "방금", "목록", "삭제", "기록")
# ...and real words one letter away from an office word, which are never "repaired".
NOT_TYPOS = (
    "전액", "예상", "예선", "일전", "인정", "일종", "열정", "공략", "공역", "기출", "지춤", "면당", "알람",
    "집안", "잔엔", "면단", "예약", "일상", "일장", "장액", "현장방문객", "정원", "현원", "면접",
    "일번", "지불", "지정", "공학", "방안", "방면", "알린", "일진", "예전", "점심", "회의록", "다음날", "지난날",
    "이번날", "계산", "공양", "일상", "장액", "진행", "진행률", "진척", "진척률", "이행", "직행", "상임위원장",
    "다다다음주", "부구청장", "구청장님", "점거", "간단", "오점", "현자", "저녁",
    # real words one letter away from the short words above (방문, 내역, 취소, 예정, 면담, 점검, 어제, 방금…)
    "방만", "방면", "내력", "내외", "내연", "내열", "취사", "취수", "취조", "애정", "여정", "예전", "점점", "정검",
    "방음", "거제", "여제", "기독", "삭감", "초소", "오제", "목륙",
)
# Syllable endings that may follow a word that typo repair looks at (잔엑이 → 잔액이).
# Day words: too short for the general repair (two syllables have many real neighbours), so only the slips of
# one vowel that sound or sit alike (ㅐ/ㅔ, ㅡ/ㅜ) are repaired: 어재 → 어제, 그재 → 그제, 오눌 → 오늘 ...
DAY_WORDS = ("어제", "오늘", "내일", "모레", "그제", "그저께", "엊그제")
DAY_VOWEL_SLIPS = (("ㅐ", "ㅔ"), ("ㅡ", "ㅜ"))
# ...except a slip that spells a real word (모래 is sand, 네일 a nail).
DAY_NOT_SLIPS = ("모래", "네일")
# Short words of a visit or meeting log, also too short for the general repair: repaired for a slip of a
# neighbouring key in one syllable: a vowel typed with or without its y-stroke (졈검 → 점검, 오젼 → 오전, 간댬 →
# 간담), a final consonant a key away (방뭄 → 방문) or, before the last syllable, left out (바문 → 방문); also
# as a part of a compound with a known word (현쟝점검 → 현장점검) and before the verb's ending (방뭄했어).
LOG_WORDS = ("방문", "점검", "예정", "오전", "오후", "면담", "간담", "현장", "시찰", "순찰", "점심", "아침", "저녁")
LOG_VOWEL_SLIPS = (("ㅓ", "ㅕ"), ("ㅏ", "ㅑ"), ("ㅗ", "ㅛ"), ("ㅜ", "ㅠ"), ("ㅐ", "ㅔ"), ("ㅡ", "ㅜ"))
LOG_FINAL_SLIPS = (("ㄴ", "ㅁ"), ("ㄴ", "ㅇ"), ("ㅁ", "ㅇ"))
# ...except a slip that spells a real word (간단 is simple, 오점 a blemish, 점거 an occupation).
LOG_NOT_SLIPS = ("간단", "오점", "오정", "현자", "점거", "예전", "저녁", "방면", "점신", "아친")
# Endings of a report that may follow such a word (방뭄했어, 졈검함).
LOG_VERB_TAILS = (
    "했습니다", "했어요", "했어", "했음", "햇음", "했고", "했다", "했는데", "하였음", "함", "하러", "하고", "차",
)

TYPO_SUFFIXES = (
    "에서는", "에서", "이랑", "하고", "으로", "까지", "부터", "이야", "이요", "은요", "는요", "이에요", "예요", "이",
    "가", "은", "는", "을", "를", "도", "의", "에", "로", "랑", "만", "좀", "야", "요", "와", "과", "님들", "님께",
    "님과", "님", "마다", "별", "비", "들", "쪽", "했어요", "했어", "했음", "했다", "했고", "했습니다", "해줘", "해",
    "하고", "함", "예요",
)

# Numbers in words.
SINO_DIGITS = "일이삼사오육칠팔구"
NATIVE_UNITS = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9}
NATIVE_TENS = {"열": 10, "스물": 20, "스무": 20, "서른": 30, "마흔": 40, "쉰": 50}
# Counters read after a native numeral: 세 명, 두 시간, 한 건 (not 분: "세 분" are three people).
NATIVE_COUNTERS = ("시간", "명", "건", "번", "회", "개", "곳", "달", "가지", "군데", "차례", "살", "개월", "시")
# Counters read after a Sino-Korean numeral: 삼십만 원, 십오 분, 구월, 삼 일 뒤 (시 is said natively).
SINO_COUNTERS = ("원", "시간", "분", "초", "일", "주일", "주", "개월", "월", "년", "명", "건", "회", "개", "층",
                 "퍼센트", "프로", "차", "기")
# A single Sino digit glued to one of these is another word (사원, 구분, 사건, 사회, 일명, 오명…); it is read
# as a number only with a space ("사 건") or with these counters.
SINGLE_GLUED_COUNTERS = ("월", "일", "개월", "시간")
# Written as words, not numbers, whatever follows.
NOT_NUMBERS = ("일일", "이일", "일주일", "십분", "이월", "일월", "일년", "천만", "백만", "만원", "일차", "이차",
               "삼차", "일기", "이기", "삼기", "사기", "오기", "육기", "칠기", "구기", "이주", "일주", "일시간", "만세")
IRREGULAR_MONTHS = {"시월": 10, "유월": 6}

# Requests in one message: where two may be joined. A verb's connective (기록하고, 알려주고) or a separator
# (그리고, 또, ;) needs a subject on each side; a noun's (잔액이랑 일정) needs subjects of different domains:
# "예산이랑 집행액" is one request, "강북구랑 도봉구 방문 내역" too.
SEPARATORS = (r"\s*;\s*", r"\s+ㅡ+\s+", r"\s+/\s+", r",?\s+그리고\s+또\s+", r",?\s+그리고\s+", r"\s+또\s+")
# "…결재했고 …알려줘": a report ends; a split only when the second half asks something.
DONE_THEN = r"(?<=[가-힣])(?:았|었|했|갔|왔|났)고(?=\s)"
# "정원 몇명이고 잔액은": a question ends.
ASKED_THEN = r"(?:(?<=몇)|(?<=얼마)|(?<=언제)|(?<=어디)|(?<=무슨))\s?[가-힣]{0,3}?(?:이고|고)(?=\s)"
# "현장방문 몇 번인지랑 아직 안 간 구도": a question clause (-는지, -인지) closed and another joined.
QUESTION_THEN = r"(?<=[는인]지)(?:랑|이랑|하고)(?=\s)"
# "커피 알림 30분 미루고 결재 알림은 취소": an edit ends (the second half needs a subject of its own).
EDIT_THEN = r"(?:미루|옮기|바꾸|취소하|지우|삭제하|고치|수정하|늦추|당기|빼)고(?=\s)"
NOUN_CONNECTIVES = ("이랑", "랑", "및")  # 하고 after a noun: see the verb connectives
# Past reports joined by 하고 ("현장방문하고 간담회 했어") are one outing, not two requests.
PAST_REPORT = r"(?:했어|했음|했습니다|했어요|했다|다녀왔|다녀옴|가졌|마쳤)"
SUBJECTS: dict[str, tuple[str, ...]] = {
    "budget": ("업무추진비", "잔액", "예산", "집행", "지출", "썼", "결제", "기관운영", "시책추진", "행사비"),
    "agenda": ("일정", "스케줄", "뭐 있", "뭐있", "캘린더"),
    "meeting": ("간담회", "회의", "면담", "협의회", "의견청취"),
    "visit": ("현장방문", "방문", "다녀왔", "다녀옴", "다녀감", "시찰", "동고동락", "안간", "안 간", "안 가본"),
    "reminder": ("알림", "리마인드", "리마인더", "알람", "깨워"),
    "pledge": ("공약", "세부사업", "이행률", "핵심공약"),
    "fact": ("자매", "참여예산", "위원회", "인력", "정원", "평가", "해외진출", "박람회", "시민투표"),
    "export": ("엑셀", "내보내", "파일", "다운"),
    "record": ("기록", "등록", "추가", "자료", "제출"),
    "followup": ("후속", "할 일"),
    "help": ("도움말", "사용법", "명령어"),
}
# A half that asks nothing borrows the other half's asking verb ("잔액이랑 내일 일정 알려줘").
ASKING_VERBS = ("알려줘", "보여줘", "찾아줘", "확인해줘")
ASKING_MARKS = ("얼마", "언제", "어디", "뭐", "몇", "?", "줘", "있어", "있나", "인가", "야")

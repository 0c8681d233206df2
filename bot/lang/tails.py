"""The sentence's own ending, cut from the end of a field: verbs of reporting and request wrappers.

Staff write a whole sentence and the readers cut it into fields; what ends the sentence must not end a
saved note, title or place: `냉방기 점검 요청했습니다` is the note `냉방기 점검 요청`, `쪽방촌 다녀왔어요` the
place `쪽방촌`, `서울식물원 개관식 등록해 주세요` the title `서울식물원 개관식`.

Only the end of the text is looked at, repeatedly (`… 방문했습니다 기록 부탁드려요`), and only whole
endings are cut: a verb stem must start a word (`다녀왔음`) or follow a noun that takes 하다 (`요청함` →
`요청`, but `보관함`, `포함` stay). The tables are data; tune them here.
"""

from __future__ import annotations

import re

from .textutil import strip_command_words, tidy

# Verbs that make a whole word of their own: cut with the word ("쪽방촌 다녀왔습니다" → "쪽방촌").
_WHOLE_VERBS = (
    r"다녀\s?왔", r"다녀\s?오", r"갔다\s?왔", r"갔다\s?오", r"가졌", r"가졌었", r"마쳤", r"끝냈", r"있었", r"만났",
    r"나눴", r"나누었", r"들었", r"들렀", r"봤", r"보았", r"왔", r"갔",
)
# Endings of a past or plain statement after those stems ("다녀왔음", "가졌습니다", "만났어요").
_PAST_ENDINGS = r"(?:습니다|었습니다|어요|었어요|어|음|었음|다|었다|고요|네요|는데요|는데|죠|지요|슴|심)"
# Whole words that are nothing but an ending of the sentence.
_WHOLE_WORDS = (
    r"다녀옴", r"갔다\s?옴", r"했습니다", r"했어요", r"했음", r"햇음", r"햇어", r"했다", r"했어", r"하였음",
    r"하였습니다", r"함",
    r"됐습니다", r"됐음", r"됨", r"입니다", r"이에요", r"임",
    r"(?:할|갈|있을|가질)\s?(?:예정|계획)(?:입니다|이에요|이다|임)?",
    r"예정(?:입니다|이에요|이다|임)?", r"계획(?:입니다|이에요|이다|임)",
)
# Going somewhere, said before what was done there: not part of the place (`재난현장 가서 점검했어` → 재난현장).
_MOVES = (
    r"가서", r"가\s?봤(?:어요|어|음|다|습니다)?", r"가\s?보고", r"가\s?보니", r"들러서", r"들러", r"나가서",
    r"둘러\s?봤(?:어요|어|음|다|습니다)?", r"둘러\s?보고(?:\s?왔(?:어요|어|음|다|습니다))?",
    r"보고\s?왔(?:어요|어|음|다|습니다)?", r"찾아가서", r"가\s?있었(?:어요|어|음|다|습니다)?",
)
# Nouns that take 하다: "요청했습니다" → "요청", "방문함" → "방문".
HADA_NOUNS = (
    "방문", "점검", "요청", "진행", "실시", "완료", "참석", "논의", "협의", "전달", "건의", "청취", "개최", "확인",
    "보고", "검토", "설명", "지시", "요구", "제안", "면담", "시찰", "순찰", "격려", "위문", "참관", "합의", "결정",
    "공유", "안내", "당부", "강조", "발표", "제출", "배석", "동행", "답변", "질의", "접수", "조치", "대응", "처리",
    "기록", "정리", "회의", "약속", "배부", "지원", "수렴", "간담", "시행", "추진", "마무리", "수행", "인사",
)
# Endings glued to a 하다 noun (the noun stays).
_HADA_ENDINGS = (
    r"했습니다", r"했어요", r"했음", r"햇음", r"했다", r"했어", r"햇어", r"했고요",
    r"하였음", r"하였습니다", r"하였다", r"함", r"합니다",
    r"해요", r"됐습니다", r"됐음", r"됐어요", r"되었음", r"되었습니다", r"됨", r"드림", r"드렸음", r"드렸습니다",
    r"드렸어요", r"드립니다", r"드려요", r"받았음", r"받았습니다", r"받음",
    r"할\s?(?:예정|계획)(?:입니다|이에요|이다|임)?", r"\s예정(?:입니다|이에요|이다|임)?",
)
# Requests to the bot ("기록해줘", "남겨 주세요", "등록 부탁드립니다"), on top of textutil's 알려줘/등록해줘.
_VERBS_TO_BOT = r"(?:기록|저장|등록|추가|입력|메모|정리|반영|처리)"
_PLEASE = (
    r"(?:해\s?)?(?:줘요?|주세요|주십시오|주시겠어요|줄래요?|줄\s?수\s?있(?:어요|을까요|나요)|주실\s?수\s?있(?:을까요|나요|어요)"
    r"|주시면\s?감사하겠습니다|주시기\s?바랍니다|주라|둬|두세요)"
)
_FAVOUR = r"부탁(?:해요|해|합니다|드립니다|드려요|드림|드릴게요)?|바랍니다|요망"
_REQUESTS = (
    _VERBS_TO_BOT + r"\s?(?:좀\s?)?(?:" + _PLEASE + r"|" + _FAVOUR + r")",
    r"(?:남겨|적어|올려|넣어|써|달아|잡아|알려)\s?(?:좀\s?)?(?:줘요?|주세요|주십시오|줄래요?|주시겠어요|두세요|둬|주라"
    r"|주실\s?수\s?있(?:을까요|나요|어요))",
    r"(?:해\s?)?주세요", r"해\s?줘요?", r"해\s?주실\s?수\s?있(?:을까요|나요|어요)", _FAVOUR,
)

# A copula glued to the last noun ("안건은 회기 일정 조율이었습니다" → 회기 일정 조율; "후속은 자료 제출입니다").
_COPULA = r"(?<=[가-힣])(?:이었|였)(?:습니다|어요|어|음|다|고요|죠|지요)|(?<=[가-힣])(?:입니다|이에요|이었음)"

_TAIL = re.compile(
    r"(?:"
    r"(?<![가-힣])(?:" + "|".join(_WHOLE_VERBS) + r")" + _PAST_ENDINGS
    + r"|(?<![가-힣])(?:" + "|".join(_WHOLE_WORDS) + r")"
    + r"|(?<![가-힣])(?:" + "|".join(_MOVES) + r")"
    + r"|(?:" + "|".join(f"(?<={noun})" for noun in HADA_NOUNS) + r")"
    + r"\s?(?:" + "|".join(_HADA_ENDINGS) + r")"
    + r"|(?:이?라고\s?)?(?:(?:일정|스케줄|캘린더에|달력에)\s?(?:좀\s?)?)?(?:" + "|".join(_REQUESTS) + r")"
    + r"|" + _COPULA
    + r")\s*[.!?~^]*\s*$"
)
_SOFTENERS = re.compile(r"(?:(?<![가-힣])(?:좀|그럼|그리고|네|요)|[.!?~^…]+)\s*$")
# A request word left standing alone after the title ("서울식물원 개관식 등록", "간담회 기록 부탁해요").
_BARE_REQUEST = re.compile(r"(?<=\S)\s(?:(?:일정|스케줄)\s?)?(?:등록|기록|추가|저장|입력)\s*$")


def strip_tail(text: str) -> str:
    """``text`` without the verbs and request wrappers that end the sentence (repeatedly), tidied; a text that
    is nothing but such an ending becomes empty."""
    text = tidy(text)
    while text:
        match = (_TAIL.search(text, max(0, len(text) - 40)) or _BARE_REQUEST.search(text)
                 or _SOFTENERS.search(text))
        if match is not None and match.start() < len(text):
            text = tidy(text[: match.start()])
            continue
        shorter = tidy(strip_command_words(text))
        if shorter == text:
            break
        text = shorter
    return text

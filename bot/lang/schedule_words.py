"""Which "when + what … 알려줘" line is a thing to attend and which a nudge at a time (pure word tables).

The rule (issue 12, item 8 — "one schedule as users see it"):

- A *nudge* is a task the person wants to be poked about: its title names something to do ("보고서 제출",
  "김과장에게 전화", "회의자료 챙기기" from "…챙기라고 알려줘"). With a clock time it is reminded exactly at that
  time and nowhere else; with only a day (a later day) it is reminded at 09:00 that day.
- Anything else with a date is a *thing to attend* (개관식, 간담회, 협의회, 면담 …, or any title without a task
  word): an event, reminded D-7 and D-1 at 09:00 while those are ahead, and on the day
  - at the asked time when the time itself is what the person asked to be reminded at — the time is followed
    directly by 에 and the request ("개관식 15시에 알려줘", "간담회 4시 반에 꼭 알려 줘");
  - otherwise an hour before the start ("9월 15일 오후 3시 서울식물원 개관식 알려줘": 15:00 is when it starts).
- A reminder for the whole team, or with lead times spelled out ("D-3", "30분 전 알림"), is always an event.
"""

from __future__ import annotations

import re

NUDGE_HOUR = 9  # a nudge given only a day comes that morning
# lead_minutes of an event whose time the user asked to be reminded at ("개관식 15시에 알려줘"): the default
# day leads, then one reminder at the start itself, never one an hour before the asked time (bot/domain/leads.py).
AT_START: tuple[int, ...] = (0,)

# Words of doing: a title with one of these is a task to be nudged about, even when it names a meeting
# ("간담회 자료 준비" is preparing material, not attending).
TASK_WORDS = (
    "제출", "전화", "연락", "통화", "보내", "발송", "송부", "챙기", "챙겨", "확인", "준비", "작성", "검토", "출력",
    "결재", "회신", "답장", "답신", "예약", "신청", "접수", "마감", "정리", "올리", "업로드", "수정", "인쇄",
    "전달", "요청", "문의", "입금", "납부", "처리", "출발", "퇴근", "복용", "약 먹", "약먹", "메일",
)
_NUMBER_WORD = r"(?:\d{1,2}|열한|열두|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)"
_CLOCK = (r"(?:" + _NUMBER_WORD + r"\s*시(?:\s*(?:반|\d{1,2}\s*분|정각))?|\d{1,2}\s*:\s*\d{2}|\d{1,2}\s*분|"
          r"정오|자정)")
_ASKED_AT = re.compile(
    _CLOCK + r"\s*(?:쯤|경)?\s*에\s*(?:는\s*)?(?:꼭|좀|다시|한번|한 번|미리)?\s*"
    r"(?:알려|알림|알람|리마인드|말해|깨워|상기|얘기해|이야기해)"
)


def is_task(title: str) -> bool:
    """True when the title names something to do rather than something to attend."""
    compact = title.replace(" ", "")
    return compact.endswith("하기") or any(word.replace(" ", "") in compact for word in TASK_WORDS)


def asks_at_time(text: str) -> bool:
    """True when a clock time is what the person asked to be reminded at ("…4시에 알려줘")."""
    return bool(_ASKED_AT.search(text))

"""Korean texts shared by several handlers."""

from __future__ import annotations

from bot.domain.access import DataKind

GREETING = (
    "안녕하세요, {name}님. 시장비서실 업무 도우미 비서실봇입니다.\n"
    "업무추진비 잔액, 공약 현황, 현장방문·간담회 기록, 일정 알림을 도와드립니다.\n"
    "아래 메뉴를 누르거나 /help 로 명령어를 확인하세요."
)
REFUSAL = (
    "죄송합니다. 비서실 직원만 이용할 수 있습니다.\n"
    "관리자에게 아래 텔레그램 ID를 알려 주시고 초대 링크를 받으세요.\n"
    "내 ID: {user_id}"
)
ADMIN_ONLY = "관리자만 사용할 수 있는 명령입니다."
NO_FIGURES_IN_GROUP = "이 정보는 단체방에서는 보여 드리지 않습니다. 저와의 1:1 대화에서 물어봐 주세요."
# What a group chat is told for a kind it may not see (bot.domain.access); other kinds: NO_FIGURES_IN_GROUP.
WITHHELD_IN_GROUP = {
    DataKind.INVITE: "초대 링크는 단체방에 올리지 않습니다. 저와의 1:1 대화에서 /invite 를 보내 주세요.",
    DataKind.ROSTER: "직원 명단은 단체방에서 보여 드리지 않습니다. 저와의 1:1 대화에서 /staff 를 보내 주세요.",
    DataKind.FILES: "파일은 단체방에서 주고받지 않습니다. 저와의 1:1 대화에서 요청해 주세요.",
    DataKind.PERSONAL: "개인 알림과 일정은 단체방에서 보여 드리지 않습니다. 저와의 1:1 대화에서 물어봐 주세요.",
}
GATE_FAULT = "죄송합니다. 지금은 요청을 처리할 수 없습니다. 잠시 후 다시 시도해 주세요."
NOT_UNDERSTOOD = (
    "무슨 말씀인지 잘 모르겠어요. 예: '인력 현황', '도움말'.\n"
    "/help 를 보내시면 쓸 수 있는 명령어와 예시를 보여 드립니다."
)
SOMETHING_WENT_WRONG = (
    "죄송합니다. 요청을 처리하는 중에 문제가 생겼습니다. 잠시 후 다시 시도해 주세요.\n"
    "문제가 계속되면 관리자에게 알려 주세요."
)
INVITE_INVALID = {
    "unknown": "초대 코드가 올바르지 않습니다. 관리자에게 새 초대 링크를 요청하세요.",
    "expired": "초대 링크가 만료되었습니다(유효기간 24시간). 관리자에게 새 초대 링크를 요청하세요.",
    "used": "이미 사용된 초대 링크입니다. 관리자에게 새 초대 링크를 요청하세요.",
}

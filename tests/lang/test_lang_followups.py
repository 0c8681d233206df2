"""The words of follow-ups: how long a reminder is put off, which one is meant, the corrected amount, the kind
of entry or file named."""

from __future__ import annotations

import pytest

from bot.lang.amounts import Amount
from bot.lang.followups import corrected_amount, export_what, named_kind, points_at_last, read_delay, target_words


@pytest.mark.parametrize(("text", "minutes"), [
    ("그 알림 30분 뒤로", 30), ("개관식 알림 한 시간 미뤄줘", 60), ("방금 알림 10분 후에 다시", 10),
    ("이사회 알림 1시간 반 후로", 90), ("알림 반 시간 늦춰줘", 30), ("알림 이십분 뒤로", 20),
    ("두 시간 연기", 120), ("회의 알림 내일 9시로", None), ("알림 오후 3시로 옮겨줘", None),
])
def test_delay(text: str, minutes: int | None) -> None:
    assert read_delay(text) == minutes


@pytest.mark.parametrize(("text", "words"), [
    ("회의 알림 내일 9시로", ("회의",)), ("개관식 알림 한 시간 미뤄줘", ("개관식",)), ("그 알림 30분 뒤로", ()),
    ("방금 알림 10분 후에 다시", ()), ("이사회 알림 1시간 반 후로", ("이사회",)),
    ("구청장협의회 알람 내일 오전 10시로 옮겨줘", ("구청장협의회",)), ("알림 이십분 뒤로", ()),
])
def test_target_words(text: str, words: tuple[str, ...]) -> None:
    assert target_words(text) == words


def test_pointing_back() -> None:
    assert points_at_last("그 알림 30분 뒤로") and points_at_last("방금 알림 10분 후에 다시")
    assert not points_at_last("회의 알림 내일 9시로")


@pytest.mark.parametrize(("text", "won"), [
    ("방금 지출 15만원으로 고쳐줘", 150_000), ("금액 잘못 넣었어 12만원 아니고 13만원", 130_000),
    ("지출 금액 틀렸어", None),
])
def test_corrected_amount(text: str, won: int | None) -> None:
    found = corrected_amount(text)
    assert (found.won if isinstance(found, Amount) else found) == won


@pytest.mark.parametrize(("text", "kind"), [
    ("방금 거 취소", None), ("마지막 지출 취소해줘", "spending"), ("방금 기록한 현장방문 삭제해줘", "visit"),
    ("간담회 방금 거 취소", "meeting"), ("그 알림 지워줘", "reminder"), ("아까 일정 취소", "event"),
])
def test_undo_kind(text: str, kind: str | None) -> None:
    assert named_kind(text) == kind


@pytest.mark.parametrize(("text", "what"), [
    ("현장방문 엑셀로 줘", "visits"), ("예산 내보내기", "budget"), ("공약 파일로", "pledges"),
    ("간담회 목록 엑셀로", "meetings"), ("엑셀 파일로 줘", None),
])
def test_export_what(text: str, what: str | None) -> None:
    assert export_what(text) == what

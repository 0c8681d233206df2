"""The work report in chat: /report [date] [format] and the words for it send the file bot.report makes of the live
data, with its caption, while 'sending a file…' shows; bad input is answered with what to type; groups, and staff
unless report.staff_may_request, get no file; /report on|off|상태 set and tell an admin's monthly push."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import ADMIN_ID, REPORT_NOW, STAFF_ID, Harness, make_config, make_harness, replies
from report_checks import documents, expected_document, freeze, join, same_file

from bot.offline import ApiCall
from bot.present import report as view
from bot.report import Format
from storage import people

JULY = (date(2018, 7, 1), date(2018, 7, 20))
JUNE = (date(2018, 6, 1), date(2018, 6, 30))
GROUP = {"chat_id": -500, "chat_type": "group"}


async def _sent_report(h: Harness, calls: list[ApiCall], user: int, as_of: date, period: tuple[date, date] | None,
                       fmt: Format) -> None:
    """The bot showed 'sending a file…', then sent that report in that format with its caption — or, while the
    format's renderer is not written, said so in Korean."""
    actions = [c.params.get("action") for c in calls if c.method == "sendChatAction"]
    assert actions and actions[0] == "upload_document"
    name, expected = await expected_document(h, as_of, period, fmt)
    if expected is None:
        assert replies(calls) == [view.format_unavailable(fmt)] and not documents(calls)
        return
    (document,) = documents(calls, user)
    sent_name, data = document.files["document"]
    assert sent_name == name == f"주요업무보고_{as_of.isoformat()}.{fmt}"
    assert document.params["caption"] == view.caption(as_of, REPORT_NOW)
    assert same_file(data, expected)
    assert replies(calls) == []


async def test_report_command_sends_the_file_of_the_date_and_format_asked(
        harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, harness, REPORT_NOW)
    assert view.caption(date(2018, 7, 20), REPORT_NOW) == "주요업무 보고 — 7.20.(금) 기준"
    await _sent_report(harness, await harness.send(ADMIN_ID, "/report"), ADMIN_ID, date(2018, 7, 20), None, "pdf")
    await _sent_report(harness, await harness.send(ADMIN_ID, "/report 2018-06-30 xlsx"), ADMIN_ID,
                       date(2018, 6, 30), None, "xlsx")
    await _sent_report(harness, await harness.send(ADMIN_ID, "/report hwpx 7/16"), ADMIN_ID, date(2018, 7, 16), None,
                       "hwpx")
    await _sent_report(harness, await harness.send(ADMIN_ID, "/report 6월 엑셀"), ADMIN_ID, date(2018, 6, 30), JUNE,
                       "xlsx")


@pytest.mark.parametrize(("words", "as_of", "period", "fmt"), [
    ("보고서 뽑아줘", date(2018, 7, 20), None, "pdf"),
    ("주요업무 보고서 PDF로", date(2018, 7, 20), None, "pdf"),
    ("이번달 업무보고 엑셀로 줘", date(2018, 7, 20), JULY, "xlsx"),
    ("업무보고 한글 파일로", date(2018, 7, 20), None, "hwpx"),
    ("지난달 업무보고 보내줘", date(2018, 6, 30), JUNE, "pdf"),
])
async def test_words_ask_for_the_report(harness: Harness, monkeypatch: pytest.MonkeyPatch, words: str,
                                        as_of: date, period: tuple[date, date] | None, fmt: Format) -> None:
    freeze(monkeypatch, harness, REPORT_NOW)
    await _sent_report(harness, await harness.send(ADMIN_ID, words), ADMIN_ID, as_of, period, fmt)


@pytest.mark.parametrize(("typed", "said"), [
    ("/report 2월 30일", "2월 30일은 없는 날짜입니다"),
    ("/report docx", "docx 형식의 보고서는 만들 수 없습니다"),
    ("/report 8월 3일", "8.3.(금)은(는) 아직 지나지 않았으니"),
    ("/report 다음달", "8월은 아직 지나지 않았으니"),
    ("/report 보고서좀", "'보고서좀'은(는) 날짜로도 형식으로도 읽을 수 없습니다"),
    ("/report pdf xlsx", "형식은 하나만"),
    ("/report off xlsx", "월간 보고서 자동 발송은 /report on, /report off, /report 상태 로 따로"),
    ("2월 30일 업무보고 뽑아줘", "2월 30일은 없는 날짜입니다"),
])
async def test_bad_input_says_what_to_type_and_sends_nothing(harness: Harness, typed: str, said: str) -> None:
    calls = await harness.send(ADMIN_ID, typed)
    (text,) = replies(calls)
    assert text.startswith(said) and "예: /report" in text
    assert [c.method for c in calls] == ["sendMessage"]


async def test_no_report_in_a_group(harness: Harness, sqlite_url: str) -> None:
    for words in ("/report", "/report xlsx", "보고서 뽑아줘", "/report off"):
        calls = await harness.send(ADMIN_ID, words, **GROUP)  # type: ignore[arg-type]
        (text,) = replies(calls)
        assert "1:1" in text and not documents(calls) and not harness.request.of("sendChatAction")
    async with make_harness(make_config(sqlite_url, access={"allow_groups": True})) as h:
        for words in ("/report", "업무보고 엑셀로 줘"):
            calls = await h.send(ADMIN_ID, words, **GROUP)  # type: ignore[arg-type]
            assert replies(calls) == ["파일은 단체방에서 주고받지 않습니다. 저와의 1:1 대화에서 요청해 주세요."]
            assert not documents(calls)


async def test_staff_get_the_report_only_when_the_configuration_allows(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    async with make_harness(make_config(sqlite_url)) as h:
        await join(h, STAFF_ID, ADMIN_ID)
        for words in ("/report", "보고서 뽑아줘"):
            calls = await h.send(STAFF_ID, words)
            assert replies(calls) == [view.NOT_ALLOWED] and not documents(calls)
    async with make_harness(make_config(sqlite_url, report={"staff_may_request": True})) as h:
        freeze(monkeypatch, h, REPORT_NOW)
        await _sent_report(h, await h.send(STAFF_ID, "/report"), STAFF_ID, date(2018, 7, 20), None, "pdf")


async def _push_flag(h: Harness, user_id: int) -> bool:
    async with h.runtime.sessionmaker() as session:
        person = await people.get(session, user_id)
        assert person is not None
        return person.report_push


async def test_an_admin_turns_the_monthly_push_off_and_on(harness: Harness) -> None:
    said = replies(await harness.send(ADMIN_ID, "/report 상태"))[0]
    assert said.startswith("월간 보고서 자동 발송: 켜짐.") and "09:00" in said and "/report off" in said
    assert replies(await harness.send(ADMIN_ID, "/report off")) == [
        "월간 보고서 자동 발송을 껐습니다. 다시 받으려면 /report on"]
    assert await _push_flag(harness, ADMIN_ID) is False
    assert replies(await harness.send(ADMIN_ID, "/report 상태")) == [
        "월간 보고서 자동 발송: 꺼짐. 다시 받으려면 /report on"]
    on = replies(await harness.send(ADMIN_ID, "/report on"))[0]
    assert on.startswith("월간 보고서 자동 발송을 켰습니다.") and "지난달 주요업무 보고서(PDF)" in on
    assert await _push_flag(harness, ADMIN_ID) is True


async def test_staff_have_no_monthly_push_to_turn_on(harness: Harness) -> None:
    await join(harness, STAFF_ID, ADMIN_ID)
    for words in ("/report on", "/report 상태"):
        assert replies(await harness.send(STAFF_ID, words)) == [view.PUSH_ADMINS_ONLY]


async def test_the_status_says_when_the_configuration_turned_the_push_off(sqlite_url: str) -> None:
    async with make_harness(make_config(sqlite_url, report={"monthly": False, "monthly_time": "10:30"})) as h:
        said = replies(await h.send(ADMIN_ID, "/report 상태"))[0]
        assert "10:30" in said and "report.monthly = false" in said

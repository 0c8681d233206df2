"""bot.lang.parse_date_cli.main: one JSON line per expression, exit codes."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta

import pytest

from bot.lang.dates import SEOUL
from bot.lang.parse_date_cli import main

NOW = "2018-07-20T10:00:00+09:00"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, object]], str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_acceptance(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = run(["--now", NOW, "내일 오후 3시", "8.6~9.1", "2월 30일"], capsys)
    assert code == 0
    assert lines[0] == {
        "ok": True, "start": "2018-07-21T15:00:00+09:00", "end": None, "precision": "minute",
        "tentative": False, "rest": "",
    }
    assert (lines[1]["start"], lines[1]["end"], lines[1]["precision"]) == (
        "2018-08-06T00:00:00+09:00", "2018-09-01T00:00:00+09:00", "day",
    )
    assert lines[2]["ok"] is False and "없는 날짜" in str(lines[2]["error"])


def test_zero_and_negative_steps_are_refused_with_a_reason(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = run(["--now", NOW, "0분 뒤", "-5분 뒤"], capsys)
    assert code == 0
    reason = "0분 뒤는 바로 지금입니다. 1분 이상으로 입력해 주세요. 예: 30분 뒤, 2시간 뒤"
    assert lines[0] == {"ok": False, "error": reason}
    assert lines[1]["ok"] is False and "음수" in str(lines[1]["error"])


def test_inclusive_ends_and_korean_stays_readable(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = run(["--now", NOW, "7~8월", "오후 2시~4시", "서울식물원 개관(9월 예정)"], capsys)
    assert code == 0
    assert lines[0]["end"] == "2018-08-01T00:00:00+09:00" and lines[0]["precision"] == "month"
    assert lines[1]["end"] == "2018-07-20T16:00:00+09:00"
    assert lines[2]["tentative"] is True and lines[2]["rest"] == "서울식물원 개관"


def test_output_is_not_ascii_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--now", NOW, "언젠가"])
    assert "언젠가" in capsys.readouterr().out


def test_past_flag(capsys: pytest.CaptureFixture[str]) -> None:
    _, lines, _ = run(["--now", NOW, "--past", "9월 15일"], capsys)
    assert lines[0]["start"] == "2017-09-15T00:00:00+09:00"


def test_stdin_one_expression_per_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("9.15\n언젠가\n내일\n"))
    code, lines, _ = run(["--now", NOW, "--stdin"], capsys)
    assert code == 0
    assert [line["ok"] for line in lines] == [True, False, True]
    assert lines[0]["start"] == "2018-09-15T00:00:00+09:00"


def test_now_in_another_zone_is_converted_to_seoul(capsys: pytest.CaptureFixture[str]) -> None:
    _, lines, _ = run(["--now", "2018-07-20T01:00:00+00:00", "오늘"], capsys)
    assert lines[0]["start"] == "2018-07-20T00:00:00+09:00"


def test_default_now_is_the_current_time_in_seoul(capsys: pytest.CaptureFixture[str]) -> None:
    _, lines, _ = run(["오늘"], capsys)
    start = datetime.fromisoformat(str(lines[0]["start"]))
    assert start.utcoffset() == timedelta(hours=9)
    assert abs(start.date() - datetime.now(SEOUL).date()) <= timedelta(days=1)


@pytest.mark.parametrize(
    "argv", [["--now", "yesterday", "내일"], ["--now", "2018-13-01", "내일"], ["--bogus"]]
)
def test_bad_usage_exits_2_with_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1

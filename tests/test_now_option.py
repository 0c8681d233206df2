"""--now is a usage error outside the years 2000-2100, the same for `chat` and `parse-date` (exit 2, one line)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from helpers import run_cli

from bot.clock import SEOUL
from bot.lang.parse_date_cli import main as parse_date_main
from bot.lang.parse_date_cli import parse_now


@pytest.mark.parametrize("raw", ["1999-12-31T23:59:59+09:00", "2101-01-01T00:00:00+09:00", "0001-01-01T00:00:00",
                                 "9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+09:00"])
def test_now_outside_2000_to_2100_is_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="2000~2100"):
        parse_now(raw)


@pytest.mark.parametrize("raw", ["2000-01-01T00:00:00+09:00", "2100-12-31T23:59:59+09:00", "2018-07-20T10:00:00"])
def test_now_inside_the_range_is_read_in_seoul(raw: str) -> None:
    value = parse_now(raw)
    assert value.tzinfo is not None and value.utcoffset() == datetime(2018, 1, 1, tzinfo=SEOUL).utcoffset()
    assert value.replace(tzinfo=None) == datetime.fromisoformat(raw).replace(tzinfo=None)


@pytest.mark.parametrize("raw", ["9999-12-31T23:59:59", "0001-01-01T00:00:00+09:00"])
def test_parse_date_refuses_out_of_range_now(raw: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_date_main(["--now", raw, "내일"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and "2000~2100" in err


def test_chat_refuses_out_of_range_now_and_writes_nothing(tmp_path: Path) -> None:
    for raw in ("9999-12-31T23:59:59", "0001-01-01T00:00:00"):
        result = run_cli(tmp_path, "chat", "--now", raw, input="내일 오후 3시 회의 일정 추가\n")
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "--now" in result.stderr
        assert "2000~2100" in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""
    assert not (tmp_path / "data").exists()  # refused before any database was touched

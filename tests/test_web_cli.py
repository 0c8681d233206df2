"""`secretariat-bot run` as a real process in polling mode: /healthz, /readyz and /metrics over HTTP on the ops port,
with JSON logs that show neither the token nor a raw user id (webhook mode: tests/test_run_e2e.py)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from fake_bot_api import FakeBotApi
from helpers import http_get
from test_run_e2e import ADMIN, _free_port, _start, _stop, _write_config
from test_web import METRICS, sample


def test_polling_mode_serves_metrics_on_the_ops_port_and_logs_json(tmp_path: Path, fake: FakeBotApi) -> None:
    port = _free_port()
    extra = f'[ops]\nport = {port}\n[logging]\nformat = "json"\nupdates = true\n'
    process = _start(_write_config(tmp_path, fake, extra), tmp_path)
    try:
        fake.wait_for("getUpdates", timeout=30)
        fake.send_text(ADMIN, "/start")
        fake.wait_for("sendMessage", lambda c: c.params.get("chat_id") == ADMIN, timeout=20)
        assert http_get(f"http://127.0.0.1:{port}/healthz")[0] == 200
        status, ready = http_get(f"http://127.0.0.1:{port}/readyz")
        assert status == 200 and json.loads(ready)["ready"] is True
        deadline = time.monotonic() + 10  # the update is counted once its handling has finished
        while sample(text := http_get(f"http://127.0.0.1:{port}/metrics")[1], "secretariat_updates_total",
                     kind="command", intent="") != 1.0:
            assert time.monotonic() < deadline, text
            time.sleep(0.1)
        assert all(name.removesuffix("_total") in text for name in METRICS)
    finally:
        err = _stop(process)
    assert process.returncode == 0, err
    records = [json.loads(line) for line in err.splitlines() if line.strip()]  # every line is one JSON object
    assert records and all({"time", "level", "logger", "message"} <= set(r) for r in records)
    handled = [r for r in records if r["logger"] == "bot.updates"]
    assert len(handled) == 1, records
    line = handled[0]
    assert line["update_kind"] == "command" and line["handler"] == "start.start" and line["latency_ms"] > 0
    assert isinstance(line["update_id"], int) and len(line["user"]) == 12
    assert fake.token not in err
    assert not re.search(rf"(?<!\w){ADMIN}(?!\w)", err)  # the user is named by the hash alone

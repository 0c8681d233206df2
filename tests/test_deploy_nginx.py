"""The nginx example of README "운영" (deploy/nginx-secretariat-bot.conf), run for real: TLS in front of two
replicas, updates alternating between them with Telegram's secret header intact, one replica down losing
nothing, and metrics not served to the outside. The replicas are stand-ins that record what reaches them
(the replicas themselves are tested end to end in tests/test_replicas.py)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx-secretariat-bot.conf"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Replica:
    """A stand-in replica: answers 200 and records (path, secret header) of every request."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str | None]] = []
        seen = self.seen

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                seen.append((self.path, self.headers.get(SECRET_HEADER)))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if not found:
        pytest.skip(f"{name} is not installed (.ci/run installs Debian's nginx-light): the nginx example is not run")
    return found


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[tuple[int, Replica, Replica]]:
    nginx_bin, openssl = _tool("nginx"), _tool("openssl")
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True)
    first, second = Replica(), Replica()
    port = _free_port()
    site = (SITE.read_text()
            .replace("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
            .replace("127.0.0.1:8001", f"127.0.0.1:{first.port}")
            .replace("127.0.0.1:8002", f"127.0.0.1:{second.port}")
            .replace("/etc/ssl/secretariat-bot/fullchain.pem", str(tmp_path / "cert.pem"))
            .replace("/etc/ssl/secretariat-bot/privkey.pem", str(tmp_path / "key.pem")))
    assert str(first.port) in site and str(second.port) in site and str(port) in site, "the example's lines moved"
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        "user root root;\nworker_processes 1;\npid nginx.pid;\nerror_log error.log warn;\n"
        "events { worker_connections 64; }\n"
        "http { access_log off; client_body_temp_path body; proxy_temp_path proxy;\n"
        "       fastcgi_temp_path fastcgi; uwsgi_temp_path uwsgi; scgi_temp_path scgi;\n"
        "       include site.conf; }\n")
    check = subprocess.run([nginx_bin, "-t", "-p", str(tmp_path), "-c", "nginx.conf"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([nginx_bin, "-p", str(tmp_path), "-c", "nginx.conf", "-g", "daemon off;"],
                               stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield port, first, second
    finally:
        process.terminate()
        process.wait(timeout=10)
        first.stop()
        second.stop()


def test_updates_alternate_between_replicas_with_the_secret_intact(nginx: tuple[int, Replica, Replica]) -> None:
    port, first, second = nginx
    with httpx.Client(base_url=f"https://127.0.0.1:{port}", verify=False) as client:
        for n in range(6):
            answer = client.post("/tg/hook", json={"update_id": n}, headers={SECRET_HEADER: "s3cret"})
            assert answer.status_code == 200
    assert len(first.seen) == 3 and len(second.seen) == 3
    assert {seen for seen in first.seen + second.seen} == {("/tg/hook", "s3cret")}


def test_one_replica_down_loses_no_update(nginx: tuple[int, Replica, Replica]) -> None:
    port, first, second = nginx
    first.stop()
    with httpx.Client(base_url=f"https://127.0.0.1:{port}", verify=False) as client:
        codes = [client.post("/tg/hook", json={"update_id": n}, headers={SECRET_HEADER: "s"}).status_code
                 for n in range(6)]
    assert codes == [200] * 6
    assert len(second.seen) == 6


def test_health_is_public_and_metrics_are_not(nginx: tuple[int, Replica, Replica]) -> None:
    port, first, second = nginx
    with httpx.Client(base_url=f"https://127.0.0.1:{port}", verify=False) as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/metrics").status_code == 404
        assert client.get("/readyz").status_code == 404
    assert ("/metrics", None) not in first.seen + second.seen

"""A small round-robin HTTP proxy on 127.0.0.1, the load balancer in front of webhook replicas in tests.

Each request goes to the next backend in turn; a backend that refuses the connection (a replica killed or not
yet listening) is skipped for the next one, as nginx's proxy_next_upstream does. It records which backend
answered each request.
"""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


class RoundRobinProxy:
    def __init__(self, backends: list[int], *, timeout: float = 10.0) -> None:
        self.backends = list(backends)
        self.timeout = timeout
        self.served: list[int] = []  # the backend port that answered each request, in order
        self._next = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def __enter__(self) -> RoundRobinProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _order(self) -> list[int]:
        with self._lock:
            start = self._next
            self._next = (self._next + 1) % len(self.backends)
        return self.backends[start:] + self.backends[:start]

    def forward(self, method: str, path: str, headers: dict[str, str], body: bytes
                ) -> tuple[int, list[tuple[str, str]], bytes]:
        last: OSError | None = None
        for port in self._order():
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout)
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
            except ConnectionRefusedError as exc:  # down: try the next one (nothing reached it)
                last = exc
                continue
            finally:
                connection.close()
            with self._lock:
                self.served.append(port)
            return response.status, [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP], data
        raise last or OSError("no backend")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {"host"}}
                try:
                    status, out_headers, data = proxy.forward(self.command, self.path, headers, body)
                except OSError:
                    self.send_error(502, "no backend answered")
                    return
                self.send_response(status)
                for key, value in out_headers:
                    if key.lower() != "content-length":
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = _relay
            do_POST = _relay

        return Handler

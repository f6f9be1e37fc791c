"""What a real HTTP connection sees (issue 14, items 1 and 12): a keep-alive connection survives
an error answer, a body that promises more than it sends times out quickly, and a crowd beyond
the server's concurrency is answered 503 ``server_busy`` with ``Retry-After`` at once."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest

from tests.live import LiveServer, start_live_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = start_live_server(
        tmp_path_factory.mktemp("wire"), max_concurrent_requests=1, request_body_timeout_seconds=1
    )
    try:
        yield live
    finally:
        live.stop()


def connect(server: LiveServer) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    return sock


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        body += sock.recv(65536)
    return status, headers, body


def request(path: str, method: str = "GET", body: bytes = b"", **headers: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def test_a_keep_alive_connection_survives_error_answers(server):
    with connect(server) as sock:
        answers = []
        for raw in (
            request("/api/user/me"),  # 401
            request("/api/nothing"),  # 404
            request("/api/azure/account/a%00b"),  # 400 NUL
            request("/api/apikey", "POST", b"{not json", Content_Type="application/json"),
            request("/api/user/me"),
        ):
            sock.sendall(raw)
            status, headers, body = read_response(sock)
            assert "close" not in headers.get("connection", "")
            answers.append((status, json.loads(body)["code"]))
    assert [a[0] for a in answers] == [401, 404, 400, 400, 401]


def test_a_body_that_promises_more_than_it_sends_times_out_quickly(server):
    with connect(server) as sock:
        sock.sendall(
            b"POST /api/apikey HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 1000\r\n\r\n{"name":'
        )
        started = time.monotonic()
        status, headers, body = read_response(sock)
        assert time.monotonic() - started < 3
    assert status == 408 and json.loads(body)["code"] == "request_timeout"
    assert headers["connection"] == "close"


def test_an_oversized_chunked_body_is_413_on_the_wire(server):
    with connect(server) as sock:
        sock.sendall(
            b"POST /api/apikey HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"x" * 65536
        try:
            for _ in range(20):
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before the whole body was sent
        status, _, body = read_response(sock)
    assert status == 413 and json.loads(body)["code"] == "payload_too_large"


def test_requests_beyond_the_concurrency_limit_are_503_server_busy(server):
    with connect(server) as slow, connect(server) as other:
        # the one admitted request: its body never comes, so it holds the slot for a second
        slow.sendall(b"POST /api/apikey HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n")
        time.sleep(0.2)
        other.sendall(request("/api/user/me"))
        status, headers, body = read_response(other)
        assert status == 503 and json.loads(body)["code"] == "server_busy"
        assert headers["retry-after"] == "1"
        assert read_response(slow)[0] == 408
    with connect(server) as again:
        again.sendall(request("/api/user/me"))
        assert read_response(again)[0] == 401  # the slot is free again

"""A real cloudcanvas server in a background thread, for SDK and browser tests."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn

from cloudcanvas.app import create_app
from cloudcanvas.config import Settings
from cloudcanvas.store.database import Database
from cloudcanvas.store.migrate import upgrade


@dataclass
class LiveServer:
    settings: Settings
    db: Database
    server: uvicorn.Server
    thread: threading.Thread
    port: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.db.dispose()


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


def start_live_server(directory: Path, **overrides: Any) -> LiveServer:
    """The app on a free port. ``uvicorn_log_level="info"`` logs every request, as
    ``cloudcanvas serve`` does; the other overrides are settings."""
    log_level = str(overrides.pop("uvicorn_log_level", "warning"))
    settings = Settings(
        data_dir=directory,
        secret_key="live-test-master-key",
        **overrides,
    )
    upgrade(settings.resolved_database_url)
    db = Database.connect(settings.resolved_database_url)
    app = create_app(settings, database=db)
    sock = free_socket()
    port = sock.getsockname()[1]
    # uvicorn's own logging configuration, as `cloudcanvas serve` has it ("info": access log on).
    config = uvicorn.Config(app, log_level=log_level, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    return LiveServer(settings=settings, db=db, server=server, thread=thread, port=port)

"""`Simulator`: the HTTPS server on loopback, run in a background thread, with its Python API."""

from __future__ import annotations

import asyncio
import socket
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from types import TracebackType

import trustme
import uvicorn

from cloudcanvas.simulator import control
from cloudcanvas.simulator.app import make_app
from cloudcanvas.simulator.context import Context
from cloudcanvas.simulator.drift import Drift, DriftStep
from cloudcanvas.simulator.environment import Environment
from cloudcanvas.simulator.state import GraphQuota, RequestRecord, State

CA_FILE = "ca.pem"
CERT_FILE = "server.pem"
KEY_FILE = "server-key.pem"


def write_certificates(cert_dir: Path, host: str) -> None:
    """A trustme CA and a server certificate for loopback names; kept when already there."""
    cert_dir.mkdir(parents=True, exist_ok=True)
    if all((cert_dir / n).exists() for n in (CA_FILE, CERT_FILE, KEY_FILE)):
        return
    ca = trustme.CA()
    names = ["127.0.0.1", "localhost", "::1"]
    if host not in names and host not in ("0.0.0.0", "::"):
        names.append(host)
    leaf = ca.issue_cert(*names)
    ca.cert_pem.write_to_path(str(cert_dir / CA_FILE))
    leaf.private_key_pem.write_to_path(str(cert_dir / KEY_FILE))
    with (cert_dir / CERT_FILE).open("wb") as chain:
        for blob in leaf.cert_chain_pems:
            chain.write(blob.bytes())
    (cert_dir / KEY_FILE).chmod(0o600)


def listening_socket(host: str, port: int) -> socket.socket:
    # IPPROTO_TCP (not 0) so that asyncio sets TCP_NODELAY on accepted sockets; listen() before
    # the port is published so that the first client never meets ECONNREFUSED.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(512)
    sock.setblocking(False)
    return sock


class Simulator:
    """Entra ID + ARM + Resource Graph over HTTPS on loopback, serving one Environment."""

    def __init__(
        self,
        env: Environment | None = None,
        *,
        cert_dir: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        graph_quota: tuple[int, float] = (15, 5.0),
        page_size: int = 100,
        token_lifetime: int = 3599,
        timeout_hold: float = 30.0,
        drift_seed: int | None = None,
        drift_interval: float = 60.0,
    ) -> None:
        self.env = env if env is not None else Environment.sample()
        self.host = host
        self._requested_port = port
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if cert_dir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="cloudcanvas-sim-")
            cert_dir = Path(self._tmp.name)
        self.cert_dir = Path(cert_dir)
        self._ctx = Context(
            env=self.env,
            state=State(latency=latency),
            quota=GraphQuota(*graph_quota),
            page_size=page_size,
            token_lifetime=token_lifetime,
            timeout_hold=timeout_hold,
            drift=None if drift_seed is None else Drift(drift_seed, max(0.0, drift_interval)),
        )
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.port = 0

    # --- lifecycle ----------------------------------------------------------------------
    def start(self) -> Simulator:
        if self._thread is not None:
            return self
        write_certificates(self.cert_dir, self.host)
        sock = listening_socket(self.host, self._requested_port)
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            make_app(self._ctx),
            ssl_certfile=str(self.cert_dir / CERT_FILE),
            ssl_keyfile=str(self.cert_dir / KEY_FILE),
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
            timeout_keep_alive=30,
        )
        self._server = uvicorn.Server(config)
        started = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(sock, started), name="cloudcanvas-simulator", daemon=True
        )
        self._thread.start()
        started.wait(10)
        deadline = time.monotonic() + 10
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.005)
        if not self._server.started:
            raise RuntimeError("the simulator did not start")
        return self

    def _run(self, sock: socket.socket, started: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)

        async def serve() -> None:
            self._ctx.state.release = asyncio.Event()
            started.set()
            assert self._server is not None
            await self._server.serve(sockets=[sock])

        try:
            loop.run_until_complete(serve())
            pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        finally:
            sock.close()
            loop.close()

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        release, loop = self._ctx.state.release, self._loop
        if release is not None and loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(release.set)
        self._server.should_exit = True
        # Clients keep TLS connections alive; waiting for them to close would stall every stop.
        self._server.force_exit = True
        self._thread.join(15)
        self._server = None
        self._thread = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- where to find it ---------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"https://{host}:{self.port}"

    @property
    def ca_bundle(self) -> Path:
        return self.cert_dir / CA_FILE

    # --- faults and changes -------------------------------------------------------------
    def set_latency(self, seconds: float) -> None:
        self._ctx.state.latency = max(0.0, seconds)

    def inject_fault(
        self,
        route: str,
        *,
        status: int = 503,
        count: int = 1,
        retry_after: float | None = None,
        timeout: bool = False,
    ) -> None:
        control.inject_fault(
            self._ctx, route, status=status, count=count, retry_after=retry_after, timeout=timeout
        )

    def clear_faults(self) -> None:
        control.clear_faults(self._ctx)

    def expire_secret(self, app_id: str) -> None:
        control.expire_secret(self._ctx, app_id)

    def rotate_secret(self, app_id: str, expires_at: datetime | None = None) -> str:
        return control.rotate_secret(self._ctx, app_id, expires_at)

    def grant_role(self, object_id: str, scope: str, role: str = "Reader") -> None:
        control.grant_role(self._ctx, object_id, scope, role)

    def revoke_role(self, object_id: str, scope: str) -> None:
        control.revoke_role(self._ctx, object_id, scope)

    def set_subscription_state(self, subscription_id: str, state: str) -> None:
        control.set_subscription_state(self._ctx, subscription_id, state)

    def drift_step(self) -> DriftStep:
        """Change the estate now as one drift step does (needs ``drift_seed``)."""
        return self._ctx.drift_step()

    @property
    def drift_steps(self) -> list[DriftStep]:
        return list(self._ctx.drift.steps) if self._ctx.drift is not None else []

    def reset_quota(self) -> None:
        """Forget Resource Graph quota usage (tests that must not inherit a spent window)."""
        self._ctx.quota.reset()

    def set_graph_quota(self, limit: int, window: float) -> None:
        self._ctx.quota = GraphQuota(limit, window)

    @property
    def requests(self) -> list[RequestRecord]:
        with self._ctx.state.lock:
            return list(self._ctx.state.requests)

    def reset_requests(self) -> None:
        with self._ctx.state.lock:
            self._ctx.state.requests.clear()

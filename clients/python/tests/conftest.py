"""A real somd for the tests: started on a temporary socket and data directory, always stopped.

The binary is `SOM_SOMD`, else the repository's `.build/debug/somd` (tools/test builds it first).
Every somd runs in its own process group and is killed with its group in the fixture's finally,
whatever the test did; pytest-timeout (signal method) ends a stuck test so the finally still runs.
"""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from somclient import Client, SomError, pb

ROOT = Path(__file__).resolve().parents[3]
SOMD = Path(os.environ.get("SOM_SOMD") or ROOT / ".build" / "debug" / "somd")

_running: set[int] = set()


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@atexit.register
def _kill_leftovers() -> None:  # a last resort if pytest itself is interrupted
    for pid in list(_running):
        _kill_group(pid)


class Somd:
    """One somd process on `socket` with its data in `data`."""

    def __init__(self, directory: Path, extra_args: list[str] | None = None) -> None:
        self.directory = directory
        self.socket = str(directory / "som.sock")
        self.data = str(directory / "data")
        self.log = directory / "somd.log"
        self.extra_args = extra_args or []
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> None:
        if not SOMD.is_file():
            pytest.fail(f"no somd at {SOMD}: run `swift build` first or set SOM_SOMD")
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(SOMD), "--socket", self.socket, "--data", self.data, "--log-level", "warning", *self.extra_args],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        _running.add(self.process.pid)
        self.wait_until_serving(timeout)

    def wait_until_serving(self, timeout: float) -> None:
        """Polls Health until SERVING; fails when somd exits first or `timeout` passes."""
        deadline = time.monotonic() + timeout
        last = "no answer yet"
        with Client(self.socket, timeout=2.0, connect_timeout=1.0) as client:
            while time.monotonic() < deadline:
                assert self.process is not None
                if self.process.poll() is not None:
                    pytest.fail(f"somd exited with {self.process.returncode} before serving; log:\n{self.log_tail()}")
                try:
                    if client.health().status == pb.SERVING_STATUS_SERVING:
                        return
                except SomError as error:
                    last = str(error)
                time.sleep(0.01)  # a polling interval; readiness is decided by Health
        pytest.fail(f"somd did not serve within {timeout} s ({last}); log:\n{self.log_tail()}")

    def terminate(self, timeout: float = 30.0) -> int:
        """SIGTERM (graceful: GOAWAY, drain) and wait for the exit."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self._reap(timeout)

    def kill(self) -> None:
        """SIGKILL to the whole process group, and reap."""
        if self.process is not None and self.process.poll() is None:
            _kill_group(self.process.pid)
        self._reap(30.0)

    def _reap(self, timeout: float) -> int:
        assert self.process is not None
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            _kill_group(self.process.pid)
            code = self.process.wait(10)
        _running.discard(self.process.pid)
        return code

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                _kill_group(self.process.pid)
            try:
                self.process.wait(30)
            finally:
                _running.discard(self.process.pid)

    def log_tail(self, size: int = 4000) -> str:
        try:
            return self.log.read_bytes()[-size:].decode(errors="replace") or "(empty log)"
        except OSError:
            return "(no log)"


def _make_somd(directory: Path, extra_args: list[str] | None = None) -> Iterator[Somd]:
    server = Somd(directory, extra_args)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def shared_somd() -> Iterator[Somd]:
    """One server for the tests that only add data of their own (distinct ids per test)."""
    with tempfile.TemporaryDirectory(prefix="somclient-") as directory:
        yield from _make_somd(Path(directory), ["--unsafe-no-sync"])


@pytest.fixture
def somd(tmp_path: Path) -> Iterator[Somd]:
    """A server of the test's own, for tests that stop, kill or restart it."""
    yield from _make_somd(tmp_path, ["--drain-timeout", "2"])


@pytest.fixture
def client(shared_somd: Somd) -> Iterator[Client]:
    with Client(shared_somd.socket, timeout=20.0) as som:
        yield som


_counter = iter(range(1, 1 << 62))


def unique(prefix: str) -> str:
    """An id no other test in this run uses (idempotency keys, service points)."""
    return f"{prefix}-{os.getpid()}-{time.monotonic_ns()}-{next(_counter)}"


def order_request(
    service_point_id: str | None = None,
    *,
    source_request_id: str | None = None,
    order_type: pb.OrderType = pb.ORDER_TYPE_OFF_CYCLE_READ,
    source_system: pb.SourceSystem = pb.SOURCE_SYSTEM_CIS,
) -> pb.ServiceOrderRequest:
    return pb.ServiceOrderRequest(
        source_system=source_system,
        source_request_id=source_request_id or unique("REQ"),
        order_type=order_type,
        service_point_id=service_point_id or unique("SP"),
    )

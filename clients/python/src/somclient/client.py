"""The blocking client."""

from __future__ import annotations

import builtins
import datetime as _dt
import enum
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, Protocol, TypeVar, Unpack

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from somclient import _api, pb
from somclient._protocol import ClientProtocol
from somclient._sync import Call, Connection
from somclient.errors import SomError, StatusCode

T = TypeVar("T")
R = TypeVar("R", bound=Message)

DEFAULT_SOCKET = "./var/som.sock"


class _Default(enum.Enum):
    TOKEN = 0


DEFAULT = _Default.TOKEN
"""Marks a `timeout` left to the client's default."""

Timeout = float | None | _Default


def socket_path_from_env(socket_path: str | os.PathLike[str] | None) -> str:
    """The socket: the argument, else `SOM_SOCKET`, else ``./var/som.sock`` (as somctl)."""
    if socket_path is not None:
        return os.fspath(socket_path)
    return os.environ.get("SOM_SOCKET") or DEFAULT_SOCKET


class _HasProtocol(Protocol):
    protocol: ClientProtocol


C = TypeVar("C", bound=_HasProtocol)


class ClientBase(Generic[C]):
    """What `Client` and `AsyncClient` share: the settings, and the connection calls go to (plus
    the retired ones still finishing calls after a GOAWAY)."""

    _lock_type: Callable[[], Any] = threading.Lock

    def __init__(
        self,
        socket_path: str | os.PathLike[str] | None = None,
        *,
        timeout: float | None = 30.0,
        connect_timeout: float = 5.0,
        agent: str = "somclient-python",
        initial_stream_credit: int = 256,
    ) -> None:
        self.socket_path = socket_path_from_env(socket_path)
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.agent = agent
        self.initial_stream_credit = initial_stream_credit
        self._lock = self._lock_type()
        self._connection: C | None = None
        self._retired: builtins.list[C] = []

    def _connection_settings(self) -> dict[str, Any]:
        return {"connect_timeout": self.connect_timeout, "agent": self.agent, "initial_stream_credit": self.initial_stream_credit}

    def _current(self) -> C | None:
        """The connection if it takes new calls; else retires it (kept while its calls run)."""
        current = self._connection
        if current is not None and current.protocol.accepts_new_streams:
            return current
        if current is not None:
            self._retired.append(current)
            self._connection = None
        self._retired = [c for c in self._retired if c.protocol.open_streams and c.protocol.closed is None]
        return None

    def _take_all(self) -> builtins.list[C]:
        connections = self._retired + ([self._connection] if self._connection is not None else [])
        self._connection, self._retired = None, []
        return connections

    def _seconds(self, timeout: Timeout, default: float | None) -> float | None:
        return default if isinstance(timeout, _Default) else timeout


class Client(ClientBase[Connection]):
    """A som client over one Unix socket connection (reopened when the server closes it).

    Safe to share between threads: calls are multiplexed as streams on the connection. Every call
    takes `timeout` in seconds: the deadline is sent to the server and enforced here as well
    (`SomError` DEADLINE_EXCEEDED). Unary calls default to the client's `timeout` (30 s); the
    streaming calls (`submit_batch`, `upsert_devices`, `watch`) default to none.
    """

    # Lifecycle.

    def close(self) -> None:
        """Closes the connection; calls still open end with CANCELLED."""
        with self._lock:
            connections = self._take_all()
        for connection in connections:
            connection.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def connection(self) -> Connection:
        """The connection new calls go to: a new one once the current one takes no more calls."""
        with self._lock:
            current = self._current()
            if current is None:
                current = self._connection = Connection(self.socket_path, **self._connection_settings())
            return current

    def open_call(self, method: str, *, timeout: Timeout = DEFAULT, metadata: dict[str, str] | None = None) -> Call:
        """Opens a stream for any method (the low-level API the typed methods are built on)."""
        return self.connection().open(method, self._seconds(timeout, None), metadata)

    def _unary(self, spec: _api.Unary[T], timeout: Timeout, metadata: dict[str, str] | None = None) -> T:
        seconds = self._seconds(timeout, self.timeout)
        payload = spec.request.SerializeToString()
        for attempt in (1, 2):
            connection = self.connection()
            reused = connection.used
            call = connection.open(spec.method, seconds, metadata)
            try:
                call.send(payload, end_stream=True)
                response = call.receive()
                if response is None:
                    raise SomError(StatusCode.INTERNAL, "the call ended OK without a response", local=True)
                extra = call.receive()
                if extra is not None:
                    raise SomError(StatusCode.INTERNAL, "a unary call got more than one response", local=True)
                return spec.read(response)
            except SomError as error:
                # A call the server never saw (GOAWAY raced it on a connection we had before) is
                # safe to send again, once, on a new connection.
                if error.retryable and reused and attempt == 1:
                    continue
                raise
            finally:
                call.close()
        raise AssertionError("unreachable")

    # Admin.

    def health(self, *, timeout: Timeout = DEFAULT) -> pb.HealthResponse:
        """The server's status, version, uptime and pid."""
        return self._unary(_api.health(), timeout)

    def stats(self, *, timeout: Timeout = DEFAULT) -> pb.StatsResponse:
        """Orders by status, the event head, store figures."""
        return self._unary(_api.stats(), timeout)

    def echo(self, payload: bytes, *, timeout: Timeout = DEFAULT) -> bytes:
        """The payload back from the server (for liveness checks and tests)."""
        return self._unary(_api.echo(payload), timeout)

    # Orders.

    def submit(self, request: pb.ServiceOrderRequest, *, timeout: Timeout = DEFAULT) -> pb.SubmitOrderResponse:
        """Submits one order; `duplicate` is True when its idempotency key was already known."""
        return self._unary(_api.submit(request), timeout)

    def submit_batch(
        self,
        requests: Iterable[pb.ServiceOrderRequest | bytes],
        chunk_size: int = 1000,
        *,
        timeout: Timeout = DEFAULT,
    ) -> Iterator[pb.SubmitBatchItemResult]:
        """Submits a billing run over one call and yields one result per request, in input order.

        `requests` may be any iterable (a generator over a file of millions): it is read one chunk
        at a time, only as far as the server's credit allows, so memory stays constant. Items may
        be messages or their encoded bytes. Chunks are sent without waiting for answers; results
        arrive as each chunk is durable.
        """
        for chunk in self.submit_batch_chunks(requests, chunk_size, timeout=timeout):
            yield from chunk.items

    def submit_batch_chunks(
        self,
        requests: Iterable[pb.ServiceOrderRequest | bytes],
        chunk_size: int = 1000,
        *,
        timeout: Timeout = DEFAULT,
    ) -> Iterator[pb.SubmitBatchChunkResult]:
        """As `submit_batch`, one result per chunk (with its accepted/duplicate/rejected counts)."""
        upload = _api.ChunkedUpload(requests, chunk_size, pb.SubmitBatchChunkResult)
        return self._upload(_api.SUBMIT_BATCH, upload, timeout)

    def get(self, order_id: str, *, timeout: Timeout = DEFAULT) -> pb.Order:
        """One order by id (NOT_FOUND when unknown)."""
        return self._unary(_api.get(order_id), timeout)

    def list(self, *, timeout: Timeout = DEFAULT, **filters: Unpack[_api.OrderFilters]) -> Iterator[builtins.list[pb.Order]]:
        """Pages of orders matching every filter given (`service_point_id`, `status`,
        `source_system`, `order_type`, `received_from`, `received_to`; `page_size`); each page is
        fetched when reached.

        Enum filters take numbers, full names (``ORDER_STATUS_HELD``) or somctl's short names
        (``held``, ``in-progress``); times take aware datetimes or Timestamps. `timeout` applies
        to each page's call.
        """
        return self._pages(_api.list_orders(filters), timeout)

    def orders(self, *, timeout: Timeout = DEFAULT, **filters: Unpack[_api.OrderFilters]) -> Iterator[pb.Order]:
        """Every order matching the filters of `list`, one by one."""
        for page in self.list(timeout=timeout, **filters):
            yield from page

    def cancel(self, order_id: str, reason: str = "", *, by_source: bool = False, timeout: Timeout = DEFAULT) -> pb.Order:
        """Cancels an order (as an operator, or as its source with `by_source`); returns it."""
        return self._unary(_api.cancel(order_id, reason, by_source), timeout)

    def watch(
        self,
        from_sequence: int = 0,
        *,
        order_id: str | None = None,
        service_point_id: str | None = None,
        source_system: int | str | None = None,
        order_type: int | str | None = None,
        resume: bool = True,
        reconnect_timeout: float = 30.0,
        timeout: Timeout = DEFAULT,
    ) -> Watch:
        """The order events from `from_sequence` (0: from now), then live, as an iterator.

        When the connection is lost or the server goes away, the watch reconnects and resumes
        after the last position the server reported (`head_sequence`): no gap, no repeat. It gives
        up with UNAVAILABLE when no server answers for `reconnect_timeout` seconds (or at once
        with `resume=False`). `timeout` bounds the whole watch. `close()` ends it (CANCEL).
        """
        cursor = _api.WatchCursor(
            from_sequence,
            order_id=order_id,
            service_point_id=service_point_id,
            source_system=source_system,
            order_type=order_type,
        )
        return Watch(self, cursor, resume, reconnect_timeout, self._seconds(timeout, None))

    # Devices.

    def upsert_devices(
        self,
        devices: Iterable[pb.ServicePointDevice | bytes],
        chunk_size: int = 1000,
        *,
        timeout: Timeout = DEFAULT,
    ) -> Iterator[pb.UpsertDeviceResult]:
        """Creates or replaces service point devices; one result per device, in input order."""
        upload = _api.ChunkedUpload(devices, chunk_size, pb.UpsertDevicesChunkResult)
        for chunk in self._upload(_api.DEVICES_UPSERT, upload, timeout):
            yield from chunk.items

    def get_device(self, service_point_id: str, *, timeout: Timeout = DEFAULT) -> pb.ServicePointDevice:
        """The device record of a service point (NOT_FOUND when unknown)."""
        return self._unary(_api.get_device(service_point_id), timeout)

    # Operator controls.

    def holds(
        self, reason: int | str | None = None, *, page_size: int = 0, timeout: Timeout = DEFAULT
    ) -> Iterator[pb.Order]:
        """Orders that are HELD (for one reason, or any), page by page."""
        for page in self._pages(_api.list_holds(reason, page_size), timeout):
            yield from page

    def release(
        self,
        order_id: str = "",
        *,
        reason: int | str | None = None,
        note: str = "",
        timeout: Timeout = DEFAULT,
    ) -> pb.ReleaseHoldResponse:
        """Releases one held order, or every order held for `reason` (e.g. the guardrail)."""
        return self._unary(_api.release(order_id, reason, note), timeout)

    def set_moratorium(
        self,
        region: str,
        starts_at: _dt.datetime | Timestamp,
        ends_at: _dt.datetime | Timestamp,
        *,
        reason: int | str = "moratorium",
        description: str = "",
        moratorium_id: str = "",
        timeout: Timeout = DEFAULT,
    ) -> pb.Moratorium:
        """Sets (or, with an existing `moratorium_id`, replaces) a moratorium on cuts in a region."""
        moratorium = _api.moratorium(region, starts_at, ends_at, reason, description, moratorium_id)
        return self._unary(_api.set_moratorium(moratorium), timeout)

    def clear_moratorium(self, moratorium_id: str, *, timeout: Timeout = DEFAULT) -> None:
        """Removes a moratorium."""
        self._unary(_api.clear_moratorium(moratorium_id), timeout)

    def moratoria(self, *, timeout: Timeout = DEFAULT) -> builtins.list[pb.Moratorium]:
        """Every moratorium the server knows."""
        return self._unary(_api.moratoria(), timeout)

    # Maintenance.

    def backup(self, destination: str, *, timeout: Timeout = DEFAULT) -> pb.BackupResponse:
        """An online, verified copy of the store into a directory on the server's host."""
        return self._unary(_api.backup(destination), timeout)

    def archive(self, older_than_seconds: int, *, timeout: Timeout = DEFAULT) -> pb.ArchiveResponse:
        """Archives finished orders older than the given age now."""
        return self._unary(_api.archive(older_than_seconds), timeout)

    # Shared loops.

    def _pages(self, pages: _api.Pages[T], timeout: Timeout) -> Iterator[builtins.list[T]]:
        while (spec := pages.call()) is not None:
            yield self._unary(spec, timeout)

    def _upload(self, method: str, upload: _api.ChunkedUpload[R], timeout: Timeout) -> Iterator[R]:
        call = self.open_call(method, timeout=timeout)
        try:
            while True:
                while not upload.exhausted and not call.done and call.has_credit():
                    chunk = upload.next_chunk()
                    if chunk is None:
                        call.end_requests()
                    else:
                        call.send(chunk, end_stream=upload.exhausted)
                call.drain()
                while call.messages:
                    yield upload.read(call.take())
                if call.done:
                    if call.error is not None:
                        raise call.error
                    upload.finished()
                    return
                call.pump()
        finally:
            call.close()


class Watch(_api.WatchState, Iterator[pb.OrderEvent]):
    """The iterator `Client.watch` returns. `next_sequence` is where to resume after the events
    returned so far (save it to continue after a restart of your own program); `head_sequence` is
    the last position the server reported; `close()` ends the watch (CANCEL on its stream)."""

    def __init__(self, client: Client, cursor: _api.WatchCursor, resume: bool, reconnect_timeout: float, timeout: float | None):
        super().__init__(cursor, resume, reconnect_timeout, timeout)
        self._client = client
        self._call: Call | None = None

    def __iter__(self) -> Watch:
        return self

    def __next__(self) -> pb.OrderEvent:
        while (event := self._next_buffered()) is None:
            self._receive()
        return event

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True
        if self._call is not None:
            self._call.close()
            self._call = None

    def _receive(self) -> None:
        if self._call is None:
            self._call = self._start()
        try:
            payload = self._call.receive(interrupt_on_goaway=self._resume)
        except SomError as error:
            self._call.close()
            self._call = None
            self._call_failed(error)
            return
        self._received(payload)

    def _start(self) -> Call:
        """Opens the watch at the cursor, retrying while no server answers (when resuming)."""
        self._starting()
        while True:
            try:
                call = self._client.open_call(_api.WATCH, timeout=self._remaining())
                call.send(self._cursor.request(), end_stream=True)
                return call
            except SomError as error:
                time.sleep(self._start_failed(error))

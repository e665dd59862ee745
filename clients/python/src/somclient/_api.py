"""What each call sends and what it returns, without I/O: shared by Client and AsyncClient.

A unary method is described by a `Unary` (path, request, how to read the response); the batch
uploads by `ChunkedUpload` (encodes chunks from any iterable, checks the answers); Watch by
`WatchCursor` (where to resume, from `head_sequence`); the paged lists by `Pages`.
"""

from __future__ import annotations

import datetime as _dt
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypedDict, TypeVar, cast

from google.protobuf.message import DecodeError, Message
from google.protobuf.timestamp_pb2 import Timestamp

from somclient import pb
from somclient.errors import SomError, StatusCode

T = TypeVar("T")
R = TypeVar("R", bound=Message)

HEALTH = "/som.v1.Admin/Health"
STATS = "/som.v1.Admin/Stats"
ECHO = "/som.v1.Admin/Echo"
SUBMIT = "/som.v1.Orders/Submit"
SUBMIT_BATCH = "/som.v1.Orders/SubmitBatch"
GET = "/som.v1.Orders/Get"
LIST = "/som.v1.Orders/List"
CANCEL = "/som.v1.Orders/Cancel"
WATCH = "/som.v1.Orders/Watch"
DEVICES_UPSERT = "/som.v1.Devices/Upsert"
DEVICES_GET = "/som.v1.Devices/Get"
SET_MORATORIUM = "/som.v1.Admin/SetMoratorium"
CLEAR_MORATORIUM = "/som.v1.Admin/ClearMoratorium"
LIST_MORATORIA = "/som.v1.Admin/ListMoratoria"
LIST_HOLDS = "/som.v1.Admin/ListHolds"
RELEASE_HOLD = "/som.v1.Admin/ReleaseHold"
BACKUP = "/som.v1.Admin/Backup"
ARCHIVE = "/som.v1.Admin/Archive"


def decode(message_type: type[R], payload: bytes) -> R:
    try:
        return message_type.FromString(payload)
    except DecodeError as error:
        raise SomError(StatusCode.INTERNAL, f"undecodable {message_type.DESCRIPTOR.name} from the server: {error}", local=True) from None


@dataclass(frozen=True, slots=True)
class Unary(Generic[T]):
    """One request, one response, and the part of the response the caller gets."""

    method: str
    request: Message
    response_type: type[Message]
    result: Callable[[Any], T]

    def read(self, payload: bytes) -> T:
        return self.result(decode(self.response_type, payload))


def _same(response: T) -> T:
    return response


def enum_value(enum_type: Any, value: int | str | None, prefix: str) -> Any:
    """An enum number from a number, a full name (``ORDER_STATUS_HELD``) or a short one (``held``,
    ``in-progress``, as somctl spells them). Typed Any: protoc's stubs type each enum apart."""
    if value is None:
        return 0
    if isinstance(value, int):
        return int(value)
    name = value.strip().upper().replace("-", "_")
    if not name.startswith(prefix):
        name = prefix + name
    try:
        return int(enum_type.Value(name))
    except ValueError:
        raise SomError(StatusCode.INVALID_ARGUMENT, f"unknown {prefix.rstrip('_').lower()} {value!r}", local=True) from None


def timestamp(value: _dt.datetime | Timestamp | None) -> Timestamp | None:
    """A Timestamp from an aware datetime (a naive one is taken as UTC) or a Timestamp."""
    if value is None or isinstance(value, Timestamp):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=_dt.timezone.utc)
    result = Timestamp()
    result.FromDatetime(value.astimezone(_dt.timezone.utc))
    return result


# Unary calls.


def health() -> Unary[pb.HealthResponse]:
    return Unary(HEALTH, pb.HealthRequest(), pb.HealthResponse, _same)


def stats() -> Unary[pb.StatsResponse]:
    return Unary(STATS, pb.StatsRequest(), pb.StatsResponse, _same)


def echo(payload: bytes) -> Unary[bytes]:
    return Unary(ECHO, pb.EchoMessage(payload=payload), pb.EchoMessage, lambda r: r.payload)


def submit(request: pb.ServiceOrderRequest) -> Unary[pb.SubmitOrderResponse]:
    return Unary(SUBMIT, pb.SubmitOrderRequest(request=request), pb.SubmitOrderResponse, _same)


def get(order_id: str) -> Unary[pb.Order]:
    return Unary(GET, pb.GetOrderRequest(order_id=order_id), pb.GetOrderResponse, lambda r: r.order)


def cancel(order_id: str, reason: str, by_source: bool) -> Unary[pb.Order]:
    request = pb.CancelOrderRequest(order_id=order_id, reason=reason, by_source=by_source)
    return Unary(CANCEL, request, pb.CancelOrderResponse, lambda r: r.order)


def get_device(service_point_id: str) -> Unary[pb.ServicePointDevice]:
    request = pb.GetDeviceRequest(service_point_id=service_point_id)
    return Unary(DEVICES_GET, request, pb.GetDeviceResponse, lambda r: r.device)


def set_moratorium(moratorium: pb.Moratorium) -> Unary[pb.Moratorium]:
    request = pb.SetMoratoriumRequest(moratorium=moratorium)
    return Unary(SET_MORATORIUM, request, pb.SetMoratoriumResponse, lambda r: r.moratorium)


def moratorium(
    region: str,
    starts_at: _dt.datetime | Timestamp,
    ends_at: _dt.datetime | Timestamp,
    reason: int | str,
    description: str,
    moratorium_id: str,
) -> pb.Moratorium:
    return pb.Moratorium(
        moratorium_id=moratorium_id,
        region=region,
        reason=enum_value(pb.HoldReason, reason, "HOLD_REASON_"),
        starts_at=timestamp(starts_at),
        ends_at=timestamp(ends_at),
        description=description,
    )


def clear_moratorium(moratorium_id: str) -> Unary[None]:
    request = pb.ClearMoratoriumRequest(moratorium_id=moratorium_id)
    return Unary(CLEAR_MORATORIUM, request, pb.ClearMoratoriumResponse, lambda r: None)


def moratoria() -> Unary[list[pb.Moratorium]]:
    return Unary(LIST_MORATORIA, pb.ListMoratoriaRequest(), pb.ListMoratoriaResponse, lambda r: list(r.moratoria))


def release(order_id: str, reason: int | str | None, note: str) -> Unary[pb.ReleaseHoldResponse]:
    request = pb.ReleaseHoldRequest(
        order_id=order_id, reason=enum_value(pb.HoldReason, reason, "HOLD_REASON_"), operator_note=note
    )
    return Unary(RELEASE_HOLD, request, pb.ReleaseHoldResponse, _same)


def backup(destination: str) -> Unary[pb.BackupResponse]:
    return Unary(BACKUP, pb.BackupRequest(destination=destination), pb.BackupResponse, _same)


def archive(older_than_seconds: int) -> Unary[pb.ArchiveResponse]:
    return Unary(ARCHIVE, pb.ArchiveRequest(older_than_seconds=older_than_seconds), pb.ArchiveResponse, _same)


# Paged lists.


class Pages(Generic[T]):
    """The requests of a paged list: the first, then one per `next_page_token` until it is empty."""

    def __init__(self, method: str, request: Message, response_type: type[Message], items: Callable[[Any], list[T]]):
        self.method = method
        self.request = request
        self.response_type = response_type
        self.items = items
        self.done = False

    def next_request(self) -> Message | None:
        return None if self.done else self.request

    def accept(self, response: Any) -> list[T]:
        """A page's items; moves on to the next page (or ends) by its `next_page_token`."""
        if response.next_page_token:
            self.request.page_token = response.next_page_token  # type: ignore[attr-defined]
        else:
            self.done = True
        return self.items(response)

    def call(self) -> Unary[list[T]] | None:
        """The Unary for the next page, or None after the last."""
        request = self.next_request()
        return None if request is None else Unary(self.method, request, self.response_type, self.accept)


class OrderFilters(TypedDict, total=False):
    """The filters of `Client.list` (AND; unset matches everything) and its page size."""

    service_point_id: str
    status: int | str
    source_system: int | str
    order_type: int | str
    received_from: _dt.datetime | Timestamp
    received_to: _dt.datetime | Timestamp
    page_size: int


def list_orders(filters: OrderFilters) -> Pages[pb.Order]:
    unknown = set(filters) - set(OrderFilters.__annotations__)
    if unknown:
        raise SomError(StatusCode.INVALID_ARGUMENT, f"unknown list filter {', '.join(sorted(unknown))}", local=True)
    request = pb.ListOrdersRequest(
        service_point_id=filters.get("service_point_id") or "",
        status=enum_value(pb.OrderStatus, filters.get("status"), "ORDER_STATUS_"),
        source_system=enum_value(pb.SourceSystem, filters.get("source_system"), "SOURCE_SYSTEM_"),
        order_type=enum_value(pb.OrderType, filters.get("order_type"), "ORDER_TYPE_"),
        received_from=timestamp(filters.get("received_from")),
        received_to=timestamp(filters.get("received_to")),
        page_size=filters.get("page_size", 0),
    )
    return Pages(LIST, request, pb.ListOrdersResponse, lambda r: list(r.orders))


def list_holds(reason: int | str | None, page_size: int) -> Pages[pb.Order]:
    request = pb.ListHoldsRequest(reason=enum_value(pb.HoldReason, reason, "HOLD_REASON_"), page_size=page_size)
    return Pages(LIST_HOLDS, request, pb.ListHoldsResponse, lambda r: list(r.orders))


# Batch uploads (SubmitBatch, Devices/Upsert): chunk {1: chunk_id, 2: repeated item}.


def _varint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


# Field 2 tag plus the length prefix, for every length up to 16 KiB; longer items compute theirs.
_ITEM_PREFIX = [b"\x12" + _varint(n) for n in range(16384)]


class ChunkedUpload(Generic[R]):
    """Cuts an iterable of items (messages, or their encoded bytes) into encoded chunks, lazily, and
    checks the answers: one per chunk, in order, with one item result per item."""

    def __init__(self, items: Iterable[Message | bytes], chunk_size: int, result_type: type[R]) -> None:
        if not 1 <= chunk_size <= 10_000:
            raise SomError(StatusCode.INVALID_ARGUMENT, "chunk_size must be between 1 and 10000", local=True)
        self._items: Iterator[Message | bytes] = iter(items)
        self._chunk_size = chunk_size
        self._result_type = result_type
        self._next_chunk_id = 0
        self._sizes: deque[int] = deque()
        self.exhausted = False

    def next_chunk(self) -> bytes | None:
        """The next encoded chunk, or None (and `exhausted`) at the end of the input."""
        if self.exhausted:
            return None
        prefix = _ITEM_PREFIX
        parts: list[bytes] = []
        count = 0
        for item in self._items:
            data = item if isinstance(item, bytes) else item.SerializeToString()
            size = len(data)
            parts.append(prefix[size] if size < 16384 else b"\x12" + _varint(size))
            parts.append(data)
            count += 1
            if count == self._chunk_size:
                break
        if count < self._chunk_size:
            self.exhausted = True
        if count == 0:
            return None
        chunk_id = self._next_chunk_id
        self._next_chunk_id += 1
        self._sizes.append(count)
        head = b"\x08" + _varint(chunk_id) if chunk_id else b""
        return head + b"".join(parts)

    @property
    def outstanding(self) -> int:
        """Chunks sent and not yet answered."""
        return len(self._sizes)

    def read(self, payload: bytes) -> R:
        result: Any = decode(self._result_type, payload)
        if not self._sizes:
            raise SomError(StatusCode.INTERNAL, f"answer for chunk {result.chunk_id}, which was not sent", local=True)
        expected_id = self._next_chunk_id - len(self._sizes)
        size = self._sizes.popleft()
        if result.chunk_id != expected_id or len(result.items) != size:
            raise SomError(
                StatusCode.INTERNAL,
                f"answer for chunk {result.chunk_id} with {len(result.items)} items; expected chunk {expected_id} with {size}",
                local=True,
            )
        return cast(R, result)

    def finished(self) -> None:
        """The call ended OK: every chunk must have been answered."""
        if self._sizes:
            raise SomError(StatusCode.INTERNAL, f"the call ended with {len(self._sizes)} chunks unanswered", local=True)


# Watch.


class WatchCursor:
    """Where a watch stands: the next sequence wanted. Each response moves it past `head_sequence`
    (the last event the server examined, matching the filters or not), so a watch resumed from
    `next_sequence` misses nothing and repeats nothing."""

    def __init__(
        self,
        from_sequence: int,
        *,
        order_id: str | None = None,
        service_point_id: str | None = None,
        source_system: int | str | None = None,
        order_type: int | str | None = None,
    ) -> None:
        self.next_sequence = from_sequence
        self.head_sequence = 0
        self._filters = pb.WatchOrdersRequest(
            order_id=order_id or "",
            service_point_id=service_point_id or "",
            source_system=enum_value(pb.SourceSystem, source_system, "SOURCE_SYSTEM_"),
            order_type=enum_value(pb.OrderType, order_type, "ORDER_TYPE_"),
        )

    def request(self) -> bytes:
        request = pb.WatchOrdersRequest()
        request.CopyFrom(self._filters)
        request.from_sequence = self.next_sequence
        return request.SerializeToString()

    def read(self, payload: bytes) -> list[pb.OrderEvent]:
        response = decode(pb.WatchOrdersResponse, payload)
        floor = self.next_sequence
        events = [event for event in response.events if event.sequence >= floor] if floor else list(response.events)
        if events:
            self.next_sequence = events[-1].sequence + 1
        self.head_sequence = max(self.head_sequence, response.head_sequence)
        self.next_sequence = max(self.next_sequence, response.head_sequence + 1)
        return events


class WatchState:
    """A watch's state apart from its I/O, shared by `Watch` and `AsyncWatch`: the cursor, the
    events received but not yet returned, the deadline, and the reconnect policy."""

    def __init__(self, cursor: WatchCursor, resume: bool, reconnect_timeout: float, timeout: float | None) -> None:
        self._cursor = cursor
        self._resume = resume
        self._reconnect_timeout = reconnect_timeout
        self._deadline = None if timeout is None else time.monotonic() + timeout
        self._events: deque[pb.OrderEvent] = deque()
        self._closed = False
        self._give_up = 0.0
        self._pause = 0.0
        self.reconnects = 0

    @property
    def next_sequence(self) -> int:
        """The sequence to resume from so that nothing this iterator has not yet returned is lost."""
        return self._events[0].sequence if self._events else self._cursor.next_sequence

    @property
    def head_sequence(self) -> int:
        """The last position the server reported."""
        return self._cursor.head_sequence

    def _next_buffered(self) -> pb.OrderEvent | None:
        """The next event to return, None when one must be received; StopIteration once closed."""
        if self._closed:
            raise StopIteration
        return self._events.popleft() if self._events else None

    def _remaining(self) -> float | None:
        if self._deadline is None:
            return None
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            self._closed = True
            raise SomError(StatusCode.DEADLINE_EXCEEDED, "the watch's deadline passed", local=True)
        return remaining

    def _received(self, payload: bytes | None) -> None:
        if payload is None:  # the server ended the watch OK
            self._closed = True
        else:
            self._events.extend(self._cursor.read(payload))

    def _call_failed(self, error: SomError) -> None:
        """A watch call failed: resumable (UNAVAILABLE) when resuming, else raised."""
        if self._resume and error.code == StatusCode.UNAVAILABLE:
            self.reconnects += 1
            return
        self._closed = True
        raise error

    def _starting(self) -> None:
        self._give_up = time.monotonic() + self._reconnect_timeout
        self._pause = 0.02

    def _start_failed(self, error: SomError) -> float:
        """A (re)start failed: the pause before the next try, or raises when it is time to give up."""
        if not (self._resume and error.code == StatusCode.UNAVAILABLE) or time.monotonic() >= self._give_up:
            self._closed = True
            raise error
        pause = self._pause
        self._pause = min(pause * 2, 0.5)
        return pause

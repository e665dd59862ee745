"""The som wire protocol as a state machine without I/O (docs/protocol.md).

`ClientProtocol` is fed the bytes read from the socket (`receive_data`) and returns events; every
action (open a stream, send a message, grant credit, answer a PING) appends bytes to an outgoing
buffer that the caller writes to the socket (`data_to_send`). The blocking client and the asyncio
client both drive this one class, so framing, credit, PING, GOAWAY and STATUS handling exist once.
"""

from __future__ import annotations

import struct
from collections import deque
from dataclasses import dataclass, field
from typing import Protocol

from google.protobuf.message import DecodeError

from somclient._pb import rpc_pb2
from somclient.errors import SomError, StatusCode

PREFACE = b"SOMRPC\x01\x00"
DEFAULT_MAX_FRAME = 4 * 1024 * 1024
DEFAULT_CREDIT = 64
MAX_INITIAL_CREDIT = 1024
MIN_FRAME = 16
MAX_STREAM_ID = 0x7FFFFFFF

HEADERS, MESSAGE, END, STATUS, CANCEL, CREDIT, PING, GOAWAY, SETTINGS = range(1, 10)
END_STREAM = 0x01
ACK = 0x01

_HEADER = struct.Struct(">IBBI")
_U32 = struct.Struct(">I")


def frame(kind: int, flags: int, stream_id: int, payload: bytes = b"") -> bytes:
    """One frame: the 10-byte header (length, type, flags, stream id; big-endian) and the payload."""
    return _HEADER.pack(len(payload), kind, flags, stream_id) + payload


# Events returned by ClientProtocol.receive_data.


@dataclass(slots=True)
class MessageReceived:
    stream_id: int
    payload: bytes


@dataclass(slots=True)
class CreditReceived:
    stream_id: int
    count: int


@dataclass(slots=True)
class StreamEnded:
    """The stream is over: an OK STATUS (`error` None) or a failure (STATUS, GOAWAY, lost connection)."""

    stream_id: int
    error: SomError | None


@dataclass(slots=True)
class GoAwayReceived:
    last_stream_id: int
    code: StatusCode
    reason: str


@dataclass(slots=True)
class ConnectionClosed:
    """The connection is unusable (protocol error or end of input); every open stream has ended."""

    error: SomError


Event = MessageReceived | CreditReceived | StreamEnded | GoAwayReceived | ConnectionClosed


@dataclass(slots=True)
class _Stream:
    send_credit: int
    unacknowledged: int = 0
    half_closed: bool = False


@dataclass(slots=True)
class PeerSettings:
    max_frame_size: int = DEFAULT_MAX_FRAME
    initial_stream_credit: int = DEFAULT_CREDIT
    max_concurrent_streams: int = 0
    idle_timeout_ms: int = 0
    agent: str = ""
    received: bool = False


@dataclass(slots=True)
class _Local:
    max_frame_size: int
    initial_stream_credit: int
    max_concurrent_streams: int
    agent: str


@dataclass
class ClientProtocol:
    """Client side of one connection."""

    agent: str = "somclient-python"
    initial_stream_credit: int = 256
    max_frame_size: int = DEFAULT_MAX_FRAME
    max_concurrent_streams: int = 1024
    peer: PeerSettings = field(default_factory=PeerSettings)
    goaway: GoAwayReceived | None = None
    closed: SomError | None = None

    def __post_init__(self) -> None:
        self._inbound = bytearray()
        self._outbound = bytearray()
        self._preface_seen = False
        self._streams: dict[int, _Stream] = {}
        self._next_id = 1
        self._grant = max(1, min(self.initial_stream_credit, MAX_INITIAL_CREDIT) // 2)

    # Outgoing side.

    def initiate(self) -> None:
        """Queues the preface and our SETTINGS; call once, first."""
        settings = rpc_pb2.ConnectionSettings(
            max_frame_size=self.max_frame_size,
            max_concurrent_streams=self.max_concurrent_streams,
            initial_stream_credit=self.initial_stream_credit,
            idle_timeout_ms=0,
            agent=self.agent,
        )
        self._outbound += PREFACE
        self._outbound += frame(SETTINGS, 0, 0, settings.SerializeToString())

    def data_to_send(self) -> bytes:
        """Takes everything queued for the socket."""
        if not self._outbound:
            return b""
        data = bytes(self._outbound)
        self._outbound.clear()
        return data

    @property
    def has_data_to_send(self) -> bool:
        return bool(self._outbound)

    @property
    def accepts_new_streams(self) -> bool:
        return self.closed is None and self.goaway is None and self._next_id <= MAX_STREAM_ID

    @property
    def open_streams(self) -> int:
        return len(self._streams)

    def open_stream(self, method: str, timeout: float | None, metadata: dict[str, str] | None = None) -> int:
        """Queues HEADERS for a new call; returns its stream id."""
        if self.closed is not None:
            raise SomError(StatusCode.UNAVAILABLE, "connection closed", local=True, retryable=True)
        if not self.accepts_new_streams:
            raise SomError(StatusCode.UNAVAILABLE, "connection takes no new calls", local=True, retryable=True)
        header = rpc_pb2.CallHeader(method=method)
        if timeout is not None:
            header.timeout_us = max(1, int(timeout * 1_000_000))
        for key in sorted(metadata or {}):
            header.metadata.add(key=key, value=(metadata or {})[key])
        stream_id = self._next_id
        self._next_id += 2
        self._streams[stream_id] = _Stream(send_credit=self.peer.initial_stream_credit)
        self._outbound += frame(HEADERS, 0, stream_id, header.SerializeToString())
        return stream_id

    def is_open(self, stream_id: int) -> bool:
        return stream_id in self._streams

    def send_credit(self, stream_id: int) -> int:
        stream = self._streams.get(stream_id)
        return stream.send_credit if stream is not None else 0

    def send_message(self, stream_id: int, payload: bytes, end_stream: bool = False) -> None:
        """Queues one MESSAGE; the caller checks `send_credit` first (a send without credit raises)."""
        stream = self._open(stream_id)
        if stream.half_closed:
            raise SomError(StatusCode.INTERNAL, "message after the end of the requests", local=True)
        if len(payload) > self.peer.max_frame_size:
            raise SomError(
                StatusCode.RESOURCE_EXHAUSTED,
                f"message of {len(payload)} bytes exceeds the server's max_frame_size {self.peer.max_frame_size}",
                local=True,
            )
        if stream.send_credit <= 0:
            raise SomError(StatusCode.INTERNAL, "send without credit", local=True)
        stream.send_credit -= 1
        stream.half_closed = end_stream
        self._outbound += _HEADER.pack(len(payload), MESSAGE, END_STREAM if end_stream else 0, stream_id)
        self._outbound += payload

    def end_requests(self, stream_id: int) -> None:
        """Queues END (half-close without a message)."""
        stream = self._open(stream_id)
        if not stream.half_closed:
            stream.half_closed = True
            self._outbound += frame(END, 0, stream_id)

    def cancel(self, stream_id: int) -> None:
        """Queues CANCEL and forgets the stream; later frames for it are ignored."""
        if self._streams.pop(stream_id, None) is not None and self.closed is None:
            self._outbound += frame(CANCEL, 0, stream_id)

    def message_consumed(self, stream_id: int) -> None:
        """The application took one message: grants credit in batches of half the window."""
        stream = self._streams.get(stream_id)
        if stream is None:
            return
        stream.unacknowledged += 1
        if stream.unacknowledged >= self._grant:
            stream.unacknowledged -= self._grant
            self._outbound += frame(CREDIT, 0, stream_id, _U32.pack(self._grant))

    def send_goaway(self) -> None:
        """Queues GOAWAY (we open nothing more); the server drains and closes."""
        if self.closed is None:
            payload = rpc_pb2.GoAway(last_stream_id=0, code=0, reason="client closing").SerializeToString()
            self._outbound += frame(GOAWAY, 0, 0, payload)

    def _open(self, stream_id: int) -> _Stream:
        stream = self._streams.get(stream_id)
        if stream is None:
            raise SomError(StatusCode.INTERNAL, f"stream {stream_id} is not open", local=True)
        return stream

    # Incoming side.

    def connection_lost(self, reason: str = "connection closed by the server") -> list[Event]:
        """The socket reached end of input or failed: every open stream ends with UNAVAILABLE."""
        return self.abort(SomError(StatusCode.UNAVAILABLE, reason, local=True))

    def receive_data(self, data: bytes) -> list[Event]:
        """Parses what the server sent; returns what happened, in order."""
        if self.closed is not None:
            return []
        buffer = self._inbound
        buffer += data
        events: list[Event] = []
        offset = 0
        if not self._preface_seen:
            if len(buffer) < len(PREFACE):
                seen = min(len(buffer), 6)
                if buffer[:seen] != PREFACE[:seen]:
                    return self._protocol_error("the server did not send the som preface")
                return events
            if buffer[:6] != PREFACE[:6]:
                return self._protocol_error("the server did not send the som preface")
            if buffer[6] != 1:
                return self._protocol_error(f"the server speaks protocol version {buffer[6]}.{buffer[7]}, not 1.x")
            self._preface_seen = True
            offset = len(PREFACE)
        size = len(buffer)
        limit = self.max_frame_size
        while size - offset >= 10:
            length, kind, flags, stream_id = _HEADER.unpack_from(buffer, offset)
            if length > limit:
                return events + self._protocol_error(f"frame of {length} bytes exceeds our max_frame_size {limit}")
            end = offset + 10 + length
            if end > size:
                break
            payload = bytes(buffer[offset + 10 : end])
            offset = end
            if kind == MESSAGE:
                if stream_id in self._streams:
                    events.append(MessageReceived(stream_id, payload))
                elif stream_id == 0:
                    return events + self._protocol_error("MESSAGE on stream 0")
            elif kind == STATUS:
                if stream_id == 0:
                    return events + self._protocol_error("STATUS on stream 0")
                if self._streams.pop(stream_id, None) is not None:
                    events.append(StreamEnded(stream_id, _status_error(payload)))
            elif kind == CREDIT:
                if len(payload) != 4 or stream_id == 0:
                    return events + self._protocol_error("bad CREDIT frame")
                (count,) = _U32.unpack(payload)
                if count == 0:
                    return events + self._protocol_error("CREDIT of 0")
                stream = self._streams.get(stream_id)
                if stream is not None:
                    stream.send_credit += count
                    events.append(CreditReceived(stream_id, count))
            elif kind == PING:
                if len(payload) != 8 or stream_id != 0:
                    return events + self._protocol_error("bad PING frame")
                if not flags & ACK:
                    self._outbound += frame(PING, ACK, 0, payload)
            elif kind == SETTINGS:
                if stream_id != 0:
                    return events + self._protocol_error("SETTINGS on a stream")
                try:
                    settings = rpc_pb2.ConnectionSettings.FromString(payload)
                except DecodeError:
                    return events + self._protocol_error("undecodable SETTINGS")
                if settings.max_frame_size and settings.max_frame_size < MIN_FRAME:
                    return events + self._protocol_error("server max_frame_size below 16")
                self.peer = PeerSettings(
                    max_frame_size=settings.max_frame_size or DEFAULT_MAX_FRAME,
                    initial_stream_credit=min(settings.initial_stream_credit or DEFAULT_CREDIT, MAX_INITIAL_CREDIT),
                    max_concurrent_streams=settings.max_concurrent_streams,
                    idle_timeout_ms=settings.idle_timeout_ms,
                    agent=settings.agent,
                    received=True,
                )
            elif kind == GOAWAY:
                if stream_id != 0:
                    return events + self._protocol_error("GOAWAY on a stream")
                try:
                    goaway = rpc_pb2.GoAway.FromString(payload)
                except DecodeError:
                    return events + self._protocol_error("undecodable GOAWAY")
                events.extend(self._goaway(goaway))
            else:
                # HEADERS, END and CANCEL are the client's; anything else is unknown.
                return events + self._protocol_error(f"the server sent frame type {kind}")
        if offset:
            del buffer[:offset]
        return events

    def _goaway(self, goaway: rpc_pb2.GoAway) -> list[Event]:
        code = StatusCode.from_wire(goaway.code)
        info = GoAwayReceived(goaway.last_stream_id, code, goaway.reason)
        self.goaway = info
        events: list[Event] = [info]
        unseen = sorted(sid for sid in self._streams if sid > goaway.last_stream_id)
        failure = StatusCode.UNAVAILABLE if code == StatusCode.OK else code
        for sid in unseen:
            del self._streams[sid]
            message = f"the server is going away ({goaway.reason or code.name}) and did not take this call"
            events.append(StreamEnded(sid, SomError(failure, message, local=True, retryable=True)))
        return events

    def _protocol_error(self, reason: str) -> list[Event]:
        return self.abort(SomError(StatusCode.UNAVAILABLE, f"protocol error: {reason}", local=True))

    def abort(self, error: SomError) -> list[Event]:
        """Ends the connection (and every open stream) with `error`; nothing more is sent or read."""
        if self.closed is not None:
            return []
        self.closed = error
        self._outbound.clear()
        events: list[Event] = [StreamEnded(sid, error) for sid in sorted(self._streams)]
        self._streams.clear()
        events.append(ConnectionClosed(error))
        return events


def _status_error(payload: bytes) -> SomError | None:
    try:
        status = rpc_pb2.CallStatus.FromString(payload)
    except DecodeError:
        return SomError(StatusCode.INTERNAL, "undecodable STATUS from the server", local=True)
    if status.code == 0:
        return None
    details: dict[str, str] = {}
    for entry in status.details:
        details[entry.key] = entry.value  # a repeated key: the last wins
    return SomError(status.code, status.message, details)


class CallState:
    """What one call has received so far; both clients' call objects keep theirs in one of these."""

    def __init__(self) -> None:
        self.messages: deque[bytes] = deque()
        self.done = False
        self.error: SomError | None = None
        self.goaway: GoAwayReceived | None = None

    def apply(self, event: Event) -> None:
        if isinstance(event, MessageReceived):
            self.messages.append(event.payload)
        elif isinstance(event, StreamEnded):
            self.done = True
            self.error = event.error
        elif isinstance(event, GoAwayReceived):
            self.goaway = event

    def ended(self, interrupt_on_goaway: bool = False) -> bool:
        """With no message waiting: True once the call ended OK, False while it is open; raises the
        call's error, or (with `interrupt_on_goaway`) UNAVAILABLE once the server said GOAWAY."""
        if self.done:
            if self.error is not None:
                raise self.error
            return True
        if interrupt_on_goaway and self.goaway is not None:
            raise SomError(StatusCode.UNAVAILABLE, f"the server is going away ({self.goaway.reason})", local=True, retryable=True)
        return False

    def ended_early(self) -> SomError:
        """The error for a send on a call the server already ended."""
        return self.error or SomError(StatusCode.INTERNAL, "the server ended the call before it had all the requests", local=True)

    def end_locally(self, error: SomError | None) -> bool:
        """Ends the call on our side (cancel, deadline); False when it had already ended."""
        if self.done:
            return False
        self.done = True
        self.error = error or SomError(StatusCode.CANCELLED, "call cancelled by the client", local=True)
        return True


def deadline_error(timeout: float | None) -> SomError:
    return SomError(StatusCode.DEADLINE_EXCEEDED, f"deadline of {timeout:g} s exceeded", local=True)


class Inbox(Protocol):
    def put_nowait(self, item: Event) -> None: ...


def route(events: list[Event], inboxes: dict[int, Inbox]) -> None:
    """Hands events to the inboxes of their calls (a queue per open stream): messages and credit
    to their stream, a STATUS or failure to its stream (which then leaves), GOAWAY to every call."""
    for event in events:
        if isinstance(event, (MessageReceived, CreditReceived)):
            inbox = inboxes.get(event.stream_id)
            if inbox is not None:
                inbox.put_nowait(event)
        elif isinstance(event, StreamEnded):
            inbox = inboxes.pop(event.stream_id, None)
            if inbox is not None:
                inbox.put_nowait(event)
        elif isinstance(event, GoAwayReceived):
            for inbox in inboxes.values():
                inbox.put_nowait(event)
        elif isinstance(event, ConnectionClosed):
            inboxes.clear()

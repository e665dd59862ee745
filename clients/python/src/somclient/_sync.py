"""Blocking I/O for ClientProtocol: one socket, one reader thread, any number of calls at once."""

from __future__ import annotations

import queue
import socket
import threading
import time

from somclient._protocol import (
    CallState,
    ClientProtocol,
    Event,
    deadline_error,
    route,
)
from somclient.errors import SomError, StatusCode

_READ_SIZE = 256 * 1024


def connect_error(path: str, error: OSError) -> SomError:
    reason = error.strerror or str(error)
    return SomError(
        StatusCode.UNAVAILABLE, f"cannot connect to {path}: {reason}; is somd running?", local=True, retryable=True
    )


class Connection:
    """A connection and its reader thread. The thread feeds everything the server sends into the
    protocol and hands each call's events to that call's queue; it answers PINGs on its own, so a
    call that waits, or none at all, never stalls the connection."""

    def __init__(self, path: str, *, connect_timeout: float, agent: str, initial_stream_credit: int) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(connect_timeout)
            sock.connect(path)
            sock.settimeout(None)
        except OSError as error:
            sock.close()
            raise connect_error(path, error) from None
        self.path = path
        self._sock = sock
        self._state = threading.Lock()  # guards the protocol and the inboxes
        self._writing = threading.Lock()  # held by whoever writes to the socket
        self._inboxes: dict[int, queue.SimpleQueue[Event]] = {}
        self.protocol = ClientProtocol(agent=agent, initial_stream_credit=initial_stream_credit)
        self.used = False
        self.protocol.initiate()
        self.flush()
        self._reader = threading.Thread(target=self._read_loop, name=f"somclient-reader {path}", daemon=True)
        self._reader.start()

    def open(self, method: str, timeout: float | None, metadata: dict[str, str] | None = None) -> Call:
        deadline = None if timeout is None else time.monotonic() + timeout
        inbox: queue.SimpleQueue[Event] = queue.SimpleQueue()
        with self._state:
            stream_id = self.protocol.open_stream(method, timeout, metadata)
            self._inboxes[stream_id] = inbox
            self.used = True
        self.flush()
        return Call(self, stream_id, inbox, deadline, timeout)

    def flush(self, blocking: bool = True) -> None:
        """Writes what the protocol queued. A non-blocking flush (the reader thread's) leaves the
        bytes to whoever is writing: that writer looks again after it releases the lock."""
        while True:
            if not self._writing.acquire(blocking):
                return
            try:
                while True:
                    with self._state:
                        data = self.protocol.data_to_send()
                    if not data:
                        break
                    try:
                        self._sock.sendall(data)
                    except OSError as error:
                        self._lost(f"connection lost while sending: {error.strerror or error}")
                        return
            finally:
                self._writing.release()
            with self._state:
                if not self.protocol.has_data_to_send:
                    return

    def close(self) -> None:
        """Says GOAWAY, ends every open call with CANCELLED locally, and closes the socket."""
        with self._state:
            self.protocol.send_goaway()
        self.flush()
        self._lost("the client closed the connection", StatusCode.CANCELLED)
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()

    def _read_loop(self) -> None:
        sock = self._sock
        while True:
            try:
                data = sock.recv(_READ_SIZE)
            except OSError as error:
                self._lost(f"connection lost: {error.strerror or error}")
                return
            if not data:
                self._lost("connection closed by the server")
                return
            with self._state:
                events = self.protocol.receive_data(data)
                self._dispatch(events)
                pending = self.protocol.has_data_to_send
            if pending:
                self.flush(blocking=False)
            if self.protocol.closed is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return

    def _lost(self, reason: str, code: StatusCode = StatusCode.UNAVAILABLE) -> None:
        with self._state:
            self._dispatch(self.protocol.abort(SomError(code, reason, local=True)))

    def _dispatch(self, events: list[Event]) -> None:
        """Hands events to their calls; called with the state lock held."""
        route(events, self._inboxes)  # type: ignore[arg-type]

    def _forget(self, stream_id: int, cancel: bool) -> None:
        with self._state:
            self._inboxes.pop(stream_id, None)
            if cancel:
                self.protocol.cancel(stream_id)
        if cancel:
            self.flush()


class Call(CallState):
    """One stream as the calling thread sees it: sends that wait for credit, receives that grant it,
    and the deadline on both."""

    def __init__(
        self, connection: Connection, stream_id: int, inbox: queue.SimpleQueue[Event], deadline: float | None, timeout: float | None
    ) -> None:
        super().__init__()
        self.connection = connection
        self.stream_id = stream_id
        self._inbox = inbox
        self._deadline = deadline
        self._timeout = timeout

    def pump(self) -> None:
        """Waits for the next event of this call (until the deadline) and applies it."""
        if self._deadline is None:
            event = self._inbox.get()
        else:
            remaining = self._deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise queue.Empty
                event = self._inbox.get(timeout=remaining)
            except queue.Empty:
                error = deadline_error(self._timeout)
                self.cancel(error)
                raise error from None
        self.apply(event)

    def drain(self) -> None:
        """Applies every event already received, without waiting."""
        inbox = self._inbox
        while True:
            try:
                event = inbox.get_nowait()
            except queue.Empty:
                return
            self.apply(event)

    def has_credit(self) -> bool:
        connection = self.connection
        with connection._state:
            return connection.protocol.send_credit(self.stream_id) > 0

    def send(self, payload: bytes, end_stream: bool = False) -> None:
        """Sends one message, waiting for credit first."""
        connection = self.connection
        while True:
            if self.done:
                raise self.ended_early()
            with connection._state:
                protocol = connection.protocol
                if protocol.is_open(self.stream_id) and protocol.send_credit(self.stream_id) > 0:
                    protocol.send_message(self.stream_id, payload, end_stream)
                    break
            self.pump()
        connection.flush()

    def end_requests(self) -> None:
        connection = self.connection
        with connection._state:
            if connection.protocol.is_open(self.stream_id):
                connection.protocol.end_requests(self.stream_id)
        connection.flush()

    def take(self) -> bytes:
        """The oldest received message; returns its credit to the server."""
        payload = self.messages.popleft()
        connection = self.connection
        with connection._state:
            connection.protocol.message_consumed(self.stream_id)
            pending = connection.protocol.has_data_to_send
        if pending:
            connection.flush()
        return payload

    def receive(self, interrupt_on_goaway: bool = False) -> bytes | None:
        """The next message; None once the call ended OK; raises SomError when it failed."""
        while not self.messages:
            try:
                if self.ended(interrupt_on_goaway):
                    return None
            except SomError as error:
                self.cancel(error)
                raise
            self.pump()
        return self.take()

    def cancel(self, error: SomError | None = None) -> None:
        """Sends CANCEL (once) and ends the call locally with `error` (CANCELLED by default)."""
        if self.end_locally(error):
            self.connection._forget(self.stream_id, cancel=True)

    def close(self) -> None:
        """Cancels the call if it is still open; for `finally`."""
        self.cancel()

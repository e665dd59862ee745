"""asyncio I/O for ClientProtocol: one socket, one reader task, any number of calls at once."""

from __future__ import annotations

import asyncio

from somclient._protocol import (
    CallState,
    ClientProtocol,
    Event,
    deadline_error,
    route,
)
from somclient._sync import connect_error
from somclient.errors import SomError, StatusCode

_READ_SIZE = 256 * 1024


class AsyncConnection:
    """A connection and its reader task; the task answers PINGs and routes each call's events."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, agent: str, initial_stream_credit: int):
        self._reader = reader
        self._writer = writer
        self._inboxes: dict[int, asyncio.Queue[Event]] = {}
        self.protocol = ClientProtocol(agent=agent, initial_stream_credit=initial_stream_credit)
        self.used = False
        self.protocol.initiate()
        self.write()
        self._task = asyncio.get_running_loop().create_task(self._read_loop())

    @classmethod
    async def connect(cls, path: str, *, connect_timeout: float, agent: str, initial_stream_credit: int) -> AsyncConnection:
        try:
            async with asyncio.timeout(connect_timeout):
                reader, writer = await asyncio.open_unix_connection(path, limit=_READ_SIZE)
        except OSError as error:
            raise connect_error(path, error) from None
        except TimeoutError:
            raise SomError(StatusCode.UNAVAILABLE, f"cannot connect to {path}: timed out", local=True, retryable=True) from None
        return cls(reader, writer, agent, initial_stream_credit)

    def open(self, method: str, timeout: float | None, metadata: dict[str, str] | None = None) -> AsyncCall:
        stream_id = self.protocol.open_stream(method, timeout, metadata)
        inbox: asyncio.Queue[Event] = asyncio.Queue()
        self._inboxes[stream_id] = inbox
        self.used = True
        self.write()
        deadline = None if timeout is None else asyncio.get_running_loop().time() + timeout
        return AsyncCall(self, stream_id, inbox, deadline, timeout)

    def write(self) -> None:
        data = self.protocol.data_to_send()
        if data and not self._writer.is_closing():
            self._writer.write(data)

    async def drain(self) -> None:
        try:
            await self._writer.drain()
        except (OSError, RuntimeError) as error:
            self._lost(f"connection lost while sending: {error}")

    async def close(self) -> None:
        """Says GOAWAY, ends every open call with CANCELLED locally, and closes the socket."""
        self.protocol.send_goaway()
        self.write()
        self._dispatch(self.protocol.abort(SomError(StatusCode.CANCELLED, "the client closed the connection", local=True)))
        self._task.cancel()
        self._writer.close()
        try:
            await self._writer.wait_closed()
        except OSError:
            pass

    async def _read_loop(self) -> None:
        while True:
            try:
                data = await self._reader.read(_READ_SIZE)
            except OSError as error:
                self._lost(f"connection lost: {error.strerror or error}")
                return
            if not data:
                self._lost("connection closed by the server")
                return
            self._dispatch(self.protocol.receive_data(data))
            self.write()
            if self.protocol.closed is not None:
                self._writer.close()
                return

    def _lost(self, reason: str) -> None:
        self._dispatch(self.protocol.connection_lost(reason))

    def _dispatch(self, events: list[Event]) -> None:
        route(events, self._inboxes)  # type: ignore[arg-type]

    def _forget(self, stream_id: int) -> None:
        self._inboxes.pop(stream_id, None)
        self.protocol.cancel(stream_id)
        self.write()


class AsyncCall(CallState):
    """One stream as a coroutine sees it (the asyncio twin of `_sync.Call`)."""

    def __init__(self, connection: AsyncConnection, stream_id: int, inbox: asyncio.Queue[Event], deadline: float | None, timeout: float | None):
        super().__init__()
        self.connection = connection
        self.stream_id = stream_id
        self._inbox = inbox
        self._deadline = deadline
        self._timeout = timeout

    async def pump(self) -> None:
        if self._deadline is None:
            event = await self._inbox.get()
        else:
            try:
                async with asyncio.timeout_at(self._deadline):
                    event = await self._inbox.get()
            except TimeoutError:
                error = deadline_error(self._timeout)
                self.cancel(error)
                raise error from None
        self.apply(event)

    def drain(self) -> None:
        inbox = self._inbox
        while not inbox.empty():
            self.apply(inbox.get_nowait())

    def has_credit(self) -> bool:
        return self.connection.protocol.send_credit(self.stream_id) > 0

    async def send(self, payload: bytes, end_stream: bool = False) -> None:
        protocol = self.connection.protocol
        while True:
            if self.done:
                raise self.ended_early()
            if protocol.is_open(self.stream_id) and protocol.send_credit(self.stream_id) > 0:
                protocol.send_message(self.stream_id, payload, end_stream)
                break
            await self.pump()
        self.connection.write()
        await self.connection.drain()

    def end_requests(self) -> None:
        if self.connection.protocol.is_open(self.stream_id):
            self.connection.protocol.end_requests(self.stream_id)
            self.connection.write()

    def take(self) -> bytes:
        payload = self.messages.popleft()
        self.connection.protocol.message_consumed(self.stream_id)
        self.connection.write()
        return payload

    async def receive(self, interrupt_on_goaway: bool = False) -> bytes | None:
        while not self.messages:
            try:
                if self.ended(interrupt_on_goaway):
                    return None
            except SomError as error:
                self.cancel(error)
                raise
            await self.pump()
        return self.take()

    def cancel(self, error: SomError | None = None) -> None:
        if self.end_locally(error):
            self.connection._forget(self.stream_id)

    def close(self) -> None:
        self.cancel()

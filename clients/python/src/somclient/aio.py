"""The asyncio client: the same calls as `Client`, as coroutines and async iterators.

Requests, answers, chunking, paging and watch positions come from the same code as the blocking
client (`somclient._api`, `somclient._protocol`); only the waiting differs.
"""

from __future__ import annotations

import asyncio
import builtins
import datetime as _dt
from collections.abc import AsyncIterator, Iterable
from typing import TypeVar, Unpack

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from somclient import _api, pb
from somclient._aio import AsyncCall, AsyncConnection
from somclient.client import DEFAULT, ClientBase, Timeout
from somclient.errors import SomError, StatusCode

T = TypeVar("T")
R = TypeVar("R", bound=Message)


class AsyncClient(ClientBase[AsyncConnection]):
    """The asyncio twin of `somclient.Client` (same methods, arguments and errors).

    Use it from one event loop; concurrent tasks share its connection as streams.
    """

    _lock_type = asyncio.Lock

    async def close(self) -> None:
        for connection in self._take_all():
            await connection.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def connection(self) -> AsyncConnection:
        async with self._lock:
            current = self._current()
            if current is None:
                current = self._connection = await AsyncConnection.connect(self.socket_path, **self._connection_settings())
            return current

    async def open_call(self, method: str, *, timeout: Timeout = DEFAULT, metadata: dict[str, str] | None = None) -> AsyncCall:
        return (await self.connection()).open(method, self._seconds(timeout, None), metadata)

    async def _unary(self, spec: _api.Unary[T], timeout: Timeout) -> T:
        seconds = self._seconds(timeout, self.timeout)
        payload = spec.request.SerializeToString()
        for attempt in (1, 2):
            connection = await self.connection()
            reused = connection.used
            call = connection.open(spec.method, seconds)
            try:
                await call.send(payload, end_stream=True)
                response = await call.receive()
                if response is None:
                    raise SomError(StatusCode.INTERNAL, "the call ended OK without a response", local=True)
                if await call.receive() is not None:
                    raise SomError(StatusCode.INTERNAL, "a unary call got more than one response", local=True)
                return spec.read(response)
            except SomError as error:
                if error.retryable and reused and attempt == 1:
                    continue
                raise
            finally:
                call.close()
        raise AssertionError("unreachable")

    async def health(self, *, timeout: Timeout = DEFAULT) -> pb.HealthResponse:
        return await self._unary(_api.health(), timeout)

    async def stats(self, *, timeout: Timeout = DEFAULT) -> pb.StatsResponse:
        return await self._unary(_api.stats(), timeout)

    async def echo(self, payload: bytes, *, timeout: Timeout = DEFAULT) -> bytes:
        return await self._unary(_api.echo(payload), timeout)

    async def submit(self, request: pb.ServiceOrderRequest, *, timeout: Timeout = DEFAULT) -> pb.SubmitOrderResponse:
        return await self._unary(_api.submit(request), timeout)

    async def submit_batch(
        self, requests: Iterable[pb.ServiceOrderRequest | bytes], chunk_size: int = 1000, *, timeout: Timeout = DEFAULT
    ) -> AsyncIterator[pb.SubmitBatchItemResult]:
        """See `Client.submit_batch`."""
        async for chunk in self.submit_batch_chunks(requests, chunk_size, timeout=timeout):
            for item in chunk.items:
                yield item

    def submit_batch_chunks(
        self, requests: Iterable[pb.ServiceOrderRequest | bytes], chunk_size: int = 1000, *, timeout: Timeout = DEFAULT
    ) -> AsyncIterator[pb.SubmitBatchChunkResult]:
        upload = _api.ChunkedUpload(requests, chunk_size, pb.SubmitBatchChunkResult)
        return self._upload(_api.SUBMIT_BATCH, upload, timeout)

    async def get(self, order_id: str, *, timeout: Timeout = DEFAULT) -> pb.Order:
        return await self._unary(_api.get(order_id), timeout)

    def list(self, *, timeout: Timeout = DEFAULT, **filters: Unpack[_api.OrderFilters]) -> AsyncIterator[builtins.list[pb.Order]]:
        """See `Client.list`: an async iterator over pages."""
        return self._pages(_api.list_orders(filters), timeout)

    async def cancel(self, order_id: str, reason: str = "", *, by_source: bool = False, timeout: Timeout = DEFAULT) -> pb.Order:
        return await self._unary(_api.cancel(order_id, reason, by_source), timeout)

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
    ) -> AsyncWatch:
        """See `Client.watch`: an async iterator of events that resumes after disconnects."""
        cursor = _api.WatchCursor(
            from_sequence, order_id=order_id, service_point_id=service_point_id, source_system=source_system, order_type=order_type
        )
        return AsyncWatch(self, cursor, resume, reconnect_timeout, self._seconds(timeout, None))

    async def upsert_devices(
        self, devices: Iterable[pb.ServicePointDevice | bytes], chunk_size: int = 1000, *, timeout: Timeout = DEFAULT
    ) -> AsyncIterator[pb.UpsertDeviceResult]:
        upload = _api.ChunkedUpload(devices, chunk_size, pb.UpsertDevicesChunkResult)
        async for chunk in self._upload(_api.DEVICES_UPSERT, upload, timeout):
            for item in chunk.items:
                yield item

    async def get_device(self, service_point_id: str, *, timeout: Timeout = DEFAULT) -> pb.ServicePointDevice:
        return await self._unary(_api.get_device(service_point_id), timeout)

    async def holds(self, reason: int | str | None = None, *, page_size: int = 0, timeout: Timeout = DEFAULT) -> AsyncIterator[pb.Order]:
        async for page in self._pages(_api.list_holds(reason, page_size), timeout):
            for order in page:
                yield order

    async def release(
        self, order_id: str = "", *, reason: int | str | None = None, note: str = "", timeout: Timeout = DEFAULT
    ) -> pb.ReleaseHoldResponse:
        return await self._unary(_api.release(order_id, reason, note), timeout)

    async def set_moratorium(
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
        moratorium = _api.moratorium(region, starts_at, ends_at, reason, description, moratorium_id)
        return await self._unary(_api.set_moratorium(moratorium), timeout)

    async def clear_moratorium(self, moratorium_id: str, *, timeout: Timeout = DEFAULT) -> None:
        await self._unary(_api.clear_moratorium(moratorium_id), timeout)

    async def moratoria(self, *, timeout: Timeout = DEFAULT) -> builtins.list[pb.Moratorium]:
        return await self._unary(_api.moratoria(), timeout)

    async def backup(self, destination: str, *, timeout: Timeout = DEFAULT) -> pb.BackupResponse:
        return await self._unary(_api.backup(destination), timeout)

    async def archive(self, older_than_seconds: int, *, timeout: Timeout = DEFAULT) -> pb.ArchiveResponse:
        return await self._unary(_api.archive(older_than_seconds), timeout)

    async def _pages(self, pages: _api.Pages[T], timeout: Timeout) -> AsyncIterator[builtins.list[T]]:
        while (spec := pages.call()) is not None:
            yield await self._unary(spec, timeout)

    async def _upload(self, method: str, upload: _api.ChunkedUpload[R], timeout: Timeout) -> AsyncIterator[R]:
        call = await self.open_call(method, timeout=timeout)
        try:
            while True:
                while not upload.exhausted and not call.done and call.has_credit():
                    chunk = upload.next_chunk()
                    if chunk is None:
                        call.end_requests()
                    else:
                        await call.send(chunk, end_stream=upload.exhausted)
                call.drain()
                while call.messages:
                    yield upload.read(call.take())
                if call.done:
                    if call.error is not None:
                        raise call.error
                    upload.finished()
                    return
                await call.pump()
        finally:
            call.close()


class AsyncWatch(_api.WatchState, AsyncIterator[pb.OrderEvent]):
    """The async iterator `AsyncClient.watch` returns (see `somclient.Watch`)."""

    def __init__(self, client: AsyncClient, cursor: _api.WatchCursor, resume: bool, reconnect_timeout: float, timeout: float | None):
        super().__init__(cursor, resume, reconnect_timeout, timeout)
        self._client = client
        self._call: AsyncCall | None = None

    def __aiter__(self) -> AsyncWatch:
        return self

    async def __anext__(self) -> pb.OrderEvent:
        try:
            while (event := self._next_buffered()) is None:
                await self._receive()
        except StopIteration:
            raise StopAsyncIteration from None
        return event

    async def __aenter__(self) -> AsyncWatch:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True
        if self._call is not None:
            self._call.close()
            self._call = None

    async def _receive(self) -> None:
        if self._call is None:
            self._call = await self._start()
        try:
            payload = await self._call.receive(interrupt_on_goaway=self._resume)
        except SomError as error:
            self._call.close()
            self._call = None
            self._call_failed(error)
            return
        self._received(payload)

    async def _start(self) -> AsyncCall:
        self._starting()
        while True:
            try:
                call = await self._client.open_call(_api.WATCH, timeout=self._remaining())
                await call.send(self._cursor.request(), end_stream=True)
                return call
            except SomError as error:
                await asyncio.sleep(self._start_failed(error))

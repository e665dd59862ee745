"""AsyncClient against a real somd (each test runs its own event loop with asyncio.run)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from conftest import Somd, order_request, unique
from test_client import smart_meter

from somclient import SomError, StatusCode, pb
from somclient.aio import AsyncClient


def test_async_unary_calls(shared_somd: Somd) -> None:
    async def main() -> None:
        async with AsyncClient(shared_somd.socket) as som:
            assert (await som.health()).status == pb.SERVING_STATUS_SERVING
            before = (await som.stats()).orders_total
            submitted = await som.submit(order_request())
            assert (await som.stats()).orders_total == before + 1
            assert (await som.get(submitted.order.order_id)).order_id == submitted.order.order_id
            with pytest.raises(SomError) as raised:
                await som.get("SO999999999999")
            assert raised.value.code == StatusCode.NOT_FOUND

    asyncio.run(main())


def test_async_devices_cancel_and_operator_calls(shared_somd: Somd) -> None:
    async def main() -> None:
        async with AsyncClient(shared_somd.socket) as som:
            service_point = unique("SP-async")
            assert [r.ok async for r in som.upsert_devices([smart_meter(service_point)])] == [True]
            assert (await som.get_device(service_point)).meter_id == "M-" + service_point
            order = (await som.submit(order_request(service_point))).order
            assert (await som.cancel(order.order_id, "async")).status == pb.ORDER_STATUS_CANCELLED
            region = unique("REGION")
            now = dt.datetime.now(dt.timezone.utc)
            moratorium = await som.set_moratorium(region, now, now + dt.timedelta(hours=1))
            assert moratorium.moratorium_id in {m.moratorium_id for m in await som.moratoria()}
            assert [o async for o in som.holds(reason="moratorium") if o.request.service_point_id == service_point] == []
            await som.clear_moratorium(moratorium.moratorium_id)
            with pytest.raises(SomError) as raised:
                await som.release(order.order_id)
            assert raised.value.code == StatusCode.FAILED_PRECONDITION

    asyncio.run(main())


def test_async_list_pages(shared_somd: Somd) -> None:
    async def main() -> None:
        async with AsyncClient(shared_somd.socket) as som:
            service_point = unique("SP-alist")
            ids = {(await som.submit(order_request(service_point))).order.order_id for _ in range(7)}
            pages = [page async for page in som.list(service_point_id=service_point, page_size=3)]
            assert [len(p) for p in pages] == [3, 3, 1]
            assert {o.order_id for p in pages for o in p} == ids

    asyncio.run(main())


def test_async_batch_and_concurrent_calls_share_one_connection(shared_somd: Somd) -> None:
    run = unique("ARUN")

    async def main() -> None:
        async with AsyncClient(shared_somd.socket) as som:
            await som.health()
            connection = await som.connection()

            async def batch() -> list[pb.SubmitBatchItemResult]:
                requests = (order_request(f"{run}-SP-{n}", source_request_id=f"{run}-{n}") for n in range(10_000))
                return [r async for r in som.submit_batch(requests, chunk_size=500)]

            async def echoes() -> list[bytes]:
                return list(await asyncio.gather(*(som.echo(str(n).encode()) for n in range(100))))

            results, echoed = await asyncio.gather(batch(), echoes())
            assert len(results) == 10_000
            assert all(r.disposition == pb.ITEM_DISPOSITION_ACCEPTED and r.order_id for r in results)
            assert [r.index for r in results] == [n % 500 for n in range(10_000)]
            assert echoed == [str(n).encode() for n in range(100)]
            assert await som.connection() is connection and connection.protocol.open_streams == 0

    asyncio.run(main())


def test_async_deadline_and_watch_close(shared_somd: Somd) -> None:
    async def main() -> None:
        async with AsyncClient(shared_somd.socket) as som:
            with pytest.raises(SomError) as raised:
                async for _ in som.watch(order_id=unique("nobody"), timeout=0.3):
                    pass
            assert raised.value.code == StatusCode.DEADLINE_EXCEEDED
            await som.submit(order_request())
            watch = som.watch(from_sequence=1)
            first = await anext(watch)
            assert first.sequence == 1
            watch.close()
            assert [e async for e in watch] == []
            assert (await som.connection()).protocol.open_streams == 0

    asyncio.run(main())


def test_async_watch_resumes_across_a_server_restart(somd: Somd) -> None:
    async def main() -> None:
        async with AsyncClient(somd.socket) as som:
            first = (await som.submit(order_request())).order.order_id
            watch = som.watch(from_sequence=1, reconnect_timeout=60)
            seen = [await anext(watch)]
            assert seen[0].order_id == first
            await asyncio.to_thread(somd.terminate)
            await asyncio.to_thread(somd.start)
            second = (await som.submit(order_request())).order.order_id
            while second not in {e.order_id for e in seen}:
                seen.append(await anext(watch))
            watch.close()
            assert watch.reconnects >= 1
            assert [e.sequence for e in seen] == list(range(1, len(seen) + 1))

    asyncio.run(main())


def test_async_server_death_mid_batch_is_unavailable(somd: Somd) -> None:
    run = unique("ADIE")

    async def main() -> None:
        async with AsyncClient(somd.socket) as som:
            requests = (order_request(f"{run}-{n}", source_request_id=f"{run}-{n}") for n in range(1_000_000))
            with pytest.raises(SomError) as raised:
                n = 0
                async for _ in som.submit_batch(requests, chunk_size=100):
                    n += 1
                    if n == 300:
                        somd.kill()
            assert raised.value.code == StatusCode.UNAVAILABLE

    asyncio.run(main())

"""Streams against a real somd: batches, watch, deadlines, cancel, servers that stop or die."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Somd, order_request, unique

from somclient import Client, SomError, StatusCode, pb


def test_submit_batch_of_100k_checks_every_result(client: Client) -> None:
    run = unique("RUN")
    total = 100_000
    rejected_every = 997  # an empty service point: refused with its field
    duplicates = {n: n - 500 for n in range(1000, total, 10_000)}  # the same key and content again

    def request(n: int) -> pb.ServiceOrderRequest:
        key = duplicates.get(n, n)
        return pb.ServiceOrderRequest(
            source_system=pb.SOURCE_SYSTEM_CIS,
            source_request_id=f"{run}-{key}",
            order_type=pb.ORDER_TYPE_CUT_FOR_NON_PAYMENT,
            service_point_id="" if n % rejected_every == 0 else f"{run}-SP-{key}",
        )

    # Encoded bytes and messages mixed, as a caller reusing buffers would send them.
    requests = (request(n).SerializeToString() if n % 2 else request(n) for n in range(total))
    ids: dict[int, str] = {}
    count = 0
    for n, result in enumerate(client.submit_batch(requests, chunk_size=1000)):
        count += 1
        assert result.index == n % 1000
        if n % rejected_every == 0:
            assert result.disposition == pb.ITEM_DISPOSITION_REJECTED, n
            assert result.code == StatusCode.INVALID_ARGUMENT and result.field == f"requests[{n % 1000}].service_point_id"
            assert result.order_id == ""
        elif n in duplicates:
            assert result.disposition == pb.ITEM_DISPOSITION_DUPLICATE, n
            assert result.order_id == ids[duplicates[n]]
        else:
            assert result.disposition == pb.ITEM_DISPOSITION_ACCEPTED, (n, result)
            assert result.order_id.startswith("SO")
            ids[n] = result.order_id
    assert count == total
    assert len(set(ids.values())) == len(ids) == total - len(duplicates) - len(range(0, total, rejected_every))
    sample = client.get(ids[99_999])
    assert sample.request.source_request_id == f"{run}-99999"


def test_submit_batch_reads_its_input_lazily_within_the_credit_window(client: Client) -> None:
    run = unique("LAZY")
    pulled = itertools.count()

    def endless() -> Iterator[pb.ServiceOrderRequest]:
        for n in itertools.count():
            next(pulled)
            yield order_request(f"{run}-SP-{n}", source_request_id=f"{run}-{n}")

    chunks = client.submit_batch_chunks(endless(), chunk_size=50)
    answered = 0
    for chunk in chunks:
        answered += len(chunk.items)
        if answered >= 2_000:
            break
    chunks.close()  # type: ignore[attr-defined]
    taken = next(pulled)
    # An endless input: an eager client would never get here. What it read beyond the answers
    # read is bounded by the windows: the server's credit (64 chunks) and its chunks in flight
    # (16), answers still in transit under our credit (256), and the chunk being cut.
    assert answered <= taken <= answered + (64 + 16 + 256 + 1) * 50
    assert client.health().status == pb.SERVING_STATUS_SERVING


def test_submit_batch_with_an_empty_input_ends_at_once(client: Client) -> None:
    assert list(client.submit_batch([])) == []


def test_unary_deadline_expires_with_deadline_exceeded(client: Client) -> None:
    with pytest.raises(SomError) as raised:
        client.stats(timeout=0.000001)
    assert raised.value.code == StatusCode.DEADLINE_EXCEEDED
    assert client.health().status == pb.SERVING_STATUS_SERVING  # the connection lives on


def test_watch_deadline_expires_with_deadline_exceeded(client: Client) -> None:
    with pytest.raises(SomError) as raised:
        for _ in client.watch(order_id=unique("nobody"), timeout=0.5):
            pass
    assert raised.value.code == StatusCode.DEADLINE_EXCEEDED


def test_watch_from_a_sequence_sees_every_event_in_order(client: Client) -> None:
    head = client.stats().events_head
    orders = [client.submit(order_request()).order.order_id for _ in range(3)]
    seen: list[pb.OrderEvent] = []
    with client.watch(from_sequence=head + 1) as watch:
        for event in watch:
            seen.append(event)
            if {e.order_id for e in seen if e.type == pb.ORDER_EVENT_TYPE_RECEIVED} >= set(orders):
                break
        assert watch.next_sequence == seen[-1].sequence + 1
    assert [e.sequence for e in seen] == list(range(head + 1, head + 1 + len(seen)))


def test_a_filtered_watch_moves_past_unwanted_events_by_head_sequence(somd: Somd) -> None:
    with Client(somd.socket) as client:
        unwanted = [client.submit(order_request()).order.order_id for _ in range(3)]
        wanted = client.submit(order_request()).order.order_id
        head = client.stats().events_head
        with client.watch(from_sequence=1, order_id=wanted) as watch:
            first = next(watch)
            assert first.order_id == wanted and first.type == pb.ORDER_EVENT_TYPE_RECEIVED
            # The page that carried it also said how far the server looked: past the other
            # orders' events, which this watch never receives and will not ask for again.
            assert watch.head_sequence >= head > first.sequence - 1
            buffered = list(watch._events)  # the rest of that page: the wanted order's own events
            assert all(event.order_id == wanted for event in buffered)
            assert watch.next_sequence == (buffered[0].sequence if buffered else watch.head_sequence + 1)
            assert watch._cursor.next_sequence == watch.head_sequence + 1  # where a resume would ask
            assert not set(unwanted) & {event.order_id for event in buffered}


def test_closing_a_watch_cancels_its_stream_and_the_connection_goes_on(client: Client) -> None:
    client.submit(order_request())
    watch = client.watch(from_sequence=1)
    next(watch)
    connection = client.connection()
    assert connection.protocol.open_streams == 1
    watch.close()
    assert connection.protocol.open_streams == 0
    assert list(watch) == []
    assert client.echo(b"after cancel") == b"after cancel"
    assert client.connection() is connection


def test_watch_and_batch_multiplex_on_one_connection(client: Client) -> None:
    run = unique("MUX")
    head = client.stats().events_head
    watch = client.watch(from_sequence=head + 1, source_system="mdm")
    results = client.submit_batch(
        (order_request(f"{run}-SP-{n}", source_system=pb.SOURCE_SYSTEM_MDM) for n in range(300)), chunk_size=20)
    received = 0
    accepted = []
    for result in results:
        accepted.append(result.order_id)
        # Interleave: one watch event per batch result while the batch is still streaming.
        event = next(watch)
        assert event.source_system == pb.SOURCE_SYSTEM_MDM
        received += 1
    assert len(accepted) == 300 and received == 300
    assert client.connection().protocol.open_streams == 1
    watch.close()


def test_watch_resumes_across_a_server_restart_without_gap_or_repeat(somd: Somd) -> None:
    with Client(somd.socket) as som:
        first = [som.submit(order_request()).order.order_id for _ in range(5)]
        watch = som.watch(from_sequence=1, reconnect_timeout=60)
        seen: list[pb.OrderEvent] = []
        while len({e.order_id for e in seen} & set(first)) < 5:
            seen.append(next(watch))
        assert somd.terminate() == 0  # graceful: GOAWAY, the watch moves to a new connection
        somd.start()
        second = [som.submit(order_request()).order.order_id for _ in range(5)]
        while len({e.order_id for e in seen} & set(second)) < 5:
            seen.append(next(watch))
        watch.close()
        assert watch.reconnects >= 1
        sequences = [e.sequence for e in seen]
        assert sequences == list(range(1, len(seen) + 1))


def test_watch_resumes_after_the_server_is_killed(somd: Somd) -> None:
    with Client(somd.socket) as som:
        before = som.submit(order_request()).order.order_id
        watch = som.watch(from_sequence=1, reconnect_timeout=60)
        seen = [next(watch)]
        assert seen[0].order_id == before
        somd.kill()
        somd.start()
        after = som.submit(order_request()).order.order_id
        while after not in {e.order_id for e in seen}:
            seen.append(next(watch))
        watch.close()
        assert [e.sequence for e in seen] == list(range(1, len(seen) + 1))


def test_a_server_that_dies_mid_batch_fails_the_stream_with_unavailable(somd: Somd) -> None:
    run = unique("DIE")
    with Client(somd.socket) as som:
        results = som.submit_batch((order_request(f"{run}-{n}", source_request_id=f"{run}-{n}") for n in itertools.count()),
                                   chunk_size=100)
        with pytest.raises(SomError) as raised:
            for n, result in enumerate(results):
                assert result.disposition == pb.ITEM_DISPOSITION_ACCEPTED
                if n == 500:
                    somd.kill()
        assert raised.value.code == StatusCode.UNAVAILABLE and raised.value.local


def test_a_server_that_dies_mid_watch_fails_a_watch_without_resume(somd: Somd) -> None:
    with Client(somd.socket) as som:
        som.submit(order_request())
        watch = som.watch(from_sequence=1, resume=False)
        next(watch)
        somd.kill()
        with pytest.raises(SomError) as raised:
            for _ in watch:
                pass
        assert raised.value.code == StatusCode.UNAVAILABLE


def test_calls_after_a_restart_go_to_a_new_connection(somd: Somd) -> None:
    with Client(somd.socket) as som:
        old = som.connection()
        assert som.health().status == pb.SERVING_STATUS_SERVING
        somd.terminate()
        somd.start()
        assert som.health().status == pb.SERVING_STATUS_SERVING
        assert som.connection() is not old


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to call as another uid")
def test_a_uid_outside_the_allow_list_gets_permission_denied() -> None:
    # nobody must reach the socket through its directory (pytest's tmp_path is under a 0700 one)
    directory = Path(tempfile.mkdtemp(prefix="somclient-perm-"))
    directory.chmod(0o755)
    server = Somd(directory, ["--allow-uids", "4242", "--socket-mode", "666"])
    try:
        server.start()
        with Client(server.socket) as root:
            assert root.health().status == pb.SERVING_STATUS_SERVING  # root is always allowed
        read_end, write_end = os.pipe()
        child = os.fork()
        if child == 0:  # the child drops to nobody and reports what the call did
            try:
                os.setgroups([])
                os.setresgid(65534, 65534, 65534)
                os.setresuid(65534, 65534, 65534)
                try:
                    with Client(server.socket, timeout=10) as nobody:
                        nobody.health()
                    report = "OK"
                except SomError as error:
                    report = f"{error.code.name}|{error.message}"
                os.write(write_end, report.encode())
            finally:
                os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as reader:
            report = reader.read().decode()
        os.waitpid(child, 0)
        code, _, message = report.partition("|")
        assert code == "PERMISSION_DENIED", report
        assert "65534" in message
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


def test_an_idle_close_is_a_goaway_and_the_next_call_takes_a_new_connection(tmp_path: Path) -> None:
    server = Somd(tmp_path, ["--idle-timeout", "1"])
    try:
        server.start()
        with Client(server.socket) as som:
            som.health()
            idle = som.connection()
            deadline = time.monotonic() + 20
            while idle.protocol.closed is None and time.monotonic() < deadline:
                time.sleep(0.05)  # polling for the server's own close; the assertions follow
            assert idle.protocol.goaway is not None and idle.protocol.goaway.code == StatusCode.OK
            assert "idle" in idle.protocol.goaway.reason
            assert som.health().status == pb.SERVING_STATUS_SERVING
            assert som.connection() is not idle
    finally:
        server.stop()

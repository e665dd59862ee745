"""Every Client method against a real somd."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from conftest import Somd, order_request, unique

from somclient import Client, SomError, StatusCode, pb


def test_health_reports_serving_with_version_and_pid(client: Client, shared_somd: Somd) -> None:
    health = client.health()
    assert health.status == pb.SERVING_STATUS_SERVING
    assert health.version
    assert shared_somd.process is not None and health.pid == shared_somd.process.pid


def test_stats_count_submitted_orders(client: Client) -> None:
    before = client.stats().orders_total
    client.submit(order_request())
    assert client.stats().orders_total == before + 1


def test_socket_comes_from_som_socket(shared_somd: Somd, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOM_SOCKET", shared_somd.socket)
    with Client() as som:
        assert som.socket_path == shared_somd.socket
        assert som.health().status == pb.SERVING_STATUS_SERVING


def test_no_server_is_unavailable_and_retryable(tmp_path: object) -> None:
    with Client(f"{tmp_path}/nothing.sock") as som:
        with pytest.raises(SomError) as raised:
            som.health()
    assert raised.value.code == StatusCode.UNAVAILABLE and raised.value.retryable
    assert "is somd running?" in raised.value.message


def test_submit_then_get_and_a_resubmission_is_a_duplicate(client: Client) -> None:
    request = order_request(order_type=pb.ORDER_TYPE_CUT_FOR_NON_PAYMENT)
    first = client.submit(request)
    assert first.order.order_id.startswith("SO") and not first.duplicate
    assert first.order.request.service_point_id == request.service_point_id
    again = client.submit(request)
    assert again.duplicate and again.order.order_id == first.order.order_id
    got = client.get(first.order.order_id)
    assert got.order_id == first.order.order_id and got.request.order_type == pb.ORDER_TYPE_CUT_FOR_NON_PAYMENT


def test_an_invalid_request_fails_with_the_field_in_the_details(client: Client) -> None:
    request = order_request()
    request.service_point_id = ""
    with pytest.raises(SomError) as raised:
        client.submit(request)
    assert raised.value.code == StatusCode.INVALID_ARGUMENT and not raised.value.local
    assert raised.value.details["field"] == "request.service_point_id"


def test_the_same_key_with_other_content_is_already_exists_with_the_order_id(client: Client) -> None:
    request = order_request()
    first = client.submit(request).order
    request.service_point_id = unique("SP-other")
    with pytest.raises(SomError) as raised:
        client.submit(request)
    assert raised.value.code == StatusCode.ALREADY_EXISTS and raised.value.details["order_id"] == first.order_id


def test_get_of_an_unknown_order_is_not_found(client: Client) -> None:
    with pytest.raises(SomError) as raised:
        client.get("SO999999999999")
    assert raised.value.code == StatusCode.NOT_FOUND


def test_list_pages_through_the_filtered_orders(client: Client) -> None:
    service_point = unique("SP-list")
    submitted = {client.submit(order_request(service_point)).order.order_id for _ in range(25)}
    client.submit(order_request())  # another service point: filtered out
    pages = list(client.list(service_point_id=service_point, page_size=10))
    assert [len(page) for page in pages] == [10, 10, 5]
    assert {order.order_id for page in pages for order in page} == submitted
    assert {o.order_id for o in client.orders(service_point_id=service_point, order_type="off-cycle-read")} == submitted
    assert list(client.list(service_point_id=service_point, order_type=pb.ORDER_TYPE_CUT_FOR_NON_PAYMENT)) == [[]]


def test_list_refuses_an_unknown_status_name_or_filter_locally(client: Client) -> None:
    with pytest.raises(SomError) as raised:
        list(client.list(status="sleeping"))
    assert raised.value.code == StatusCode.INVALID_ARGUMENT and raised.value.local
    with pytest.raises(SomError) as unknown:
        list(client.list(colour="red"))  # type: ignore[call-arg]
    assert unknown.value.code == StatusCode.INVALID_ARGUMENT and "colour" in unknown.value.message


def test_cancel_ends_an_order_and_a_second_cancel_is_refused(client: Client) -> None:
    service_point = unique("SP-cancel")
    assert all(r.ok for r in client.upsert_devices([smart_meter(service_point)]))
    order = client.submit(order_request(service_point)).order  # waits for its meter read command
    assert order.status not in (pb.ORDER_STATUS_FAILED, pb.ORDER_STATUS_COMPLETED, pb.ORDER_STATUS_CANCELLED)
    cancelled = client.cancel(order.order_id, "paid at the counter")
    assert cancelled.order_id == order.order_id and cancelled.status == pb.ORDER_STATUS_CANCELLED
    assert cancelled.outcome == pb.OUTCOME_CANCELLED_BY_OPERATOR
    assert client.get(order.order_id).status == pb.ORDER_STATUS_CANCELLED
    with pytest.raises(SomError) as raised:
        client.cancel(order.order_id, "again")
    assert raised.value.code == StatusCode.FAILED_PRECONDITION


def smart_meter(service_point: str, region: str = "NORTH") -> pb.ServicePointDevice:
    return pb.ServicePointDevice(
        service_point_id=service_point,
        commodity=pb.COMMODITY_ELECTRICITY,
        meter_id="M-" + service_point,
        technology=pb.METER_TECHNOLOGY_SMART_WITH_SWITCH,
        gateway_id="GW-1",
        commissioned=True,
        supply_state=pb.SUPPLY_STATE_CONNECTED,
        region=region,
    )


def test_devices_upsert_yields_one_result_per_device_and_get_reads_them_back(client: Client) -> None:
    good = [smart_meter(unique("SP-dev")) for _ in range(5)]
    bad = pb.ServicePointDevice(service_point_id=unique("SP-dev"), technology=pb.METER_TECHNOLOGY_SMART_WITH_SWITCH)
    results = list(client.upsert_devices(good[:3] + [bad] + good[3:], chunk_size=2))
    assert [r.ok for r in results] == [True, True, True, False, True, True]
    assert results[3].code == StatusCode.INVALID_ARGUMENT and results[3].field.endswith("meter_id")
    device = client.get_device(good[4].service_point_id)
    assert device.meter_id == good[4].meter_id and device.region == "NORTH" and device.version >= 1
    with pytest.raises(SomError) as raised:
        client.get_device(bad.service_point_id)
    assert raised.value.code == StatusCode.NOT_FOUND


def evaluated(client: Client, order_id: str, within: float = 20.0) -> pb.Order:
    """The order once its first evaluation is done: Submit answers at intake (RECEIVED), and the
    evaluation follows on the server's own time."""
    deadline = time.monotonic() + within
    order = client.get(order_id)
    while order.status == pb.ORDER_STATUS_RECEIVED and time.monotonic() < deadline:
        time.sleep(0.02)
        order = client.get(order_id)
    return order


def test_moratorium_holds_a_cut_and_release_frees_it(client: Client) -> None:
    region = unique("REGION")
    service_point = unique("SP-cut")
    assert all(r.ok for r in client.upsert_devices([smart_meter(service_point, region)]))
    now = dt.datetime.now(dt.timezone.utc)
    moratorium = client.set_moratorium(region, now - dt.timedelta(hours=1), now + dt.timedelta(days=2), description="storm")
    assert moratorium.moratorium_id and moratorium.reason == pb.HOLD_REASON_MORATORIUM
    assert moratorium.moratorium_id in {m.moratorium_id for m in client.moratoria()}

    order = client.submit(order_request(service_point, order_type=pb.ORDER_TYPE_CUT_FOR_NON_PAYMENT)).order
    held = evaluated(client, order.order_id)
    assert held.status == pb.ORDER_STATUS_HELD and held.hold_reason == pb.HOLD_REASON_MORATORIUM
    assert order.order_id in {o.order_id for o in client.holds("moratorium", page_size=1)}

    # While the moratorium lasts, a release (of the order, or of every order held for the reason)
    # is re-checked and held again at once, and the answer says so.
    still = client.release(order.order_id, note="checked")
    assert still.released == 0 and still.held_again_count == 1 and still.held_again[0].order_id == order.order_id
    by_reason = client.release(reason="moratorium", note="checked")
    assert order.order_id in {o.order_id for o in by_reason.held_again}

    # Clearing it re-checks the orders it held before answering.
    client.clear_moratorium(moratorium.moratorium_id)
    assert moratorium.moratorium_id not in {m.moratorium_id for m in client.moratoria()}
    after = client.get(order.order_id)
    assert after.hold_reason != pb.HOLD_REASON_MORATORIUM
    if after.status == pb.ORDER_STATUS_HELD:  # outside the disconnect calendar's hours
        assert after.hold_reason == pb.HOLD_REASON_DISCONNECT_CALENDAR
    else:
        with pytest.raises(SomError) as raised:
            client.release(order.order_id)
        assert raised.value.code == StatusCode.FAILED_PRECONDITION and "not held" in raised.value.message


def test_many_threads_share_one_connection(client: Client) -> None:
    errors: list[BaseException] = []

    def echo_many(worker: int) -> None:
        try:
            for n in range(40):
                payload = f"{worker}:{n}".encode()
                assert client.echo(payload) == payload
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    client.health()
    connection = client.connection()
    threads = [threading.Thread(target=echo_many, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert client.connection() is connection
    assert connection.protocol.open_streams == 0


def test_a_message_above_the_servers_frame_size_is_refused_locally(client: Client) -> None:
    with pytest.raises(SomError) as raised:
        client.echo(bytes(4 * 1024 * 1024 + 1))
    assert raised.value.code == StatusCode.RESOURCE_EXHAUSTED and raised.value.local
    assert client.echo(b"still fine") == b"still fine"


def test_backup_writes_a_copy_and_archive_with_nothing_old_enough_writes_no_file(client: Client, tmp_path: Path) -> None:
    client.submit(order_request())
    destination = tmp_path / "backup"
    backup = client.backup(str(destination))
    assert backup.destination == str(destination) and backup.bytes > 0 and backup.orders >= 1
    assert (destination / "data.mdb").stat().st_size > 0
    with pytest.raises(SomError) as raised:
        client.backup(str(destination))  # it must not yet hold a data.mdb
    assert raised.value.code == StatusCode.FAILED_PRECONDITION and "already holds a data.mdb" in raised.value.message
    archive = client.archive(older_than_seconds=10 * 365 * 86400)
    assert archive.orders_archived == 0 and archive.file == ""

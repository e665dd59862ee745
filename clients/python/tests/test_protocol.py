"""The sans-I/O protocol core, byte by byte against docs/protocol.md (no server needed)."""

from __future__ import annotations

import struct

from somclient import pb
from somclient._protocol import (
    CREDIT,
    GOAWAY,
    MESSAGE,
    PING,
    PREFACE,
    SETTINGS,
    STATUS,
    ClientProtocol,
    ConnectionClosed,
    CreditReceived,
    GoAwayReceived,
    MessageReceived,
    StreamEnded,
    frame,
)
from somclient.errors import StatusCode

SERVER_SETTINGS = frame(
    SETTINGS, 0, 0, pb.ConnectionSettings(max_frame_size=4194304, max_concurrent_streams=1024,
                                         initial_stream_credit=64, idle_timeout_ms=300000, agent="somd").SerializeToString()
)


def connected(**kwargs: object) -> ClientProtocol:
    protocol = ClientProtocol(**kwargs)  # type: ignore[arg-type]
    protocol.initiate()
    protocol.data_to_send()
    assert protocol.receive_data(PREFACE + SERVER_SETTINGS) == []
    return protocol


def test_unary_echo_bytes_match_the_worked_example_of_section_10() -> None:
    protocol = ClientProtocol(agent="som-client", initial_stream_credit=64)
    protocol.initiate()
    stream = protocol.open_stream("/som.v1.Admin/Echo", None)
    protocol.send_message(stream, pb.EchoMessage(payload=b"\x01\x02").SerializeToString(), end_stream=True)
    expected = bytes.fromhex(
        "534f4d5250430100"  # preface
        # SETTINGS as in the example, but idle_timeout_ms 0 (omitted): this client closes nothing idle
        "00000016090000000000" "0880808002" "108008" "1840" "2a0a736f6d2d636c69656e74"
        "00000014010000000001" "0a122f736f6d2e76312e41646d696e2f4563686f"  # HEADERS, stream 1
        "00000004020100000001" "0a020102"  # MESSAGE, END_STREAM, stream 1
    )
    assert protocol.data_to_send() == expected
    assert stream == 1
    events = protocol.receive_data(bytes.fromhex(
        "534f4d5250430100"
        "00000014090000000000" "0880808002108008184020e0a7122a04736f6d64"
        "00000004020000000001" "0a020102"
        "00000000040000000001"))
    assert events == [MessageReceived(1, b"\x0a\x02\x01\x02"), StreamEnded(1, None)]
    assert protocol.peer.agent == "somd" and protocol.peer.initial_stream_credit == 64


def test_stream_ids_are_odd_and_increasing() -> None:
    protocol = connected()
    assert [protocol.open_stream("/m", None) for _ in range(3)] == [1, 3, 5]


def test_a_ping_is_answered_with_the_same_bytes_and_ack_and_an_ack_is_not() -> None:
    protocol = connected()
    assert protocol.receive_data(frame(PING, 0, 0, b"12345678")) == []
    assert protocol.data_to_send() == frame(PING, 1, 0, b"12345678")
    protocol.receive_data(frame(PING, 1, 0, b"abcdefgh"))
    assert protocol.data_to_send() == b""


def test_credit_is_spent_per_message_and_granted_by_the_server() -> None:
    protocol = connected()
    protocol.receive_data(frame(SETTINGS, 0, 0, pb.ConnectionSettings(initial_stream_credit=2).SerializeToString()))
    stream = protocol.open_stream("/m", None)
    protocol.send_message(stream, b"a")
    protocol.send_message(stream, b"b")
    assert protocol.send_credit(stream) == 0
    events = protocol.receive_data(frame(CREDIT, 0, stream, struct.pack(">I", 5)))
    assert events == [CreditReceived(stream, 5)] and protocol.send_credit(stream) == 5


def test_credit_is_returned_in_one_frame_per_half_window_of_consumed_messages() -> None:
    protocol = connected(initial_stream_credit=8)
    stream = protocol.open_stream("/m", None)
    protocol.data_to_send()
    for _ in range(3):
        protocol.message_consumed(stream)
    assert protocol.data_to_send() == b""
    protocol.message_consumed(stream)
    assert protocol.data_to_send() == frame(CREDIT, 0, stream, struct.pack(">I", 4))


def test_status_carries_code_message_and_details_the_last_repeated_key_winning() -> None:
    protocol = connected()
    stream = protocol.open_stream("/m", None)
    status = pb.CallStatus(code=3, message="bad", details=[pb.MetadataEntry(key="field", value="a"),
                                                             pb.MetadataEntry(key="field", value="b")])
    (event,) = protocol.receive_data(frame(STATUS, 0, stream, status.SerializeToString()))
    assert isinstance(event, StreamEnded) and event.error is not None
    assert event.error.code == StatusCode.INVALID_ARGUMENT and event.error.message == "bad"
    assert event.error.details == {"field": "b"}
    (unknown,) = protocol.receive_data(frame(STATUS, 0, protocol.open_stream("/m", None), pb.CallStatus(code=99).SerializeToString()))
    assert isinstance(unknown, StreamEnded) and unknown.error is not None and unknown.error.code == StatusCode.UNKNOWN


def test_goaway_fails_only_the_streams_the_server_never_saw_and_stops_new_ones() -> None:
    protocol = connected()
    first, second = protocol.open_stream("/m", None), protocol.open_stream("/m", None)
    goaway = pb.GoAway(last_stream_id=first, code=14, reason="server shutting down").SerializeToString()
    events = protocol.receive_data(frame(GOAWAY, 0, 0, goaway))
    assert events[0] == GoAwayReceived(first, StatusCode.UNAVAILABLE, "server shutting down")
    assert isinstance(events[1], StreamEnded) and events[1].stream_id == second
    assert events[1].error is not None and events[1].error.retryable
    assert protocol.is_open(first) and not protocol.accepts_new_streams


def test_frames_for_streams_not_open_are_ignored() -> None:
    protocol = connected()
    assert protocol.receive_data(frame(MESSAGE, 0, 41, b"late") + frame(CREDIT, 0, 41, struct.pack(">I", 1))) == []


def test_protocol_errors_close_the_connection_and_end_every_stream() -> None:
    for bad in (frame(0x77, 0, 0), frame(CREDIT, 0, 1, b"\x00\x00\x00\x00"), frame(PING, 0, 0, b"short"),
                frame(0x01, 0, 1, b"")):
        protocol = connected()
        stream = protocol.open_stream("/m", None)
        events = protocol.receive_data(bad)
        assert isinstance(events[-1], ConnectionClosed), bad
        assert events[0] == StreamEnded(stream, events[-1].error)
        assert not protocol.accepts_new_streams


def test_a_wrong_server_preface_is_refused_at_the_first_wrong_byte() -> None:
    protocol = ClientProtocol()
    protocol.initiate()
    events = protocol.receive_data(b"HTTP")
    assert isinstance(events[-1], ConnectionClosed)


def test_a_frame_above_our_max_frame_size_is_refused_from_its_header() -> None:
    protocol = connected(max_frame_size=1024)
    events = protocol.receive_data(struct.pack(">IBBI", 1025, MESSAGE, 0, 1))
    assert isinstance(events[-1], ConnectionClosed)


def test_a_message_above_the_servers_max_frame_size_is_refused_locally() -> None:
    protocol = connected()
    protocol.receive_data(frame(SETTINGS, 0, 0, pb.ConnectionSettings(max_frame_size=100).SerializeToString()))
    stream = protocol.open_stream("/m", None)
    try:
        protocol.send_message(stream, bytes(101))
    except Exception as error:  # noqa: BLE001
        assert getattr(error, "code", None) == StatusCode.RESOURCE_EXHAUSTED
    else:
        raise AssertionError("no error")

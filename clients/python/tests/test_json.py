"""proto3 JSON helpers: the fast reader must agree with protobuf's json_format on every input."""

from __future__ import annotations

import io
import json

import pytest
from google.protobuf import json_format

from somclient import pb
from somclient.json import from_dict, from_json, parse_fast, read_jsonl, to_dict, to_json, write_jsonl

AGREE = [
    # camelCase and proto names, enums by name and number, int64 as string and number
    '{"sourceSystem":"SOURCE_SYSTEM_CIS","sourceRequestId":"R-1","orderType":"ORDER_TYPE_CUT_FOR_NON_PAYMENT","servicePointId":"SP-1"}',
    '{"source_system":2,"source_request_id":"R-2","order_type":3,"service_point_id":"SP-2","priority":"PRIORITY_EMERGENCY"}',
    '{"collectionData":{"accountId":"A","amountDueMinor":"12345","currency":"EUR","dueSince":"2026-11-01T00:00:00Z"}}',
    '{"collectionData":{"amountDueMinor":-5}}',
    '{"collectionData":{}}',
    '{"requestedAt":"2026-12-01T08:30:00.123456789+01:00","appointmentWindow":{"start":"2026-12-02T08:00:00Z","end":"2026-12-02T12:00:00Z"}}',
    '{"serviceAgreements":[{"agreementId":"AG-1","accountId":"AC-1","customerName":"Zoë"},{"agreementId":"AG-2"}]}',
    '{"contact":{"name":"N","phone":"+49 1","email":"a@b","preferredLanguage":"de"},"notes":"line\\nbreak \\u00e9"}',
    # left to json_format: bytes, nulls, an enum number unknown to the schema
    '{"orderType":"ORDER_TYPE_DEVICE_TEST","deviceConfiguration":"AAEC/w=="}',
    '{"notes":null,"servicePointId":"SP"}',
    '{"orderType":99}',
    '{"servicePointId":"a","service_point_id":"b"}',
]

REFUSED = [
    '{"noSuchField":1}',
    '{"sourceSystem":"SOURCE_SYSTEM_NOPE"}',
    '{"servicePointId":5}',
    '{"collectionData":{"amountDueMinor":"12x"}}',
    '{"collectionData":{"amountDueMinor":1.5}}',
    '{"serviceAgreements":{"agreementId":"x"}}',
    '{"requestedAt":"yesterday"}',
    '[1,2]',
    '{"notes":"unterminated',
]


@pytest.mark.parametrize("text", AGREE)
def test_parse_fast_gives_what_json_format_gives(text: str) -> None:
    assert parse_fast(text, pb.ServiceOrderRequest) == json_format.Parse(text, pb.ServiceOrderRequest())


@pytest.mark.parametrize("text", REFUSED)
def test_parse_fast_refuses_what_json_format_refuses_with_its_error(text: str) -> None:
    with pytest.raises(json_format.ParseError) as expected:
        json_format.Parse(text, pb.ServiceOrderRequest())
    with pytest.raises(json_format.ParseError) as raised:
        parse_fast(text, pb.ServiceOrderRequest)
    assert str(raised.value) == str(expected.value)


def test_devices_parse_fast_too() -> None:
    text = ('{"servicePointId":"SP-1","commodity":"COMMODITY_GAS","meterId":"M","technology":"METER_TECHNOLOGY_MANUAL",'
            '"lastReading":{"valueMilli":"1500","unit":"m3","readAt":"2026-01-01T00:00:00Z","estimated":true},"version":"7"}')
    assert parse_fast(text, pb.ServicePointDevice) == json_format.Parse(text, pb.ServicePointDevice())


def test_to_and_from_json_and_dict_round_trip() -> None:
    request = json_format.Parse(AGREE[2], pb.ServiceOrderRequest())
    text = to_json(request)
    assert json.loads(text)["collectionData"]["amountDueMinor"] == "12345"  # int64 as a string
    assert from_json(text, pb.ServiceOrderRequest) == request
    assert from_dict(to_dict(request), pb.ServiceOrderRequest) == request


def test_read_and_write_jsonl_skip_blank_and_comment_lines() -> None:
    requests = [json_format.Parse(text, pb.ServiceOrderRequest()) for text in AGREE[:4]]
    out = io.StringIO()
    assert write_jsonl(requests, out) == 4
    lines = out.getvalue().splitlines()
    assert len(lines) == 4 and all("\n" not in line for line in lines)
    source = io.StringIO("# billing run\n\n" + "\n".join(lines) + "\n\n")
    assert list(read_jsonl(source)) == requests

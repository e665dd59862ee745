"""proto3 JSON, as somctl reads and writes it (protobuf's canonical mapping, `json_format`)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import IO, Any, TypeVar

import json as _json

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from somclient import pb

M = TypeVar("M", bound=Message)


def to_json(message: Message, *, indent: int | None = None) -> str:
    """The canonical proto3 JSON of a message (camelCase names, enums by name, defaults left out)."""
    return json_format.MessageToJson(message, indent=indent)


def to_dict(message: Message) -> dict[str, object]:
    return json_format.MessageToDict(message)


def from_json(text: str | bytes, message_type: type[M], *, ignore_unknown_fields: bool = False) -> M:
    """Parses proto3 JSON (either field spelling, enums by name or number) into a new message."""
    return json_format.Parse(text, message_type(), ignore_unknown_fields=ignore_unknown_fields)


def from_dict(data: dict[str, object], message_type: type[M]) -> M:
    return json_format.ParseDict(data, message_type())


def read_jsonl(source: str | os.PathLike[str] | IO[str], message_type: type[M] = pb.ServiceOrderRequest) -> Iterator[M]:  # type: ignore[assignment]
    """One message per non-blank line of a JSON Lines file (somctl's `--file run.jsonl`), lazily;
    lines starting with ``#`` are skipped, as somctl does. Each line is parsed by `parse_fast`."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, encoding="utf-8") as lines:
            yield from read_jsonl(lines, message_type)
        return
    for line in source:
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield parse_fast(stripped, message_type)


class _Fallback(Exception):
    """The fast path met something it leaves to json_format."""


_INTS = {
    FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT32, FieldDescriptor.TYPE_UINT64,
    FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_SINT64, FieldDescriptor.TYPE_FIXED32, FieldDescriptor.TYPE_FIXED64,
    FieldDescriptor.TYPE_SFIXED32, FieldDescriptor.TYPE_SFIXED64,
}
# How each field is read: (proto name, how, the enum's names or the message's plan).
_STRING, _ENUM, _INT, _BOOL, _TIMESTAMP, _MESSAGE, _OTHER = range(7)
_Plan = dict[str, tuple[str, int, bool, Any]]
_plans: dict[str, _Plan] = {}


def _plan(descriptor: Any) -> _Plan:
    plan = _plans.get(descriptor.full_name)
    if plan is not None:
        return plan
    plan = {}
    _plans[descriptor.full_name] = plan  # before the fields: a message may contain itself
    for field in descriptor.fields:
        # protobuf 7 has is_repeated and no label; older ones the reverse.
        repeated = field.is_repeated if hasattr(field, "is_repeated") else field.label == FieldDescriptor.LABEL_REPEATED
        extra: Any = None
        target = field.message_type
        if target is not None:
            if target.full_name == "google.protobuf.Timestamp" and not repeated:
                how = _TIMESTAMP
            elif target.GetOptions().map_entry or target.file.name.startswith("google/protobuf/"):
                how = _OTHER
            else:
                how, extra = _MESSAGE, _plan(target)
        elif field.type == FieldDescriptor.TYPE_STRING:
            how = _STRING
        elif field.type == FieldDescriptor.TYPE_ENUM:
            how, extra = _ENUM, {value.name: value.number for value in field.enum_type.values}
        elif field.type in _INTS:
            how = _INT
        elif field.type == FieldDescriptor.TYPE_BOOL:
            how = _BOOL
        else:
            how = _OTHER  # floats and bytes: json_format decides
        plan[field.json_name] = plan[field.name] = (field.name, how, repeated, extra)
    return plan


def _scalar(how: int, extra: Any, value: object) -> object:
    kind = type(value)
    if how == _STRING:
        if kind is str:
            return value
    elif how == _ENUM:
        if kind is str:
            number = extra.get(value)
            if number is not None:
                return number
        elif kind is int:
            return value
    elif how == _INT:
        if kind is int:
            return value
        if isinstance(value, str) and value.lstrip("-").isdigit():
            return int(value)
    elif how == _BOOL:
        if kind is bool:
            return value
    raise _Fallback


def _fill(message: Any, data: object, plan: _Plan) -> None:
    if type(data) is not dict:
        raise _Fallback
    names = set()
    for key, value in data.items():
        entry = plan.get(key)
        if entry is None or value is None:
            raise _Fallback
        name, how, repeated, extra = entry
        names.add(name)
        kind = type(value)
        if repeated:
            if kind is not list:
                raise _Fallback
            container = getattr(message, name)
            if how == _MESSAGE:
                for item in value:
                    _fill(container.add(), item, extra)
            elif how == _OTHER or how == _TIMESTAMP:
                raise _Fallback
            else:
                container.extend([_scalar(how, extra, item) for item in value])
        elif how == _STRING and kind is str or how == _INT and kind is int or how == _BOOL and kind is bool:
            setattr(message, name, value)
        elif how == _ENUM and kind is str:
            number = extra.get(value)
            if number is None:
                raise _Fallback
            setattr(message, name, number)
        elif how == _MESSAGE:
            child = getattr(message, name)
            child.SetInParent()
            _fill(child, value, extra)
        elif how == _TIMESTAMP:
            if kind is not str:
                raise _Fallback
            getattr(message, name).FromJsonString(value)
        elif how == _OTHER:
            raise _Fallback
        else:
            setattr(message, name, _scalar(how, extra, value))
    if len(names) != len(data):  # a field given twice (camelCase and proto name): json_format decides
        raise _Fallback


def parse_fast(text: str | bytes, message_type: type[M]) -> M:
    """`from_json`, several times faster for the common field types (strings, integers, enums,
    bools, Timestamps, nested and repeated messages). Anything else, and anything it doubts (an
    unknown or repeated key, a float, bytes, a wrong JSON type), goes to `json_format.Parse`, so
    the result and the errors are always protobuf's own."""
    plan = _plan(message_type.DESCRIPTOR)
    message = message_type()
    try:
        _fill(message, _json.loads(text), plan)
        return message
    except (_Fallback, ValueError, TypeError):
        return json_format.Parse(text, message_type())


def write_jsonl(messages: Iterable[Message], target: IO[str]) -> int:
    """Writes one compact JSON object per line; returns the count."""
    count = 0
    for message in messages:
        target.write(json_format.MessageToJson(message, indent=None) + "\n")
        count += 1
    return count

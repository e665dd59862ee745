"""proto3 JSON, as somctl reads and writes it (protobuf's canonical mapping, `json_format`)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import IO, TypeVar

from google.protobuf import json_format
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
    """One message per non-blank line of a JSON Lines file (somctl's `--file run.jsonl`), lazily."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, encoding="utf-8") as lines:
            yield from read_jsonl(lines, message_type)
        return
    for line in source:
        if line.strip():
            yield json_format.Parse(line, message_type())


def write_jsonl(messages: Iterable[Message], target: IO[str]) -> int:
    """Writes one compact JSON object per line; returns the count."""
    count = 0
    for message in messages:
        target.write(json_format.MessageToJson(message, indent=None) + "\n")
        count += 1
    return count

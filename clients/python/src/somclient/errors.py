"""The one exception type of the client, and the status codes it carries."""

from __future__ import annotations

import enum
from collections.abc import Mapping


class StatusCode(enum.IntEnum):
    """gRPC status codes, with gRPC's numbers (docs/protocol.md section 8)."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16

    @classmethod
    def from_wire(cls, number: int) -> StatusCode:
        """A code number from a STATUS or GOAWAY; numbers above 16 read as UNKNOWN."""
        try:
            return cls(number)
        except ValueError:
            return cls.UNKNOWN


class SomError(Exception):
    """A call that did not succeed: the server's STATUS, or one the client produced locally.

    `code` is a `StatusCode`, `message` the human-readable text, `details` the machine-readable
    key/value pairs (e.g. ``{"field": "request.service_point_id"}``). `local` is True when the
    client made the status itself (deadline, lost connection, protocol error) rather than
    reading it from the server. `retryable` is True when the server never saw the call (it was
    above a GOAWAY's last stream id, or no connection could be made), so resending is safe.
    """

    def __init__(
        self,
        code: StatusCode | int,
        message: str,
        details: Mapping[str, str] | None = None,
        *,
        local: bool = False,
        retryable: bool = False,
    ) -> None:
        self.code = StatusCode.from_wire(int(code))
        self.message = message
        self.details: dict[str, str] = dict(details or {})
        self.local = local
        self.retryable = retryable
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.code.name}: {self.message}"
        if self.details:
            text += " (" + ", ".join(f"{k}={v}" for k, v in sorted(self.details.items())) + ")"
        return text

    def __repr__(self) -> str:
        return f"SomError({self.code.name}, {self.message!r}, {self.details!r})"

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from somclient._pb import order_pb2 as _order_pb2
from somclient._pb import rpc_pb2 as _rpc_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

AUDIT_ACTION_ADD_GATEWAY: AuditAction
AUDIT_ACTION_CANCEL_ORDER: AuditAction
AUDIT_ACTION_CLEAR_MORATORIUM: AuditAction
AUDIT_ACTION_RELEASE_HOLD: AuditAction
AUDIT_ACTION_REMOVE_GATEWAY: AuditAction
AUDIT_ACTION_SET_GATEWAY: AuditAction
AUDIT_ACTION_SET_MORATORIUM: AuditAction
AUDIT_ACTION_UNSPECIFIED: AuditAction
AUDIT_ACTION_UPSERT_DEVICES: AuditAction
DESCRIPTOR: _descriptor.FileDescriptor
SERVING_STATUS_DRAINING: ServingStatus
SERVING_STATUS_NOT_SERVING: ServingStatus
SERVING_STATUS_SERVING: ServingStatus
SERVING_STATUS_UNSPECIFIED: ServingStatus

class ArchiveRequest(_message.Message):
    __slots__ = ["older_than_seconds"]
    OLDER_THAN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    older_than_seconds: int
    def __init__(self, older_than_seconds: _Optional[int] = ...) -> None: ...

class ArchiveResponse(_message.Message):
    __slots__ = ["duration_ms", "event_floor", "events_trimmed", "file", "orders_archived"]
    DURATION_MS_FIELD_NUMBER: _ClassVar[int]
    EVENTS_TRIMMED_FIELD_NUMBER: _ClassVar[int]
    EVENT_FLOOR_FIELD_NUMBER: _ClassVar[int]
    FILE_FIELD_NUMBER: _ClassVar[int]
    ORDERS_ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    duration_ms: int
    event_floor: int
    events_trimmed: int
    file: str
    orders_archived: int
    def __init__(self, orders_archived: _Optional[int] = ..., events_trimmed: _Optional[int] = ..., file: _Optional[str] = ..., event_floor: _Optional[int] = ..., duration_ms: _Optional[int] = ...) -> None: ...

class AuditEntry(_message.Message):
    __slots__ = ["action", "at", "gid", "note", "pid", "sequence", "target", "uid"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    GID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    PID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    UID_FIELD_NUMBER: _ClassVar[int]
    action: AuditAction
    at: _timestamp_pb2.Timestamp
    gid: int
    note: str
    pid: int
    sequence: int
    target: str
    uid: int
    def __init__(self, sequence: _Optional[int] = ..., at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., uid: _Optional[int] = ..., gid: _Optional[int] = ..., pid: _Optional[int] = ..., action: _Optional[_Union[AuditAction, str]] = ..., target: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class BackupRequest(_message.Message):
    __slots__ = ["destination"]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    destination: str
    def __init__(self, destination: _Optional[str] = ...) -> None: ...

class BackupResponse(_message.Message):
    __slots__ = ["bytes", "destination", "duration_ms", "orders", "transaction_id"]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    DURATION_MS_FIELD_NUMBER: _ClassVar[int]
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    bytes: int
    destination: str
    duration_ms: int
    orders: int
    transaction_id: int
    def __init__(self, destination: _Optional[str] = ..., bytes: _Optional[int] = ..., orders: _Optional[int] = ..., duration_ms: _Optional[int] = ..., transaction_id: _Optional[int] = ...) -> None: ...

class ClearMoratoriumRequest(_message.Message):
    __slots__ = ["moratorium_id"]
    MORATORIUM_ID_FIELD_NUMBER: _ClassVar[int]
    moratorium_id: str
    def __init__(self, moratorium_id: _Optional[str] = ...) -> None: ...

class ClearMoratoriumResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class DatabaseSize(_message.Message):
    __slots__ = ["bytes", "entries", "name", "pages"]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PAGES_FIELD_NUMBER: _ClassVar[int]
    bytes: int
    entries: int
    name: str
    pages: int
    def __init__(self, name: _Optional[str] = ..., entries: _Optional[int] = ..., pages: _Optional[int] = ..., bytes: _Optional[int] = ...) -> None: ...

class HealthRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class HealthResponse(_message.Message):
    __slots__ = ["pid", "started_at", "status", "uptime_ms", "version"]
    PID_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    UPTIME_MS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    pid: int
    started_at: _timestamp_pb2.Timestamp
    status: ServingStatus
    uptime_ms: int
    version: str
    def __init__(self, status: _Optional[_Union[ServingStatus, str]] = ..., version: _Optional[str] = ..., uptime_ms: _Optional[int] = ..., started_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., pid: _Optional[int] = ...) -> None: ...

class ListAuditRequest(_message.Message):
    __slots__ = ["page_size", "page_token", "since", "target"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    since: _timestamp_pb2.Timestamp
    target: str
    def __init__(self, since: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., target: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListAuditResponse(_message.Message):
    __slots__ = ["entries", "next_page_token"]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[AuditEntry]
    next_page_token: str
    def __init__(self, entries: _Optional[_Iterable[_Union[AuditEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListHoldsRequest(_message.Message):
    __slots__ = ["page_size", "page_token", "reason"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    reason: _order_pb2.HoldReason
    def __init__(self, reason: _Optional[_Union[_order_pb2.HoldReason, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListHoldsResponse(_message.Message):
    __slots__ = ["next_page_token", "orders"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    orders: _containers.RepeatedCompositeFieldContainer[_order_pb2.Order]
    def __init__(self, orders: _Optional[_Iterable[_Union[_order_pb2.Order, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListMoratoriaRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListMoratoriaResponse(_message.Message):
    __slots__ = ["moratoria"]
    MORATORIA_FIELD_NUMBER: _ClassVar[int]
    moratoria: _containers.RepeatedCompositeFieldContainer[Moratorium]
    def __init__(self, moratoria: _Optional[_Iterable[_Union[Moratorium, _Mapping]]] = ...) -> None: ...

class Moratorium(_message.Message):
    __slots__ = ["description", "ends_at", "moratorium_id", "reason", "region", "starts_at"]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    MORATORIUM_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    description: str
    ends_at: _timestamp_pb2.Timestamp
    moratorium_id: str
    reason: _order_pb2.HoldReason
    region: str
    starts_at: _timestamp_pb2.Timestamp
    def __init__(self, moratorium_id: _Optional[str] = ..., region: _Optional[str] = ..., reason: _Optional[_Union[_order_pb2.HoldReason, str]] = ..., starts_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., description: _Optional[str] = ...) -> None: ...

class ReleaseHoldRequest(_message.Message):
    __slots__ = ["operator_note", "order_id", "reason"]
    OPERATOR_NOTE_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    operator_note: str
    order_id: str
    reason: _order_pb2.HoldReason
    def __init__(self, order_id: _Optional[str] = ..., reason: _Optional[_Union[_order_pb2.HoldReason, str]] = ..., operator_note: _Optional[str] = ...) -> None: ...

class ReleaseHoldResponse(_message.Message):
    __slots__ = ["held_again", "held_again_count", "released"]
    HELD_AGAIN_COUNT_FIELD_NUMBER: _ClassVar[int]
    HELD_AGAIN_FIELD_NUMBER: _ClassVar[int]
    RELEASED_FIELD_NUMBER: _ClassVar[int]
    held_again: _containers.RepeatedCompositeFieldContainer[_order_pb2.Order]
    held_again_count: int
    released: int
    def __init__(self, released: _Optional[int] = ..., held_again: _Optional[_Iterable[_Union[_order_pb2.Order, _Mapping]]] = ..., held_again_count: _Optional[int] = ...) -> None: ...

class SetMoratoriumRequest(_message.Message):
    __slots__ = ["moratorium"]
    MORATORIUM_FIELD_NUMBER: _ClassVar[int]
    moratorium: Moratorium
    def __init__(self, moratorium: _Optional[_Union[Moratorium, _Mapping]] = ...) -> None: ...

class SetMoratoriumResponse(_message.Message):
    __slots__ = ["moratorium"]
    MORATORIUM_FIELD_NUMBER: _ClassVar[int]
    moratorium: Moratorium
    def __init__(self, moratorium: _Optional[_Union[Moratorium, _Mapping]] = ...) -> None: ...

class StatsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class StatsResponse(_message.Message):
    __slots__ = ["archive_runs", "calls_total", "commits", "connections", "devices_total", "event_floor", "events_head", "file_bytes", "free_pages", "largest_databases", "last_archive_at", "last_archive_file", "map_size_bytes", "max_readers", "mean_commit_batch", "oldest_reader_age_ms", "orders_archived", "orders_by_status", "orders_total", "page_size", "readers_used", "store_bytes", "used_pages"]
    ARCHIVE_RUNS_FIELD_NUMBER: _ClassVar[int]
    CALLS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    COMMITS_FIELD_NUMBER: _ClassVar[int]
    CONNECTIONS_FIELD_NUMBER: _ClassVar[int]
    DEVICES_TOTAL_FIELD_NUMBER: _ClassVar[int]
    EVENTS_HEAD_FIELD_NUMBER: _ClassVar[int]
    EVENT_FLOOR_FIELD_NUMBER: _ClassVar[int]
    FILE_BYTES_FIELD_NUMBER: _ClassVar[int]
    FREE_PAGES_FIELD_NUMBER: _ClassVar[int]
    LARGEST_DATABASES_FIELD_NUMBER: _ClassVar[int]
    LAST_ARCHIVE_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_ARCHIVE_FILE_FIELD_NUMBER: _ClassVar[int]
    MAP_SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    MAX_READERS_FIELD_NUMBER: _ClassVar[int]
    MEAN_COMMIT_BATCH_FIELD_NUMBER: _ClassVar[int]
    OLDEST_READER_AGE_MS_FIELD_NUMBER: _ClassVar[int]
    ORDERS_ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    ORDERS_BY_STATUS_FIELD_NUMBER: _ClassVar[int]
    ORDERS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    READERS_USED_FIELD_NUMBER: _ClassVar[int]
    STORE_BYTES_FIELD_NUMBER: _ClassVar[int]
    USED_PAGES_FIELD_NUMBER: _ClassVar[int]
    archive_runs: int
    calls_total: int
    commits: int
    connections: int
    devices_total: int
    event_floor: int
    events_head: int
    file_bytes: int
    free_pages: int
    largest_databases: _containers.RepeatedCompositeFieldContainer[DatabaseSize]
    last_archive_at: _timestamp_pb2.Timestamp
    last_archive_file: str
    map_size_bytes: int
    max_readers: int
    mean_commit_batch: float
    oldest_reader_age_ms: int
    orders_archived: int
    orders_by_status: _containers.RepeatedCompositeFieldContainer[StatusCount]
    orders_total: int
    page_size: int
    readers_used: int
    store_bytes: int
    used_pages: int
    def __init__(self, orders_total: _Optional[int] = ..., orders_by_status: _Optional[_Iterable[_Union[StatusCount, _Mapping]]] = ..., events_head: _Optional[int] = ..., connections: _Optional[int] = ..., calls_total: _Optional[int] = ..., store_bytes: _Optional[int] = ..., map_size_bytes: _Optional[int] = ..., commits: _Optional[int] = ..., mean_commit_batch: _Optional[float] = ..., devices_total: _Optional[int] = ..., file_bytes: _Optional[int] = ..., page_size: _Optional[int] = ..., used_pages: _Optional[int] = ..., free_pages: _Optional[int] = ..., readers_used: _Optional[int] = ..., max_readers: _Optional[int] = ..., oldest_reader_age_ms: _Optional[int] = ..., largest_databases: _Optional[_Iterable[_Union[DatabaseSize, _Mapping]]] = ..., event_floor: _Optional[int] = ..., archive_runs: _Optional[int] = ..., orders_archived: _Optional[int] = ..., last_archive_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., last_archive_file: _Optional[str] = ...) -> None: ...

class StatusCount(_message.Message):
    __slots__ = ["count", "status"]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    count: int
    status: _order_pb2.OrderStatus
    def __init__(self, status: _Optional[_Union[_order_pb2.OrderStatus, str]] = ..., count: _Optional[int] = ...) -> None: ...

class ServingStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class AuditAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

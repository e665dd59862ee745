from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CallHeader(_message.Message):
    __slots__ = ["metadata", "method", "timeout_us"]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_US_FIELD_NUMBER: _ClassVar[int]
    metadata: _containers.RepeatedCompositeFieldContainer[MetadataEntry]
    method: str
    timeout_us: int
    def __init__(self, method: _Optional[str] = ..., timeout_us: _Optional[int] = ..., metadata: _Optional[_Iterable[_Union[MetadataEntry, _Mapping]]] = ...) -> None: ...

class CallStatus(_message.Message):
    __slots__ = ["code", "details", "message", "trailers"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TRAILERS_FIELD_NUMBER: _ClassVar[int]
    code: int
    details: _containers.RepeatedCompositeFieldContainer[MetadataEntry]
    message: str
    trailers: _containers.RepeatedCompositeFieldContainer[MetadataEntry]
    def __init__(self, code: _Optional[int] = ..., message: _Optional[str] = ..., details: _Optional[_Iterable[_Union[MetadataEntry, _Mapping]]] = ..., trailers: _Optional[_Iterable[_Union[MetadataEntry, _Mapping]]] = ...) -> None: ...

class ConnectionSettings(_message.Message):
    __slots__ = ["agent", "idle_timeout_ms", "initial_stream_credit", "max_concurrent_streams", "max_frame_size"]
    AGENT_FIELD_NUMBER: _ClassVar[int]
    IDLE_TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    INITIAL_STREAM_CREDIT_FIELD_NUMBER: _ClassVar[int]
    MAX_CONCURRENT_STREAMS_FIELD_NUMBER: _ClassVar[int]
    MAX_FRAME_SIZE_FIELD_NUMBER: _ClassVar[int]
    agent: str
    idle_timeout_ms: int
    initial_stream_credit: int
    max_concurrent_streams: int
    max_frame_size: int
    def __init__(self, max_frame_size: _Optional[int] = ..., max_concurrent_streams: _Optional[int] = ..., initial_stream_credit: _Optional[int] = ..., idle_timeout_ms: _Optional[int] = ..., agent: _Optional[str] = ...) -> None: ...

class EchoMessage(_message.Message):
    __slots__ = ["payload", "repeat"]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    REPEAT_FIELD_NUMBER: _ClassVar[int]
    payload: bytes
    repeat: int
    def __init__(self, payload: _Optional[bytes] = ..., repeat: _Optional[int] = ...) -> None: ...

class GoAway(_message.Message):
    __slots__ = ["code", "last_stream_id", "reason"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    LAST_STREAM_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    code: int
    last_stream_id: int
    reason: str
    def __init__(self, last_stream_id: _Optional[int] = ..., code: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class MetadataEntry(_message.Message):
    __slots__ = ["key", "value"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    key: str
    value: str
    def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

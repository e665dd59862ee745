from somclient._pb import device_pb2 as _device_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetDeviceRequest(_message.Message):
    __slots__ = ["service_point_id"]
    SERVICE_POINT_ID_FIELD_NUMBER: _ClassVar[int]
    service_point_id: str
    def __init__(self, service_point_id: _Optional[str] = ...) -> None: ...

class GetDeviceResponse(_message.Message):
    __slots__ = ["device"]
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    device: _device_pb2.ServicePointDevice
    def __init__(self, device: _Optional[_Union[_device_pb2.ServicePointDevice, _Mapping]] = ...) -> None: ...

class UpsertDeviceResult(_message.Message):
    __slots__ = ["code", "field", "index", "ok", "reason"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    OK_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    code: int
    field: str
    index: int
    ok: bool
    reason: str
    def __init__(self, index: _Optional[int] = ..., ok: bool = ..., code: _Optional[int] = ..., field: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class UpsertDevicesChunk(_message.Message):
    __slots__ = ["chunk_id", "devices"]
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICES_FIELD_NUMBER: _ClassVar[int]
    chunk_id: int
    devices: _containers.RepeatedCompositeFieldContainer[_device_pb2.ServicePointDevice]
    def __init__(self, chunk_id: _Optional[int] = ..., devices: _Optional[_Iterable[_Union[_device_pb2.ServicePointDevice, _Mapping]]] = ...) -> None: ...

class UpsertDevicesChunkResult(_message.Message):
    __slots__ = ["chunk_id", "items", "rejected", "upserted"]
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    UPSERTED_FIELD_NUMBER: _ClassVar[int]
    chunk_id: int
    items: _containers.RepeatedCompositeFieldContainer[UpsertDeviceResult]
    rejected: int
    upserted: int
    def __init__(self, chunk_id: _Optional[int] = ..., items: _Optional[_Iterable[_Union[UpsertDeviceResult, _Mapping]]] = ..., upserted: _Optional[int] = ..., rejected: _Optional[int] = ...) -> None: ...

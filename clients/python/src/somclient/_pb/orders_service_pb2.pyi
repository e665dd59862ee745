from google.protobuf import timestamp_pb2 as _timestamp_pb2
from somclient._pb import order_pb2 as _order_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
ITEM_DISPOSITION_ACCEPTED: ItemDisposition
ITEM_DISPOSITION_DUPLICATE: ItemDisposition
ITEM_DISPOSITION_REJECTED: ItemDisposition
ITEM_DISPOSITION_UNSPECIFIED: ItemDisposition

class CancelOrderRequest(_message.Message):
    __slots__ = ["by_source", "order_id", "reason"]
    BY_SOURCE_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    by_source: bool
    order_id: str
    reason: str
    def __init__(self, order_id: _Optional[str] = ..., reason: _Optional[str] = ..., by_source: bool = ...) -> None: ...

class CancelOrderResponse(_message.Message):
    __slots__ = ["order"]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    order: _order_pb2.Order
    def __init__(self, order: _Optional[_Union[_order_pb2.Order, _Mapping]] = ...) -> None: ...

class GetOrderRequest(_message.Message):
    __slots__ = ["order_id"]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    def __init__(self, order_id: _Optional[str] = ...) -> None: ...

class GetOrderResponse(_message.Message):
    __slots__ = ["order"]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    order: _order_pb2.Order
    def __init__(self, order: _Optional[_Union[_order_pb2.Order, _Mapping]] = ...) -> None: ...

class ListOrdersRequest(_message.Message):
    __slots__ = ["order_type", "page_size", "page_token", "received_from", "received_to", "service_point_id", "source_system", "status"]
    ORDER_TYPE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_FROM_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_TO_FIELD_NUMBER: _ClassVar[int]
    SERVICE_POINT_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_SYSTEM_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    order_type: _order_pb2.OrderType
    page_size: int
    page_token: str
    received_from: _timestamp_pb2.Timestamp
    received_to: _timestamp_pb2.Timestamp
    service_point_id: str
    source_system: _order_pb2.SourceSystem
    status: _order_pb2.OrderStatus
    def __init__(self, service_point_id: _Optional[str] = ..., status: _Optional[_Union[_order_pb2.OrderStatus, str]] = ..., source_system: _Optional[_Union[_order_pb2.SourceSystem, str]] = ..., order_type: _Optional[_Union[_order_pb2.OrderType, str]] = ..., received_from: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., received_to: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListOrdersResponse(_message.Message):
    __slots__ = ["next_page_token", "orders"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    orders: _containers.RepeatedCompositeFieldContainer[_order_pb2.Order]
    def __init__(self, orders: _Optional[_Iterable[_Union[_order_pb2.Order, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class SubmitBatchChunk(_message.Message):
    __slots__ = ["chunk_id", "requests"]
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    chunk_id: int
    requests: _containers.RepeatedCompositeFieldContainer[_order_pb2.ServiceOrderRequest]
    def __init__(self, chunk_id: _Optional[int] = ..., requests: _Optional[_Iterable[_Union[_order_pb2.ServiceOrderRequest, _Mapping]]] = ...) -> None: ...

class SubmitBatchChunkResult(_message.Message):
    __slots__ = ["accepted", "chunk_id", "duplicates", "items", "rejected"]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    accepted: int
    chunk_id: int
    duplicates: int
    items: _containers.RepeatedCompositeFieldContainer[SubmitBatchItemResult]
    rejected: int
    def __init__(self, chunk_id: _Optional[int] = ..., items: _Optional[_Iterable[_Union[SubmitBatchItemResult, _Mapping]]] = ..., accepted: _Optional[int] = ..., duplicates: _Optional[int] = ..., rejected: _Optional[int] = ...) -> None: ...

class SubmitBatchItemResult(_message.Message):
    __slots__ = ["code", "disposition", "field", "index", "order_id", "reason"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    DISPOSITION_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    code: int
    disposition: ItemDisposition
    field: str
    index: int
    order_id: str
    reason: str
    def __init__(self, index: _Optional[int] = ..., disposition: _Optional[_Union[ItemDisposition, str]] = ..., order_id: _Optional[str] = ..., code: _Optional[int] = ..., field: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class SubmitOrderRequest(_message.Message):
    __slots__ = ["request"]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: _order_pb2.ServiceOrderRequest
    def __init__(self, request: _Optional[_Union[_order_pb2.ServiceOrderRequest, _Mapping]] = ...) -> None: ...

class SubmitOrderResponse(_message.Message):
    __slots__ = ["duplicate", "order"]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    duplicate: bool
    order: _order_pb2.Order
    def __init__(self, order: _Optional[_Union[_order_pb2.Order, _Mapping]] = ..., duplicate: bool = ...) -> None: ...

class WatchOrdersRequest(_message.Message):
    __slots__ = ["from_sequence", "order_id", "order_type", "service_point_id", "source_system"]
    FROM_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_TYPE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_POINT_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_SYSTEM_FIELD_NUMBER: _ClassVar[int]
    from_sequence: int
    order_id: str
    order_type: _order_pb2.OrderType
    service_point_id: str
    source_system: _order_pb2.SourceSystem
    def __init__(self, from_sequence: _Optional[int] = ..., order_id: _Optional[str] = ..., service_point_id: _Optional[str] = ..., source_system: _Optional[_Union[_order_pb2.SourceSystem, str]] = ..., order_type: _Optional[_Union[_order_pb2.OrderType, str]] = ...) -> None: ...

class WatchOrdersResponse(_message.Message):
    __slots__ = ["events", "head_sequence"]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    HEAD_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[_order_pb2.OrderEvent]
    head_sequence: int
    def __init__(self, events: _Optional[_Iterable[_Union[_order_pb2.OrderEvent, _Mapping]]] = ..., head_sequence: _Optional[int] = ...) -> None: ...

class ItemDisposition(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

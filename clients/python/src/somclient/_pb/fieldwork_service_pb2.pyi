from google.protobuf import timestamp_pb2 as _timestamp_pb2
from somclient._pb import device_pb2 as _device_pb2
from somclient._pb import order_pb2 as _order_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AcknowledgeCancelRequest(_message.Message):
    __slots__ = ["activity_id", "at", "remarks"]
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    REMARKS_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    at: _timestamp_pb2.Timestamp
    remarks: str
    def __init__(self, activity_id: _Optional[str] = ..., remarks: _Optional[str] = ..., at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AcknowledgeCancelResponse(_message.Message):
    __slots__ = ["applied"]
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    applied: bool
    def __init__(self, applied: bool = ...) -> None: ...

class CompleteFieldWorkRequest(_message.Message):
    __slots__ = ["activity_id", "at", "disconnect_location", "installed_gateway_id", "installed_meter_id", "installed_technology", "readings", "remarks", "removed_meter_id", "supply_state_after"]
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    DISCONNECT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    INSTALLED_GATEWAY_ID_FIELD_NUMBER: _ClassVar[int]
    INSTALLED_METER_ID_FIELD_NUMBER: _ClassVar[int]
    INSTALLED_TECHNOLOGY_FIELD_NUMBER: _ClassVar[int]
    READINGS_FIELD_NUMBER: _ClassVar[int]
    REMARKS_FIELD_NUMBER: _ClassVar[int]
    REMOVED_METER_ID_FIELD_NUMBER: _ClassVar[int]
    SUPPLY_STATE_AFTER_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    at: _timestamp_pb2.Timestamp
    disconnect_location: _device_pb2.DisconnectLocation
    installed_gateway_id: str
    installed_meter_id: str
    installed_technology: _device_pb2.MeterTechnology
    readings: _containers.RepeatedCompositeFieldContainer[_device_pb2.Reading]
    remarks: str
    removed_meter_id: str
    supply_state_after: _device_pb2.SupplyState
    def __init__(self, activity_id: _Optional[str] = ..., readings: _Optional[_Iterable[_Union[_device_pb2.Reading, _Mapping]]] = ..., remarks: _Optional[str] = ..., disconnect_location: _Optional[_Union[_device_pb2.DisconnectLocation, str]] = ..., installed_meter_id: _Optional[str] = ..., installed_technology: _Optional[_Union[_device_pb2.MeterTechnology, str]] = ..., installed_gateway_id: _Optional[str] = ..., removed_meter_id: _Optional[str] = ..., supply_state_after: _Optional[_Union[_device_pb2.SupplyState, str]] = ..., at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CompleteFieldWorkResponse(_message.Message):
    __slots__ = ["applied"]
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    applied: bool
    def __init__(self, applied: bool = ...) -> None: ...

class FieldWorkBatch(_message.Message):
    __slots__ = ["items"]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[FieldWorkItem]
    def __init__(self, items: _Optional[_Iterable[_Union[FieldWorkItem, _Mapping]]] = ...) -> None: ...

class FieldWorkItem(_message.Message):
    __slots__ = ["activity_id", "appointment_window", "attempt", "cancel_requested", "combined_with", "contact", "disconnect_location", "due_at", "expires_at", "gateway_id", "lease_expires_at", "meter_id", "meter_technology", "new_meter_id", "notes", "order_id", "order_type", "pool", "priority", "service_point_id", "type"]
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    APPOINTMENT_WINDOW_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    CANCEL_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    COMBINED_WITH_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    DISCONNECT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    GATEWAY_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    METER_ID_FIELD_NUMBER: _ClassVar[int]
    METER_TECHNOLOGY_FIELD_NUMBER: _ClassVar[int]
    NEW_METER_ID_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_TYPE_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    SERVICE_POINT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    appointment_window: _order_pb2.TimeWindow
    attempt: int
    cancel_requested: bool
    combined_with: _containers.RepeatedScalarFieldContainer[_order_pb2.FieldActivityType]
    contact: _order_pb2.Contact
    disconnect_location: _device_pb2.DisconnectLocation
    due_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    gateway_id: str
    lease_expires_at: _timestamp_pb2.Timestamp
    meter_id: str
    meter_technology: _device_pb2.MeterTechnology
    new_meter_id: str
    notes: str
    order_id: str
    order_type: _order_pb2.OrderType
    pool: str
    priority: _order_pb2.Priority
    service_point_id: str
    type: _order_pb2.FieldActivityType
    def __init__(self, activity_id: _Optional[str] = ..., type: _Optional[_Union[_order_pb2.FieldActivityType, str]] = ..., order_id: _Optional[str] = ..., order_type: _Optional[_Union[_order_pb2.OrderType, str]] = ..., service_point_id: _Optional[str] = ..., meter_id: _Optional[str] = ..., priority: _Optional[_Union[_order_pb2.Priority, str]] = ..., appointment_window: _Optional[_Union[_order_pb2.TimeWindow, _Mapping]] = ..., contact: _Optional[_Union[_order_pb2.Contact, _Mapping]] = ..., disconnect_location: _Optional[_Union[_device_pb2.DisconnectLocation, str]] = ..., notes: _Optional[str] = ..., attempt: _Optional[int] = ..., lease_expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., cancel_requested: bool = ..., new_meter_id: _Optional[str] = ..., meter_technology: _Optional[_Union[_device_pb2.MeterTechnology, str]] = ..., gateway_id: _Optional[str] = ..., due_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., pool: _Optional[str] = ..., combined_with: _Optional[_Iterable[_Union[_order_pb2.FieldActivityType, str]]] = ...) -> None: ...

class FieldWorkStatsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class FieldWorkStatsResponse(_message.Message):
    __slots__ = ["completed", "dispatched", "lease_expiries", "not_done", "queued"]
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    DISPATCHED_FIELD_NUMBER: _ClassVar[int]
    LEASE_EXPIRIES_FIELD_NUMBER: _ClassVar[int]
    NOT_DONE_FIELD_NUMBER: _ClassVar[int]
    QUEUED_FIELD_NUMBER: _ClassVar[int]
    completed: int
    dispatched: int
    lease_expiries: int
    not_done: int
    queued: int
    def __init__(self, queued: _Optional[int] = ..., dispatched: _Optional[int] = ..., completed: _Optional[int] = ..., not_done: _Optional[int] = ..., lease_expiries: _Optional[int] = ...) -> None: ...

class FieldWorkUpdateRequest(_message.Message):
    __slots__ = ["activity_id", "appointment", "at", "crew_id", "remarks", "status"]
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    APPOINTMENT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    CREW_ID_FIELD_NUMBER: _ClassVar[int]
    REMARKS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    appointment: _order_pb2.TimeWindow
    at: _timestamp_pb2.Timestamp
    crew_id: str
    remarks: str
    status: _order_pb2.ActivityStatus
    def __init__(self, activity_id: _Optional[str] = ..., status: _Optional[_Union[_order_pb2.ActivityStatus, str]] = ..., appointment: _Optional[_Union[_order_pb2.TimeWindow, _Mapping]] = ..., crew_id: _Optional[str] = ..., remarks: _Optional[str] = ..., at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class FieldWorkUpdateResponse(_message.Message):
    __slots__ = ["applied"]
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    applied: bool
    def __init__(self, applied: bool = ...) -> None: ...

class NotDoneFieldWorkRequest(_message.Message):
    __slots__ = ["activity_id", "at", "reason", "remarks"]
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REMARKS_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    at: _timestamp_pb2.Timestamp
    reason: _order_pb2.NotDoneReason
    remarks: str
    def __init__(self, activity_id: _Optional[str] = ..., reason: _Optional[_Union[_order_pb2.NotDoneReason, str]] = ..., remarks: _Optional[str] = ..., at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class NotDoneFieldWorkResponse(_message.Message):
    __slots__ = ["applied"]
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    applied: bool
    def __init__(self, applied: bool = ...) -> None: ...

class PullFieldWorkRequest(_message.Message):
    __slots__ = ["lease_ms", "max_items", "pool"]
    LEASE_MS_FIELD_NUMBER: _ClassVar[int]
    MAX_ITEMS_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    lease_ms: int
    max_items: int
    pool: str
    def __init__(self, pool: _Optional[str] = ..., max_items: _Optional[int] = ..., lease_ms: _Optional[int] = ...) -> None: ...

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from somclient._pb import device_pb2 as _device_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

ACTIVITY_STATUS_ACCEPTED: ActivityStatus
ACTIVITY_STATUS_APPOINTED: ActivityStatus
ACTIVITY_STATUS_ASSIGNED: ActivityStatus
ACTIVITY_STATUS_CANCELLED: ActivityStatus
ACTIVITY_STATUS_DISPATCHED: ActivityStatus
ACTIVITY_STATUS_EXPIRED: ActivityStatus
ACTIVITY_STATUS_FAILED: ActivityStatus
ACTIVITY_STATUS_NOT_DONE: ActivityStatus
ACTIVITY_STATUS_ON_SITE: ActivityStatus
ACTIVITY_STATUS_OUTCOME_UNKNOWN: ActivityStatus
ACTIVITY_STATUS_QUARANTINED: ActivityStatus
ACTIVITY_STATUS_QUEUED: ActivityStatus
ACTIVITY_STATUS_SUCCEEDED: ActivityStatus
ACTIVITY_STATUS_UNSPECIFIED: ActivityStatus
COMMAND_TYPE_ARM: CommandType
COMMAND_TYPE_COMMISSION: CommandType
COMMAND_TYPE_CONFIGURE: CommandType
COMMAND_TYPE_DECOMMISSION: CommandType
COMMAND_TYPE_LOAD_LIMIT: CommandType
COMMAND_TYPE_ON_DEMAND_READ: CommandType
COMMAND_TYPE_REMOTE_CONNECT: CommandType
COMMAND_TYPE_REMOTE_DISCONNECT: CommandType
COMMAND_TYPE_STATUS_CHECK: CommandType
COMMAND_TYPE_UNSPECIFIED: CommandType
DESCRIPTOR: _descriptor.FileDescriptor
FAILURE_CLASS_PERMANENT: FailureClass
FAILURE_CLASS_SAFETY_REFUSED: FailureClass
FAILURE_CLASS_TRANSIENT: FailureClass
FAILURE_CLASS_UNKNOWN: FailureClass
FAILURE_CLASS_UNSPECIFIED: FailureClass
FIELD_ACTIVITY_TYPE_CONNECT_AT_SOURCE: FieldActivityType
FIELD_ACTIVITY_TYPE_EXCHANGE: FieldActivityType
FIELD_ACTIVITY_TYPE_INSTALL: FieldActivityType
FIELD_ACTIVITY_TYPE_INVESTIGATE: FieldActivityType
FIELD_ACTIVITY_TYPE_READ: FieldActivityType
FIELD_ACTIVITY_TYPE_RECONNECT: FieldActivityType
FIELD_ACTIVITY_TYPE_REMOVE: FieldActivityType
FIELD_ACTIVITY_TYPE_TEST: FieldActivityType
FIELD_ACTIVITY_TYPE_TURN_OFF: FieldActivityType
FIELD_ACTIVITY_TYPE_TURN_ON: FieldActivityType
FIELD_ACTIVITY_TYPE_UNSPECIFIED: FieldActivityType
HOLD_REASON_CRITICAL_CARE: HoldReason
HOLD_REASON_DISCONNECT_CALENDAR: HoldReason
HOLD_REASON_MASS_DISCONNECT_GUARDRAIL: HoldReason
HOLD_REASON_MORATORIUM: HoldReason
HOLD_REASON_OPERATOR: HoldReason
HOLD_REASON_SAFETY: HoldReason
HOLD_REASON_STORM_MODE: HoldReason
HOLD_REASON_UNKNOWN_GATEWAY: HoldReason
HOLD_REASON_UNSPECIFIED: HoldReason
NOT_DONE_REASON_CUSTOMER_REFUSED: NotDoneReason
NOT_DONE_REASON_NO_ACCESS: NotDoneReason
NOT_DONE_REASON_OTHER: NotDoneReason
NOT_DONE_REASON_PAID_AT_DOOR: NotDoneReason
NOT_DONE_REASON_UNSAFE: NotDoneReason
NOT_DONE_REASON_UNSPECIFIED: NotDoneReason
ORDER_EVENT_TYPE_ACTIVITY_CREATED: OrderEventType
ORDER_EVENT_TYPE_ACTIVITY_UPDATED: OrderEventType
ORDER_EVENT_TYPE_CANCELLED: OrderEventType
ORDER_EVENT_TYPE_CANCEL_REQUESTED: OrderEventType
ORDER_EVENT_TYPE_COMPLETED: OrderEventType
ORDER_EVENT_TYPE_DEVICE_UPDATED: OrderEventType
ORDER_EVENT_TYPE_FAILED: OrderEventType
ORDER_EVENT_TYPE_HELD: OrderEventType
ORDER_EVENT_TYPE_NOTED: OrderEventType
ORDER_EVENT_TYPE_READING_RECORDED: OrderEventType
ORDER_EVENT_TYPE_RECEIVED: OrderEventType
ORDER_EVENT_TYPE_REJECTED: OrderEventType
ORDER_EVENT_TYPE_RELEASED: OrderEventType
ORDER_EVENT_TYPE_STATUS_CHANGED: OrderEventType
ORDER_EVENT_TYPE_SUPERSEDED: OrderEventType
ORDER_EVENT_TYPE_UNSPECIFIED: OrderEventType
ORDER_STATUS_CANCELLED: OrderStatus
ORDER_STATUS_COMPLETED: OrderStatus
ORDER_STATUS_FAILED: OrderStatus
ORDER_STATUS_HELD: OrderStatus
ORDER_STATUS_IN_PROGRESS: OrderStatus
ORDER_STATUS_RECEIVED: OrderStatus
ORDER_STATUS_REJECTED: OrderStatus
ORDER_STATUS_SCHEDULED: OrderStatus
ORDER_STATUS_SUPERSEDED: OrderStatus
ORDER_STATUS_UNSPECIFIED: OrderStatus
ORDER_SUB_STATUS_AWAITING_COMMAND: OrderSubStatus
ORDER_SUB_STATUS_AWAITING_CUSTOMER: OrderSubStatus
ORDER_SUB_STATUS_AWAITING_FIELD_WORK: OrderSubStatus
ORDER_SUB_STATUS_AWAITING_OTHER_ORDER: OrderSubStatus
ORDER_SUB_STATUS_AWAITING_READING: OrderSubStatus
ORDER_SUB_STATUS_QUARANTINED: OrderSubStatus
ORDER_SUB_STATUS_UNSPECIFIED: OrderSubStatus
ORDER_TYPE_BACK_TO_BACK: OrderType
ORDER_TYPE_CUT_FOR_NON_PAYMENT: OrderType
ORDER_TYPE_DEVICE_TEST: OrderType
ORDER_TYPE_DISABLE_SERVICE: OrderType
ORDER_TYPE_ENABLE_SERVICE: OrderType
ORDER_TYPE_EXCHANGE_METER: OrderType
ORDER_TYPE_INSTALL_METER: OrderType
ORDER_TYPE_INVESTIGATE: OrderType
ORDER_TYPE_OFF_CYCLE_READ: OrderType
ORDER_TYPE_RECONNECT_FOR_PAYMENT: OrderType
ORDER_TYPE_REMOVE_METER: OrderType
ORDER_TYPE_UNSPECIFIED: OrderType
OUTCOME_AUTO_VOIDED: Outcome
OUTCOME_CANCELLED_BY_OPERATOR: Outcome
OUTCOME_CANCELLED_BY_SOURCE: Outcome
OUTCOME_COMPLETED_FIELD: Outcome
OUTCOME_COMPLETED_REMOTE: Outcome
OUTCOME_FAILED: Outcome
OUTCOME_NO_ACTION_NEEDED: Outcome
OUTCOME_SUPERSEDED: Outcome
OUTCOME_UNSPECIFIED: Outcome
PRIORITY_CUT_FOR_NON_PAYMENT: Priority
PRIORITY_EMERGENCY: Priority
PRIORITY_METER_WORK: Priority
PRIORITY_READS_AND_DEVICE_WORK: Priority
PRIORITY_RECONNECT: Priority
PRIORITY_SERVICE_CHANGE: Priority
PRIORITY_UNSPECIFIED: Priority
SOURCE_SYSTEM_ANALYTICS: SourceSystem
SOURCE_SYSTEM_CIS: SourceSystem
SOURCE_SYSTEM_MDM: SourceSystem
SOURCE_SYSTEM_ODM: SourceSystem
SOURCE_SYSTEM_OPERATOR: SourceSystem
SOURCE_SYSTEM_UNSPECIFIED: SourceSystem

class Activity(_message.Message):
    __slots__ = ["activity_id", "attempts", "combined_with", "command", "created_at", "disconnect_location", "due_at", "expires_at", "field_activity", "gateway_id", "meter_id", "meter_technology", "new_meter_id", "not_done_reason", "priority", "reading", "remarks", "status", "supply_state_found", "updated_at", "verification"]
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    COMBINED_WITH_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DISCONNECT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    FIELD_ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    GATEWAY_ID_FIELD_NUMBER: _ClassVar[int]
    METER_ID_FIELD_NUMBER: _ClassVar[int]
    METER_TECHNOLOGY_FIELD_NUMBER: _ClassVar[int]
    NEW_METER_ID_FIELD_NUMBER: _ClassVar[int]
    NOT_DONE_REASON_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    READING_FIELD_NUMBER: _ClassVar[int]
    REMARKS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUPPLY_STATE_FOUND_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    attempts: _containers.RepeatedCompositeFieldContainer[Attempt]
    combined_with: _containers.RepeatedScalarFieldContainer[FieldActivityType]
    command: CommandType
    created_at: _timestamp_pb2.Timestamp
    disconnect_location: _device_pb2.DisconnectLocation
    due_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    field_activity: FieldActivityType
    gateway_id: str
    meter_id: str
    meter_technology: _device_pb2.MeterTechnology
    new_meter_id: str
    not_done_reason: NotDoneReason
    priority: Priority
    reading: _device_pb2.Reading
    remarks: str
    status: ActivityStatus
    supply_state_found: _device_pb2.SupplyState
    updated_at: _timestamp_pb2.Timestamp
    verification: bool
    def __init__(self, activity_id: _Optional[str] = ..., command: _Optional[_Union[CommandType, str]] = ..., field_activity: _Optional[_Union[FieldActivityType, str]] = ..., status: _Optional[_Union[ActivityStatus, str]] = ..., attempts: _Optional[_Iterable[_Union[Attempt, _Mapping]]] = ..., gateway_id: _Optional[str] = ..., priority: _Optional[_Union[Priority, str]] = ..., due_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., reading: _Optional[_Union[_device_pb2.Reading, _Mapping]] = ..., disconnect_location: _Optional[_Union[_device_pb2.DisconnectLocation, str]] = ..., remarks: _Optional[str] = ..., not_done_reason: _Optional[_Union[NotDoneReason, str]] = ..., verification: bool = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., meter_id: _Optional[str] = ..., new_meter_id: _Optional[str] = ..., meter_technology: _Optional[_Union[_device_pb2.MeterTechnology, str]] = ..., supply_state_found: _Optional[_Union[_device_pb2.SupplyState, str]] = ..., combined_with: _Optional[_Iterable[_Union[FieldActivityType, str]]] = ...) -> None: ...

class Attempt(_message.Message):
    __slots__ = ["answered_delivery", "detail", "ended_at", "failure_class", "number", "result", "started_at"]
    ANSWERED_DELIVERY_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    FAILURE_CLASS_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    answered_delivery: int
    detail: str
    ended_at: _timestamp_pb2.Timestamp
    failure_class: FailureClass
    number: int
    result: ActivityStatus
    started_at: _timestamp_pb2.Timestamp
    def __init__(self, number: _Optional[int] = ..., started_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., ended_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., result: _Optional[_Union[ActivityStatus, str]] = ..., failure_class: _Optional[_Union[FailureClass, str]] = ..., detail: _Optional[str] = ..., answered_delivery: _Optional[int] = ...) -> None: ...

class CollectionData(_message.Message):
    __slots__ = ["account_id", "amount_due_minor", "currency", "due_since", "dunning_level"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_DUE_MINOR_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DUE_SINCE_FIELD_NUMBER: _ClassVar[int]
    DUNNING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    amount_due_minor: int
    currency: str
    due_since: _timestamp_pb2.Timestamp
    dunning_level: str
    def __init__(self, account_id: _Optional[str] = ..., amount_due_minor: _Optional[int] = ..., currency: _Optional[str] = ..., due_since: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., dunning_level: _Optional[str] = ...) -> None: ...

class Contact(_message.Message):
    __slots__ = ["email", "name", "phone", "preferred_language"]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    PREFERRED_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    email: str
    name: str
    phone: str
    preferred_language: str
    def __init__(self, name: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., preferred_language: _Optional[str] = ...) -> None: ...

class Order(_message.Message):
    __slots__ = ["activities", "completed_at", "deadline", "effective_priority", "hold_reason", "last_event_seq", "next_check_at", "order_id", "outcome", "reading", "received_at", "related_order_id", "request", "status", "status_detail", "sub_status", "superseded_by", "updated_at", "version"]
    ACTIVITIES_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_PRIORITY_FIELD_NUMBER: _ClassVar[int]
    HOLD_REASON_FIELD_NUMBER: _ClassVar[int]
    LAST_EVENT_SEQ_FIELD_NUMBER: _ClassVar[int]
    NEXT_CHECK_AT_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    READING_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    RELATED_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    STATUS_DETAIL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUB_STATUS_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    activities: _containers.RepeatedCompositeFieldContainer[Activity]
    completed_at: _timestamp_pb2.Timestamp
    deadline: _timestamp_pb2.Timestamp
    effective_priority: Priority
    hold_reason: HoldReason
    last_event_seq: int
    next_check_at: _timestamp_pb2.Timestamp
    order_id: str
    outcome: Outcome
    reading: _device_pb2.Reading
    received_at: _timestamp_pb2.Timestamp
    related_order_id: str
    request: ServiceOrderRequest
    status: OrderStatus
    status_detail: str
    sub_status: OrderSubStatus
    superseded_by: str
    updated_at: _timestamp_pb2.Timestamp
    version: int
    def __init__(self, order_id: _Optional[str] = ..., request: _Optional[_Union[ServiceOrderRequest, _Mapping]] = ..., status: _Optional[_Union[OrderStatus, str]] = ..., sub_status: _Optional[_Union[OrderSubStatus, str]] = ..., hold_reason: _Optional[_Union[HoldReason, str]] = ..., status_detail: _Optional[str] = ..., outcome: _Optional[_Union[Outcome, str]] = ..., activities: _Optional[_Iterable[_Union[Activity, _Mapping]]] = ..., reading: _Optional[_Union[_device_pb2.Reading, _Mapping]] = ..., received_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., deadline: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., next_check_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., effective_priority: _Optional[_Union[Priority, str]] = ..., superseded_by: _Optional[str] = ..., related_order_id: _Optional[str] = ..., last_event_seq: _Optional[int] = ..., version: _Optional[int] = ...) -> None: ...

class OrderEvent(_message.Message):
    __slots__ = ["activity", "at", "detail", "hold_reason", "order_id", "order_type", "outcome", "reading", "sequence", "service_point_id", "source_system", "status", "sub_status", "type"]
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    HOLD_REASON_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_TYPE_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    READING_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_POINT_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_SYSTEM_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUB_STATUS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    activity: Activity
    at: _timestamp_pb2.Timestamp
    detail: str
    hold_reason: HoldReason
    order_id: str
    order_type: OrderType
    outcome: Outcome
    reading: _device_pb2.Reading
    sequence: int
    service_point_id: str
    source_system: SourceSystem
    status: OrderStatus
    sub_status: OrderSubStatus
    type: OrderEventType
    def __init__(self, sequence: _Optional[int] = ..., order_id: _Optional[str] = ..., type: _Optional[_Union[OrderEventType, str]] = ..., at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[OrderStatus, str]] = ..., sub_status: _Optional[_Union[OrderSubStatus, str]] = ..., source_system: _Optional[_Union[SourceSystem, str]] = ..., service_point_id: _Optional[str] = ..., order_type: _Optional[_Union[OrderType, str]] = ..., activity: _Optional[_Union[Activity, _Mapping]] = ..., reading: _Optional[_Union[_device_pb2.Reading, _Mapping]] = ..., detail: _Optional[str] = ..., hold_reason: _Optional[_Union[HoldReason, str]] = ..., outcome: _Optional[_Union[Outcome, str]] = ...) -> None: ...

class ServiceAgreement(_message.Message):
    __slots__ = ["account_id", "agreement_id", "customer_name"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    AGREEMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    agreement_id: str
    customer_name: str
    def __init__(self, agreement_id: _Optional[str] = ..., account_id: _Optional[str] = ..., customer_name: _Optional[str] = ...) -> None: ...

class ServiceOrderRequest(_message.Message):
    __slots__ = ["appointment_window", "cancels_source_request_id", "collection_data", "contact", "device_configuration", "incoming_agreement_id", "new_meter_id", "notes", "order_type", "outgoing_agreement_id", "priority", "requested_at", "service_agreements", "service_point_id", "source_request_id", "source_system"]
    APPOINTMENT_WINDOW_FIELD_NUMBER: _ClassVar[int]
    CANCELS_SOURCE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    COLLECTION_DATA_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    DEVICE_CONFIGURATION_FIELD_NUMBER: _ClassVar[int]
    INCOMING_AGREEMENT_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_METER_ID_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    ORDER_TYPE_FIELD_NUMBER: _ClassVar[int]
    OUTGOING_AGREEMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    SERVICE_AGREEMENTS_FIELD_NUMBER: _ClassVar[int]
    SERVICE_POINT_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_SYSTEM_FIELD_NUMBER: _ClassVar[int]
    appointment_window: TimeWindow
    cancels_source_request_id: str
    collection_data: CollectionData
    contact: Contact
    device_configuration: bytes
    incoming_agreement_id: str
    new_meter_id: str
    notes: str
    order_type: OrderType
    outgoing_agreement_id: str
    priority: Priority
    requested_at: _timestamp_pb2.Timestamp
    service_agreements: _containers.RepeatedCompositeFieldContainer[ServiceAgreement]
    service_point_id: str
    source_request_id: str
    source_system: SourceSystem
    def __init__(self, source_system: _Optional[_Union[SourceSystem, str]] = ..., source_request_id: _Optional[str] = ..., order_type: _Optional[_Union[OrderType, str]] = ..., service_point_id: _Optional[str] = ..., requested_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., priority: _Optional[_Union[Priority, str]] = ..., appointment_window: _Optional[_Union[TimeWindow, _Mapping]] = ..., service_agreements: _Optional[_Iterable[_Union[ServiceAgreement, _Mapping]]] = ..., contact: _Optional[_Union[Contact, _Mapping]] = ..., collection_data: _Optional[_Union[CollectionData, _Mapping]] = ..., notes: _Optional[str] = ..., new_meter_id: _Optional[str] = ..., outgoing_agreement_id: _Optional[str] = ..., incoming_agreement_id: _Optional[str] = ..., device_configuration: _Optional[bytes] = ..., cancels_source_request_id: _Optional[str] = ...) -> None: ...

class TimeWindow(_message.Message):
    __slots__ = ["end", "start"]
    END_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    end: _timestamp_pb2.Timestamp
    start: _timestamp_pb2.Timestamp
    def __init__(self, start: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., end: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OrderType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class SourceSystem(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Priority(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class OrderStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class OrderSubStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class HoldReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Outcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class CommandType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class FieldActivityType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ActivityStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class FailureClass(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class NotDoneReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class OrderEventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

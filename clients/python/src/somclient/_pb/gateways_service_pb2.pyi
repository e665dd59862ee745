from google.protobuf import timestamp_pb2 as _timestamp_pb2
from somclient._pb import device_pb2 as _device_pb2
from somclient._pb import order_pb2 as _order_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

COMMAND_RESULT_KIND_ACCEPTED: CommandResultKind
COMMAND_RESULT_KIND_FAILED: CommandResultKind
COMMAND_RESULT_KIND_OUTCOME_UNKNOWN: CommandResultKind
COMMAND_RESULT_KIND_SUCCEEDED: CommandResultKind
COMMAND_RESULT_KIND_UNSPECIFIED: CommandResultKind
DESCRIPTOR: _descriptor.FileDescriptor
DEVICE_FINDING_METER_REPLACED: DeviceFinding
DEVICE_FINDING_NOT_COMMISSIONED: DeviceFinding
DEVICE_FINDING_NO_SWITCH: DeviceFinding
DEVICE_FINDING_UNSPECIFIED: DeviceFinding

class Command(_message.Message):
    __slots__ = ["attempt", "command_id", "due_at", "expires_at", "gateway_id", "meter_id", "order_id", "parameters", "priority", "service_point_id", "type"]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    COMMAND_ID_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    GATEWAY_ID_FIELD_NUMBER: _ClassVar[int]
    METER_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    SERVICE_POINT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    attempt: int
    command_id: str
    due_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    gateway_id: str
    meter_id: str
    order_id: str
    parameters: bytes
    priority: _order_pb2.Priority
    service_point_id: str
    type: _order_pb2.CommandType
    def __init__(self, command_id: _Optional[str] = ..., type: _Optional[_Union[_order_pb2.CommandType, str]] = ..., service_point_id: _Optional[str] = ..., meter_id: _Optional[str] = ..., gateway_id: _Optional[str] = ..., priority: _Optional[_Union[_order_pb2.Priority, str]] = ..., due_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., attempt: _Optional[int] = ..., parameters: _Optional[bytes] = ..., order_id: _Optional[str] = ...) -> None: ...

class CommandBatch(_message.Message):
    __slots__ = ["batch_id", "commands", "gateway_id", "lease_expires_at"]
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    COMMANDS_FIELD_NUMBER: _ClassVar[int]
    GATEWAY_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    commands: _containers.RepeatedCompositeFieldContainer[Command]
    gateway_id: str
    lease_expires_at: _timestamp_pb2.Timestamp
    def __init__(self, batch_id: _Optional[str] = ..., gateway_id: _Optional[str] = ..., commands: _Optional[_Iterable[_Union[Command, _Mapping]]] = ..., lease_expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CommandResult(_message.Message):
    __slots__ = ["at", "attempt", "command_id", "detail", "failure_class", "finding", "found_meter_id", "kind", "observed_supply_state", "reading"]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    COMMAND_ID_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    FAILURE_CLASS_FIELD_NUMBER: _ClassVar[int]
    FINDING_FIELD_NUMBER: _ClassVar[int]
    FOUND_METER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OBSERVED_SUPPLY_STATE_FIELD_NUMBER: _ClassVar[int]
    READING_FIELD_NUMBER: _ClassVar[int]
    at: _timestamp_pb2.Timestamp
    attempt: int
    command_id: str
    detail: str
    failure_class: _order_pb2.FailureClass
    finding: DeviceFinding
    found_meter_id: str
    kind: CommandResultKind
    observed_supply_state: _device_pb2.SupplyState
    reading: _device_pb2.Reading
    def __init__(self, command_id: _Optional[str] = ..., kind: _Optional[_Union[CommandResultKind, str]] = ..., failure_class: _Optional[_Union[_order_pb2.FailureClass, str]] = ..., detail: _Optional[str] = ..., observed_supply_state: _Optional[_Union[_device_pb2.SupplyState, str]] = ..., reading: _Optional[_Union[_device_pb2.Reading, _Mapping]] = ..., at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., attempt: _Optional[int] = ..., finding: _Optional[_Union[DeviceFinding, str]] = ..., found_meter_id: _Optional[str] = ...) -> None: ...

class DefineGatewayRequest(_message.Message):
    __slots__ = ["gateway", "note"]
    GATEWAY_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    gateway: GatewayDefinition
    note: str
    def __init__(self, gateway: _Optional[_Union[GatewayDefinition, _Mapping]] = ..., note: _Optional[str] = ...) -> None: ...

class DefineGatewayResponse(_message.Message):
    __slots__ = ["gateway"]
    GATEWAY_FIELD_NUMBER: _ClassVar[int]
    gateway: GatewayDefinition
    def __init__(self, gateway: _Optional[_Union[GatewayDefinition, _Mapping]] = ...) -> None: ...

class ExtendLeaseRequest(_message.Message):
    __slots__ = ["batch_id", "lease_ms"]
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_MS_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    lease_ms: int
    def __init__(self, batch_id: _Optional[str] = ..., lease_ms: _Optional[int] = ...) -> None: ...

class ExtendLeaseResponse(_message.Message):
    __slots__ = ["lease_expires_at"]
    LEASE_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    lease_expires_at: _timestamp_pb2.Timestamp
    def __init__(self, lease_expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GatewayDefinition(_message.Message):
    __slots__ = ["commands_per_second", "gateway_id", "gids", "max_in_flight", "name", "uids"]
    COMMANDS_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    GATEWAY_ID_FIELD_NUMBER: _ClassVar[int]
    GIDS_FIELD_NUMBER: _ClassVar[int]
    MAX_IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    UIDS_FIELD_NUMBER: _ClassVar[int]
    commands_per_second: float
    gateway_id: str
    gids: _containers.RepeatedScalarFieldContainer[int]
    max_in_flight: int
    name: str
    uids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, gateway_id: _Optional[str] = ..., name: _Optional[str] = ..., uids: _Optional[_Iterable[int]] = ..., gids: _Optional[_Iterable[int]] = ..., commands_per_second: _Optional[float] = ..., max_in_flight: _Optional[int] = ...) -> None: ...

class GatewayStats(_message.Message):
    __slots__ = ["dead_lettered", "failed", "gateway_id", "in_flight", "lease_expiries", "queued", "rate_per_s", "succeeded"]
    DEAD_LETTERED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    GATEWAY_ID_FIELD_NUMBER: _ClassVar[int]
    IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    LEASE_EXPIRIES_FIELD_NUMBER: _ClassVar[int]
    QUEUED_FIELD_NUMBER: _ClassVar[int]
    RATE_PER_S_FIELD_NUMBER: _ClassVar[int]
    SUCCEEDED_FIELD_NUMBER: _ClassVar[int]
    dead_lettered: int
    failed: int
    gateway_id: str
    in_flight: int
    lease_expiries: int
    queued: int
    rate_per_s: float
    succeeded: int
    def __init__(self, gateway_id: _Optional[str] = ..., queued: _Optional[int] = ..., in_flight: _Optional[int] = ..., rate_per_s: _Optional[float] = ..., lease_expiries: _Optional[int] = ..., succeeded: _Optional[int] = ..., failed: _Optional[int] = ..., dead_lettered: _Optional[int] = ...) -> None: ...

class ListGatewaysRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListGatewaysResponse(_message.Message):
    __slots__ = ["gateways"]
    GATEWAYS_FIELD_NUMBER: _ClassVar[int]
    gateways: _containers.RepeatedCompositeFieldContainer[GatewayStats]
    def __init__(self, gateways: _Optional[_Iterable[_Union[GatewayStats, _Mapping]]] = ...) -> None: ...

class ListRegisteredGatewaysRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListRegisteredGatewaysResponse(_message.Message):
    __slots__ = ["enforced", "gateways"]
    ENFORCED_FIELD_NUMBER: _ClassVar[int]
    GATEWAYS_FIELD_NUMBER: _ClassVar[int]
    enforced: bool
    gateways: _containers.RepeatedCompositeFieldContainer[GatewayDefinition]
    def __init__(self, gateways: _Optional[_Iterable[_Union[GatewayDefinition, _Mapping]]] = ..., enforced: bool = ...) -> None: ...

class PullCommandsRequest(_message.Message):
    __slots__ = ["gateway_id", "lease_ms", "max_batch"]
    GATEWAY_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_MS_FIELD_NUMBER: _ClassVar[int]
    MAX_BATCH_FIELD_NUMBER: _ClassVar[int]
    gateway_id: str
    lease_ms: int
    max_batch: int
    def __init__(self, gateway_id: _Optional[str] = ..., max_batch: _Optional[int] = ..., lease_ms: _Optional[int] = ...) -> None: ...

class RemoveGatewayRequest(_message.Message):
    __slots__ = ["gateway_id", "note"]
    GATEWAY_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    gateway_id: str
    note: str
    def __init__(self, gateway_id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class RemoveGatewayResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ReportResultsRequest(_message.Message):
    __slots__ = ["gateway_id", "results"]
    GATEWAY_ID_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    gateway_id: str
    results: _containers.RepeatedCompositeFieldContainer[CommandResult]
    def __init__(self, gateway_id: _Optional[str] = ..., results: _Optional[_Iterable[_Union[CommandResult, _Mapping]]] = ...) -> None: ...

class ReportResultsResponse(_message.Message):
    __slots__ = ["applied"]
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    applied: _containers.RepeatedScalarFieldContainer[bool]
    def __init__(self, applied: _Optional[_Iterable[bool]] = ...) -> None: ...

class CommandResultKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class DeviceFinding(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

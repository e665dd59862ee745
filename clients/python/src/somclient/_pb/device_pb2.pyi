from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

COMMODITY_ELECTRICITY: Commodity
COMMODITY_GAS: Commodity
COMMODITY_UNSPECIFIED: Commodity
COMMODITY_WATER: Commodity
DESCRIPTOR: _descriptor.FileDescriptor
DISCONNECT_LOCATION_CURB_VALVE: DisconnectLocation
DISCONNECT_LOCATION_METER_SEAL: DisconnectLocation
DISCONNECT_LOCATION_METER_SWITCH: DisconnectLocation
DISCONNECT_LOCATION_POLE: DisconnectLocation
DISCONNECT_LOCATION_SOURCE: DisconnectLocation
DISCONNECT_LOCATION_UNSPECIFIED: DisconnectLocation
METER_TECHNOLOGY_MANUAL: MeterTechnology
METER_TECHNOLOGY_NONE: MeterTechnology
METER_TECHNOLOGY_SMART_NO_SWITCH: MeterTechnology
METER_TECHNOLOGY_SMART_WITH_SWITCH: MeterTechnology
METER_TECHNOLOGY_UNSPECIFIED: MeterTechnology
READING_SOURCE_CUSTOMER: ReadingSource
READING_SOURCE_ESTIMATE: ReadingSource
READING_SOURCE_FIELD: ReadingSource
READING_SOURCE_ON_DEMAND: ReadingSource
READING_SOURCE_SCHEDULED: ReadingSource
READING_SOURCE_UNSPECIFIED: ReadingSource
SUPPLY_STATE_ARMED: SupplyState
SUPPLY_STATE_CONNECTED: SupplyState
SUPPLY_STATE_DISCONNECTED: SupplyState
SUPPLY_STATE_UNKNOWN: SupplyState
SUPPLY_STATE_UNSPECIFIED: SupplyState

class Reading(_message.Message):
    __slots__ = ["estimated", "meter_id", "read_at", "source", "unit", "value_milli"]
    ESTIMATED_FIELD_NUMBER: _ClassVar[int]
    METER_ID_FIELD_NUMBER: _ClassVar[int]
    READ_AT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    VALUE_MILLI_FIELD_NUMBER: _ClassVar[int]
    estimated: bool
    meter_id: str
    read_at: _timestamp_pb2.Timestamp
    source: ReadingSource
    unit: str
    value_milli: int
    def __init__(self, value_milli: _Optional[int] = ..., unit: _Optional[str] = ..., read_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., source: _Optional[_Union[ReadingSource, str]] = ..., meter_id: _Optional[str] = ..., estimated: bool = ...) -> None: ...

class ServicePointDevice(_message.Message):
    __slots__ = ["commissioned", "commodity", "critical_care_until", "disconnect_location", "gateway_id", "last_reading", "meter_id", "region", "service_point_id", "supply_state", "technology", "updated_at", "version"]
    COMMISSIONED_FIELD_NUMBER: _ClassVar[int]
    COMMODITY_FIELD_NUMBER: _ClassVar[int]
    CRITICAL_CARE_UNTIL_FIELD_NUMBER: _ClassVar[int]
    DISCONNECT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    GATEWAY_ID_FIELD_NUMBER: _ClassVar[int]
    LAST_READING_FIELD_NUMBER: _ClassVar[int]
    METER_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    SERVICE_POINT_ID_FIELD_NUMBER: _ClassVar[int]
    SUPPLY_STATE_FIELD_NUMBER: _ClassVar[int]
    TECHNOLOGY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    commissioned: bool
    commodity: Commodity
    critical_care_until: _timestamp_pb2.Timestamp
    disconnect_location: DisconnectLocation
    gateway_id: str
    last_reading: Reading
    meter_id: str
    region: str
    service_point_id: str
    supply_state: SupplyState
    technology: MeterTechnology
    updated_at: _timestamp_pb2.Timestamp
    version: int
    def __init__(self, service_point_id: _Optional[str] = ..., commodity: _Optional[_Union[Commodity, str]] = ..., meter_id: _Optional[str] = ..., technology: _Optional[_Union[MeterTechnology, str]] = ..., gateway_id: _Optional[str] = ..., commissioned: bool = ..., supply_state: _Optional[_Union[SupplyState, str]] = ..., disconnect_location: _Optional[_Union[DisconnectLocation, str]] = ..., last_reading: _Optional[_Union[Reading, _Mapping]] = ..., region: _Optional[str] = ..., critical_care_until: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class MeterTechnology(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class SupplyState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class DisconnectLocation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Commodity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ReadingSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

public import SOMCodec

/// One order to store: the template and its packed bytes, encoded by the caller's thread so the
/// writer thread only appends what it assigns.
public struct IntakeItem: Sendable {
    /// The order as built by intake, without id, times, version or event sequence.
    public var order: Order
    /// `order.encoded()`.
    public var encoded: [UInt8]

    /// Encodes `order` now, on the calling thread.
    public init(_ order: Order) {
        self.order = order
        self.encoded = order.encoded()
    }
}

/// The bytes the writer adds at intake, written by hand: a protobuf message may carry its fields in
/// any order and concatenated encodings merge, so the template's bytes plus these fields decode as
/// the complete order. Keeps protobuf-c (and its allocations) off the single writer thread.
enum IntakeRecords {
    /// The `Order` fields the writer assigns: order_id (1), received_at (10), updated_at (11),
    /// last_event_seq (18), version (19). The template must leave them at their defaults.
    static func appendAssigned(orderID: String, at now: Timestamp, sequence: UInt64, to bytes: inout [UInt8]) {
        ProtoWire.appendStringField(field: 1, orderID, to: &bytes)
        ProtoWire.appendTimestampField(field: 10, now, to: &bytes)
        ProtoWire.appendTimestampField(field: 11, now, to: &bytes)
        ProtoWire.appendVarintField(field: 18, sequence, to: &bytes)
        ProtoWire.appendVarintField(field: 19, 1, to: &bytes)
    }

    /// A packed `OrderEvent` of type RECEIVED, field for field what `OrderEvent.encoded()` writes.
    static func receivedEvent(
        sequence: UInt64, orderID: String, at now: Timestamp, status: OrderStatus, subStatus: OrderSubStatus,
        request: ServiceOrderRequest
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 + orderID.utf8.count + request.servicePointID.utf8.count)
        ProtoWire.appendVarintField(field: 1, sequence, to: &bytes)
        ProtoWire.appendStringField(field: 2, orderID, to: &bytes)
        ProtoWire.appendInt32Field(field: 3, OrderEventType.received.rawValue, to: &bytes)
        ProtoWire.appendTimestampField(field: 4, now, to: &bytes)
        ProtoWire.appendInt32Field(field: 5, status.rawValue, to: &bytes)
        ProtoWire.appendInt32Field(field: 6, subStatus.rawValue, to: &bytes)
        ProtoWire.appendInt32Field(field: 7, request.sourceSystem.rawValue, to: &bytes)
        ProtoWire.appendStringField(field: 8, request.servicePointID, to: &bytes)
        ProtoWire.appendInt32Field(field: 9, request.orderType.rawValue, to: &bytes)
        return bytes
    }
}

/// Hand-assembly of protobuf wire bytes for the few hot paths that splice already-packed messages
/// into a response (a stored order into `GetOrderResponse`, stored events into a watch batch)
/// instead of decoding and re-encoding them.
public enum ProtoWire {
    /// Appends `value` as a base-128 varint.
    public static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// Appends field `number` as a length-delimited record (a sub-message, string or bytes).
    public static func appendLengthDelimited(field number: UInt32, _ payload: some Collection<UInt8>, to bytes: inout [UInt8]) {
        appendVarint(UInt64(number) << 3 | 2, to: &bytes)
        appendVarint(UInt64(payload.count), to: &bytes)
        bytes.append(contentsOf: payload)
    }

    /// Appends field `number` as a varint record; proto3 omits zero, and so does this.
    public static func appendVarintField(field number: UInt32, _ value: UInt64, to bytes: inout [UInt8]) {
        guard value != 0 else { return }
        appendVarint(UInt64(number) << 3, to: &bytes)
        appendVarint(value, to: &bytes)
    }
}

extension ProtoWire {
    /// Appends an enum or int32 field; negative values are sign-extended to ten bytes, as protobuf requires.
    public static func appendInt32Field(field number: UInt32, _ value: Int32, to bytes: inout [UInt8]) {
        appendVarintField(field: number, UInt64(bitPattern: Int64(value)), to: &bytes)
    }

    /// Appends an int64 field.
    public static func appendInt64Field(field number: UInt32, _ value: Int64, to bytes: inout [UInt8]) {
        appendVarintField(field: number, UInt64(bitPattern: value), to: &bytes)
    }

    /// Appends a string field; proto3 omits the empty string, and so does this.
    public static func appendStringField(field number: UInt32, _ value: String, to bytes: inout [UInt8]) {
        guard !value.isEmpty else { return }
        appendLengthDelimited(field: number, value.utf8, to: &bytes)
    }

    /// Appends a `google.protobuf.Timestamp` sub-message field (always present, even at the epoch).
    public static func appendTimestampField(field number: UInt32, _ value: Timestamp, to bytes: inout [UInt8]) {
        var inner: [UInt8] = []
        appendInt64Field(field: 1, value.seconds, to: &inner)
        appendInt32Field(field: 2, value.nanos, to: &inner)
        appendLengthDelimited(field: number, inner, to: &bytes)
    }
}

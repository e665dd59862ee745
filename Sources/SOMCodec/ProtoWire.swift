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

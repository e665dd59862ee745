/// Reads a message's top-level fields without decoding it, for filters that look at a few scalars
/// of many stored messages (the event log's guardrail window at start): skipping a message that
/// does not match costs a pass over its bytes, not a decode.
public enum ProtoFieldScan {
    /// One top-level field as it is on the wire.
    public enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        /// A length-delimited field: its payload's range in the scanned bytes.
        case bytes(Range<Int>)
    }

    /// Calls `visit` with each top-level field in order until it returns false.
    /// - Returns: false when the bytes are not a well-formed message (the caller decodes it fully
    ///   to find out why, or skips it).
    @discardableResult
    public static func fields(_ bytes: [UInt8], in range: Range<Int>? = nil, _ visit: (_ number: UInt32, _ value: Value) -> Bool) -> Bool {
        var index = range?.lowerBound ?? 0
        let end = range?.upperBound ?? bytes.count
        while index < end {
            guard let key = varint(bytes, &index, end), key >> 3 > 0, key >> 3 <= UInt64(UInt32.max) else { return false }
            let number = UInt32(key >> 3)
            let value: Value
            switch key & 7 {
            case 0:
                guard let v = varint(bytes, &index, end) else { return false }
                value = .varint(v)
            case 1:
                guard end - index >= 8 else { return false }
                var v: UInt64 = 0
                for shift in 0..<8 { v |= UInt64(bytes[index + shift]) << (8 * UInt64(shift)) }
                index += 8
                value = .fixed64(v)
            case 2:
                guard let length = varint(bytes, &index, end), length <= UInt64(end - index) else { return false }
                value = .bytes(index..<(index + Int(length)))
                index += Int(length)
            case 5:
                guard end - index >= 4 else { return false }
                var v: UInt32 = 0
                for shift in 0..<4 { v |= UInt32(bytes[index + shift]) << (8 * UInt32(shift)) }
                index += 4
                value = .fixed32(v)
            default:
                return false
            }
            if !visit(number, value) { return true }
        }
        return true
    }

    private static func varint(_ bytes: [UInt8], _ index: inout Int, _ end: Int) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while index < end, shift < 64 {
            let byte = bytes[index]
            index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }
}

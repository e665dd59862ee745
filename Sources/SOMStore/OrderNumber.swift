/// Order numbers and their ids: "SO" and twelve decimal digits of a counter the writer assigns in commit order.
///
/// Ids are dense and increase with intake time, so the primary table is append-only (new keys
/// always land on the last page) and an id range is a time range.
public enum OrderNumber {
    static let prefix = Array("SO".utf8)
    static let digits = 12

    /// The id string for an order number.
    public static func string(_ number: UInt64) -> String {
        var bytes = prefix
        var digitsOut = [UInt8](repeating: 0x30, count: digits)
        var value = number
        var index = digits - 1
        while value > 0, index >= 0 {
            digitsOut[index] = 0x30 + UInt8(value % 10)
            value /= 10
            index -= 1
        }
        bytes += digitsOut
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The order number of an id string, or nil when it is not one of ours.
    public static func number(_ id: String) -> UInt64? {
        let utf8 = Array(id.utf8)
        guard utf8.count == prefix.count + digits, utf8.starts(with: prefix) else { return nil }
        var value: UInt64 = 0
        for byte in utf8.dropFirst(prefix.count) {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + UInt64(byte - 0x30)
        }
        return value == 0 ? nil : value
    }
}

/// The fields a JSON object has set so far, by index in the message, to refuse a field given twice
/// (also under its two names, e.g. `orderId` and `order_id`), as protobuf's own parsers do.
struct JSONFieldSet {
    private var bits: UInt64 = 0

    mutating func insert(_ index: Int) throws(JSONMappingError) {
        let bit: UInt64 = 1 << UInt64(index)
        guard bits & bit == 0 else { throw JSONMappingError("field given more than once (by its JSON or its proto name)") }
        bits |= bit
    }
}

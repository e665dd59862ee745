// proto3 JSON writes 32-bit integers as numbers and 64-bit ones as decimal strings (JavaScript
// numbers lose precision above 2^53); on input both forms are accepted for every width.

/// An integer type of the proto schema, with its proto name for error messages.
protocol ProtoJSONInteger: FixedWidthInteger, JSONFieldCodable {
    static var protoTypeName: String { get }
}

extension ProtoJSONInteger {
    static var jsonDefault: Self { 0 }
    var isJSONDefault: Bool { self == 0 }

    init(fieldJSON json: JSONValue) throws(JSONMappingError) {
        let text: String
        switch json {
        case .number(let literal): text = literal
        case .string(let literal): text = literal
        default: throw .expected("\(Self.protoTypeName) as a number or decimal string", got: json)
        }
        switch JSONNumberLiteral(text)?.integerValue {
        case nil:
            throw JSONMappingError("expected \(Self.protoTypeName) as a number or decimal string, got \(JSONValue.string(text))")
        case .fractional:
            throw JSONMappingError("expected an integer for \(Self.protoTypeName), got \(text)")
        case .outOfRange:
            throw JSONMappingError("\(text) is out of range for \(Self.protoTypeName)")
        case .exact(let negative, let magnitude):
            guard let value = Self(negative: negative, magnitude: magnitude) else {
                throw JSONMappingError("\(text) is out of range for \(Self.protoTypeName)")
            }
            self = value
        }
    }

    /// The value `±magnitude`, or nil when it does not fit.
    private init?(negative: Bool, magnitude: UInt64) {
        if !negative || magnitude == 0 {
            guard magnitude <= UInt64(Self.max) else { return nil }
            self.init(magnitude)
        } else {
            guard Self.isSigned, magnitude <= UInt64(Self.min.magnitude) else { return nil }
            // Two's complement of the magnitude, so that Int64.min (whose magnitude has no positive Int64) works.
            self.init(truncatingIfNeeded: 0 &- magnitude)
        }
    }
}

extension Int32: ProtoJSONInteger {
    static var protoTypeName: String { "int32" }
    func fieldJSON() -> JSONValue { .number(String(self)) }
}

extension UInt32: ProtoJSONInteger {
    static var protoTypeName: String { "uint32" }
    func fieldJSON() -> JSONValue { .number(String(self)) }
}

extension Int64: ProtoJSONInteger {
    static var protoTypeName: String { "int64" }
    func fieldJSON() -> JSONValue { .string(String(self)) }
}

extension UInt64: ProtoJSONInteger {
    static var protoTypeName: String { "uint64" }
    func fieldJSON() -> JSONValue { .string(String(self)) }
}

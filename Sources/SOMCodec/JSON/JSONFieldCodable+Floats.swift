// proto3 JSON writes finite floats as numbers and the rest as the strings "NaN", "Infinity" and
// "-Infinity"; on input numbers and numeric strings are accepted, and overflow is an error.

/// A floating-point type of the proto schema.
protocol ProtoJSONFloat: BinaryFloatingPoint, LosslessStringConvertible, JSONFieldCodable {
    static var protoTypeName: String { get }
}

extension ProtoJSONFloat {
    static var jsonDefault: Self { 0 }
    // -0.0 is not the default: its bits differ, and the binary encoding keeps it too.
    var isJSONDefault: Bool { self == 0 && sign == .plus }

    func fieldJSON() -> JSONValue {
        if isNaN { return .string("NaN") }
        if isInfinite { return .string(sign == .minus ? "-Infinity" : "Infinity") }
        // `description` is the shortest text that reads back to the same value, and valid JSON.
        return .number(description)
    }

    init(fieldJSON json: JSONValue) throws(JSONMappingError) {
        let text: String
        switch json {
        case .number(let literal): text = literal
        case .string("NaN"): self = .nan; return
        case .string("Infinity"): self = .infinity; return
        case .string("-Infinity"): self = -.infinity; return
        case .string(let literal): text = literal
        default: throw .expected("\(Self.protoTypeName) as a number or numeric string", got: json)
        }
        // The grammar check keeps out what Swift's parser also takes: "inf", "0x1p3", spaces.
        guard JSONNumberLiteral(text) != nil, let value = Self(text) else {
            throw JSONMappingError("expected \(Self.protoTypeName) as a number or numeric string, got \(JSONValue.string(text))")
        }
        guard value.isFinite else { throw JSONMappingError("\(text) is out of range for \(Self.protoTypeName)") }
        self = value
    }
}

extension Double: ProtoJSONFloat {
    static var protoTypeName: String { "double" }
}

extension Float: ProtoJSONFloat {
    static var protoTypeName: String { "float" }
}

/// A generated enum's JSON form: its value name, or the number for a value this build does not know.
protocol ProtoJSONEnum: JSONFieldCodable, CaseIterable where AllCases == [Self] {
    /// The fully qualified enum name, for error messages.
    static var protoEnumName: String { get }
    /// The known values' names, mapped to positions in `allCases` (cheaper than `init?(protoName:)`'s switch).
    static var protoNameIndex: JSONNameIndex { get }
    init(rawValue: Int32)
    var rawValue: Int32 { get }
    var protoName: String? { get }
}

extension ProtoJSONEnum {
    /// Builds `protoNameIndex` (generated conformances store it once).
    static func makeProtoNameIndex() -> JSONNameIndex {
        JSONNameIndex(allCases.enumerated().compactMap { position, value in value.protoName.map { ($0, position) } })
    }

    static var jsonDefault: Self { Self(rawValue: 0) }
    var isJSONDefault: Bool { rawValue == 0 }

    func fieldJSON() -> JSONValue {
        if let name = protoName { return .string(name) }
        return .number(String(rawValue))
    }

    /// Takes a value name, or any int32 number (proto3 enums are open).
    init(fieldJSON json: JSONValue) throws(JSONMappingError) {
        switch json {
        case .string(let name):
            guard let position = Self.protoNameIndex.value(for: name) else { throw JSONMappingError("unknown value \(json) for enum \(Self.protoEnumName)") }
            self = Self.allCases[position]
        case .number:
            self.init(rawValue: try Int32(fieldJSON: json))
        default:
            throw .expected("\(Self.protoEnumName) value name or number", got: json)
        }
    }
}

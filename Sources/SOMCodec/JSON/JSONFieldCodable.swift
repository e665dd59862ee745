/// A singular field type with a proto3 JSON form: the scalars, bytes and enums (messages are apart,
/// since their fields are optional and their JSON is built by generated code).
protocol JSONFieldCodable {
    /// The proto3 default: omitted on output, and what `null` means on input.
    static var jsonDefault: Self { get }
    /// True when output omits the field.
    var isJSONDefault: Bool { get }
    /// The canonical JSON form.
    func fieldJSON() -> JSONValue
    /// Reads a value from any of its accepted JSON forms; `null` is handled by the caller.
    init(fieldJSON json: JSONValue) throws(JSONMappingError)
}

extension String: JSONFieldCodable {
    static var jsonDefault: String { "" }
    var isJSONDefault: Bool { isEmpty }
    func fieldJSON() -> JSONValue { .string(self) }

    init(fieldJSON json: JSONValue) throws(JSONMappingError) {
        guard case .string(let text) = json else { throw .expected("string", got: json) }
        self = text
    }
}

extension Bool: JSONFieldCodable {
    static var jsonDefault: Bool { false }
    var isJSONDefault: Bool { !self }
    func fieldJSON() -> JSONValue { .bool(self) }

    init(fieldJSON json: JSONValue) throws(JSONMappingError) {
        guard case .bool(let value) = json else { throw .expected("true or false", got: json) }
        self = value
    }
}

extension Array: JSONFieldCodable where Element == UInt8 {
    static var jsonDefault: [UInt8] { [] }
    var isJSONDefault: Bool { isEmpty }
    func fieldJSON() -> JSONValue { .string(Base64.encode(self)) }

    init(fieldJSON json: JSONValue) throws(JSONMappingError) {
        guard case .string(let text) = json else { throw .expected("base64 string", got: json) }
        guard let bytes = Base64.decode(text) else { throw JSONMappingError("invalid base64 data") }
        self = bytes
    }
}

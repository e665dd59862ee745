/// A protobuf message of the som v1 schema with its wire encoding (through protobuf-c).
public protocol ProtoMessage: Sendable, Hashable {
    /// The fully qualified protobuf name, e.g. `som.v1.Order`.
    static var protoName: String { get }
    /// The fields in field-number order, with their JSON names.
    static var fields: [ProtoField] { get }
    /// A message with every field at its proto3 default.
    init()
    /// Decodes the protobuf wire format.
    ///
    /// - Throws: `CodecError` for truncated, malformed or oversized input; never traps.
    init(decoding bytes: some Collection<UInt8>) throws(CodecError)
    /// Encodes to the protobuf wire format.
    func encoded() -> [UInt8]
}

/// One field of a message: its number, its name in the .proto file and its JSON name.
public struct ProtoField: Sendable, Hashable {
    /// The field number.
    public let number: UInt32
    /// The snake_case name in the .proto file.
    public let name: String
    /// The lowerCamelCase name of the canonical proto3 JSON mapping.
    public let jsonName: String
    /// True for `repeated` fields.
    public let isRepeated: Bool

    /// Creates a field description (the generated code does this).
    public init(number: UInt32, name: String, jsonName: String, isRepeated: Bool) {
        self.number = number
        self.name = name
        self.jsonName = jsonName
        self.isRepeated = isRepeated
    }
}

/// Limits the codec enforces before handing bytes to protobuf-c.
public enum CodecLimits {
    /// The largest message accepted for decoding (64 MiB); frames are far smaller, this guards direct callers.
    public static let maxMessageSize = 64 << 20
}

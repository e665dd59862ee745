/// A message with the canonical proto3 JSON mapping (https://protobuf.dev/programming-guides/json/).
///
/// Output uses lowerCamelCase JSON names and omits fields at their default; input accepts JSON or
/// proto field names and rejects unknown fields, so typos in hand-written input surface as errors.
public protocol ProtoJSONMessage: ProtoMessage {
    /// The message as canonical JSON.
    ///
    /// - Throws: only for values JSON cannot express, e.g. a `Timestamp` outside 0001..9999 or with
    ///   nanos outside 0...999,999,999; the reference implementations refuse those too.
    func jsonValue() throws(JSONMappingError) -> JSONValue

    /// Reads a message from its JSON form; `null` members leave fields at their defaults.
    init(json: JSONValue) throws(JSONMappingError)
}

extension ProtoJSONMessage {
    /// The message as compact canonical JSON text.
    public func jsonString() throws(JSONMappingError) -> String {
        try jsonValue().serialized()
    }

    /// Parses JSON text and reads the message from it; syntax errors carry the byte offset in the message.
    public init(jsonString: String) throws(JSONMappingError) {
        let value: JSONValue
        do throws(JSONParseError) {
            value = try JSONValue(parsing: jsonString)
        } catch {
            throw JSONMappingError(error.description)
        }
        try self.init(json: value)
    }

    /// Parses UTF-8 JSON bytes (e.g. one line of a file) and reads the message from them.
    public init(jsonUTF8 bytes: some Collection<UInt8>) throws(JSONMappingError) {
        let value: JSONValue
        do throws(JSONParseError) {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw JSONMappingError(error.description)
        }
        try self.init(json: value)
    }
}

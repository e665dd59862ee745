/// A JSON document as parsed: object members keep their order and numbers keep their literal text.
///
/// Equality is structural and exact: member order and number spelling (`1` vs `1.0`) matter.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number as its RFC 8259 literal (e.g. `-12`, `1.5e3`), so 64-bit integers stay exact.
    /// The serializer writes the text as is: it must be a valid JSON number.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order; duplicate names are kept, as RFC 8259 leaves them to the reader.
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.elementsEqual(b) { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(1); hasher.combine(value)
        case .number(let text): hasher.combine(2); hasher.combine(text)
        case .string(let text): hasher.combine(3); hasher.combine(text)
        case .array(let elements): hasher.combine(4); hasher.combine(elements)
        case .object(let members):
            hasher.combine(5)
            hasher.combine(members.count)
            for (name, value) in members {
                hasher.combine(name)
                hasher.combine(value)
            }
        }
    }
}

extension JSONValue {
    /// The first member named `name` of an object; nil for other values or a missing name.
    public subscript(name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == name }?.1
    }

    /// A short name of the value's kind for error messages: "string", "number", "object", ...
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

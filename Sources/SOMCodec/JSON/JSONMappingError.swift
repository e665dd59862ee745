/// Why JSON does not map to a message (or a message to JSON): where, as a field path, and what.
public struct JSONMappingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field path from the top-level message, e.g. `request.serviceAgreements[1].accountId`;
    /// empty when the problem is the document itself.
    public var path: String
    /// What is wrong there.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

extension JSONMappingError {
    init(_ message: String) {
        self.init(path: "", message: message)
    }

    /// The same error seen from one level up: `component` is a member name or an `[index]`.
    func within(_ component: String) -> JSONMappingError {
        if path.isEmpty { return JSONMappingError(path: component, message: message) }
        let separator = path.utf8.first == UInt8(ascii: "[") ? "" : "."
        return JSONMappingError(path: component + separator + path, message: message)
    }

    static func unknownField(_ name: String, in messageName: String) -> JSONMappingError {
        JSONMappingError("unknown field \"\(name)\" in \(messageName)")
    }

    static func expected(_ what: String, got value: JSONValue) -> JSONMappingError {
        JSONMappingError("expected \(what), got \(value.kindName)")
    }
}

/// One invalid field of a request: its path (proto field names, dotted, with indexes) and why.
public struct FieldViolation: Error, Sendable, Hashable, CustomStringConvertible {
    /// E.g. `request.appointment_window.start`.
    public var field: String
    /// E.g. `must be before end`.
    public var reason: String

    /// Creates a violation.
    public init(_ field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }

    /// The same violation with `path` in front of its field (nothing when `path` is empty).
    public func prefixed(_ path: String) -> FieldViolation {
        path.isEmpty ? self : FieldViolation(path + "." + field, reason)
    }
}

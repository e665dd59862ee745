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
}

public import SOMCodec

/// Reusable checks for request fields; each throws a `FieldViolation` naming the field.
public enum FieldChecks {
    /// The earliest and latest instants accepted (0001-01-01 … 9999-12-31, as in proto3 JSON).
    static let minSeconds: Int64 = -62_135_596_800
    static let maxSeconds: Int64 = 253_402_300_799

    /// An identifier: required (unless `optional`), at most `maxBytes`, printable, no spaces at the ends.
    public static func identifier(_ value: String, _ field: String, maxBytes: Int = 128, optional: Bool = false) throws(FieldViolation) {
        if value.isEmpty {
            if optional { return }
            throw FieldViolation(field, "is required")
        }
        let utf8 = value.utf8
        guard utf8.count <= maxBytes else { throw FieldViolation(field, "is \(utf8.count) bytes; at most \(maxBytes) allowed") }
        guard !utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { throw FieldViolation(field, "contains control characters") }
        guard utf8.first != 0x20, utf8.last != 0x20 else { throw FieldViolation(field, "has leading or trailing spaces") }
    }

    /// Free text: at most `maxBytes`.
    public static func text(_ value: String, _ field: String, maxBytes: Int) throws(FieldViolation) {
        guard value.utf8.count <= maxBytes else {
            throw FieldViolation(field, "is \(value.utf8.count) bytes; at most \(maxBytes) allowed")
        }
    }

    /// A timestamp within 0001…9999 with nanos in range.
    public static func timestamp(_ value: Timestamp?, _ field: String, required: Bool = false) throws(FieldViolation) {
        guard let value else {
            if required { throw FieldViolation(field, "is required") }
            return
        }
        guard (0..<1_000_000_000).contains(value.nanos) else { throw FieldViolation(field, "nanos must be 0…999999999") }
        guard (minSeconds...maxSeconds).contains(value.seconds) else {
            throw FieldViolation(field, "must be between 0001-01-01 and 9999-12-31")
        }
    }

    /// An enum value this build knows; `allowUnspecified` permits the zero value.
    public static func known<Value: CaseIterable & Equatable>(
        _ value: Value, _ field: String, unspecified: Value, allowUnspecified: Bool = false
    ) throws(FieldViolation) {
        guard Value.allCases.contains(value) else { throw FieldViolation(field, "is not a known value") }
        if !allowUnspecified, value == unspecified { throw FieldViolation(field, "is required") }
    }
}

import ArgumentParser
import SOMCodec

/// Times as operators read and type them: RFC 3339, the same text the JSON mapping uses.
enum TimeText {
    /// RFC 3339 in UTC, or `-` when unset (or not expressible, which only corrupt data is).
    static func format(_ timestamp: Timestamp?) -> String {
        guard let timestamp, case .string(let text)? = try? timestamp.jsonValue() else { return "-" }
        return text
    }

    /// Reads an option value such as `2025-06-01T00:00:00Z` or `2025-06-01T02:00:00+02:00`.
    static func parse(_ text: String, option: String) throws(ValidationError) -> Timestamp {
        guard let timestamp = try? Timestamp(json: .string(text)) else {
            throw ValidationError("invalid time '\(text)' for \(option); use RFC 3339, e.g. 2025-06-01T00:00:00Z or 2025-06-01T02:00:00+02:00")
        }
        return timestamp
    }
}

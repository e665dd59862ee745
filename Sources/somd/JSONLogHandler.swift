import Foundation
import Logging
import SOMRPC

/// `--log-format json`: one JSON object per line on standard error, for log shippers
/// (journald, Loki, Elasticsearch): `timestamp` (UTC, RFC 3339 with milliseconds), `level`,
/// `label`, `message`, and `metadata` (the logger's, the call's from the metadata provider, the line's).
struct JSONLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable (String) -> Void

    init(label: String, metadataProvider: Logger.MetadataProvider?, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let given = event.metadata { merged.merge(given) { $1 } }
        var line: [String: JSONLogValue] = [
            "timestamp": .string(Self.timestamp(Date())),
            "level": .string(event.level.rawValue),
            "label": .string(label),
            "message": .string(event.message.description),
        ]
        if !merged.isEmpty { line["metadata"] = .object(merged.mapValues(JSONLogValue.init)) }
        if let error = event.error { line["error"] = .string("\(error)") }
        write(JSONLogValue.object(line).encoded() + "\n")
    }

    /// RFC 3339 UTC with milliseconds, e.g. `2026-12-07T08:15:30.123Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }

    /// Lines go out whole: one write per line under a lock, so threads never interleave.
    private static let lock = NSLock()
    static let standardError: @Sendable (String) -> Void = { line in
        lock.withLock { FileHandle.standardError.write(Data(line.utf8)) }
    }
}

/// A JSON value for a log line; keys come out sorted, so equal lines are equal text.
enum JSONLogValue: Encodable {
    case string(String)
    case array([JSONLogValue])
    case object([String: JSONLogValue])

    init(_ value: Logger.Metadata.Value) {
        switch value {
        case .string(let text): self = .string(text)
        case .stringConvertible(let convertible): self = .string(convertible.description)
        case .array(let items): self = .array(items.map(JSONLogValue.init))
        case .dictionary(let entries): self = .object(entries.mapValues(JSONLogValue.init))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .array(let items): try container.encode(items)
        case .object(let entries): try container.encode(entries)
        }
    }

    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension Logger.MetadataProvider {
    /// The current call's request id, method and peer uid, on every line logged while serving it.
    static let callScope = Logger.MetadataProvider {
        guard let scope = CallScope.current else { return [:] }
        return ["request_id": .string(scope.requestID), "method": .string(scope.method), "peer_uid": .stringConvertible(scope.peerUID)]
    }
}

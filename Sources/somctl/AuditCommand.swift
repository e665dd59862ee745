import ArgumentParser
import SOMClient
import SOMCodec

/// `somctl audit`: the operator audit trail.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The audit trail: who (uid, gid, pid) released, cancelled, set or cleared moratoria, upserted devices or changed gateways.",
        discussion: """
            Examples:
              somctl audit --since 2026-12-01T00:00:00Z
              somctl audit --target SO000000000042
              somctl audit --json | jq 'select(.action == "AUDIT_ACTION_RELEASE_HOLD")'
            """)

    @Option(help: ArgumentHelp("Only entries at or after this time (RFC 3339).", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only entries about this order, moratorium, gateway or service point.", valueName: "id"))
    var target: String?

    @Option(help: "Show at most this many (0 = all).")
    var limit = 0

    @Flag(help: "Print each entry as canonical proto3 JSON, one per line.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        _ = try since.map { try TimeText.parse($0, option: "--since") }
        guard limit >= 0 else { throw ValidationError("--limit must not be negative") }
    }

    func run() async throws {
        try await reportingFailures {
            let request = ListAuditRequest(since: try since.map { try TimeText.parse($0, option: "--since") }, target: target ?? "", pageSize: 1000)
            let entries = try await connection.client().using { try await $0.allAudit(request, limit: limit, options: connection.unary) }
            let out = StandardOutput()
            if json {
                for entry in entries { out.line(try entry.jsonString()) }
            } else {
                entries.map(AuditLine.format).forEach(out.line)
                if entries.isEmpty { out.line("no audit entries") }
            }
            out.flush()
        }
    }
}

/// One audit entry on one line: sequence, time, who, what, about what, why.
enum AuditLine {
    static func format(_ entry: AuditEntry) -> String {
        "#\(entry.sequence)  \(TimeText.format(entry.at))  uid=\(entry.uid) gid=\(entry.gid) pid=\(entry.pid)  "
            + "\(entry.action.shortName)  \(entry.target.isEmpty ? "-" : entry.target)  \(entry.note)"
    }
}

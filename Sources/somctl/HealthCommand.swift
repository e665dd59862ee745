import ArgumentParser
import Foundation
import SOMClient
import SOMCodec

struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the server's status, version and uptime; exit 0 only when it is serving.",
        discussion: """
            Exit status: 0 serving, 1 unreachable or failed, 3 answering but not serving (e.g. \
            draining).

            Examples:
              somctl health
              somctl health --json
            """)

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() async throws {
        let health: HealthResponse
        do {
            health = try await connection.client().using { try await $0.health(options: connection.unary) }
        } catch {
            throw fail(error)
        }
        let status = health.status.protoName == nil ? "UNKNOWN" : health.status.shortName
        let out = StandardOutput()
        if json {
            let fields: JSONValue = [
                "status": .string(status), "version": .string(health.version),
                "uptimeMs": .string(String(health.uptimeMs)), "pid": .number(String(health.pid)),
            ]
            out.line(fields.serialized())
        } else {
            out.line("status:  \(status)")
            out.line("version: \(health.version)")
            out.line("uptime:  \(String(format: "%.1f", Double(health.uptimeMs) / 1000)) s")
            out.line("pid:     \(health.pid)")
        }
        out.flush()
        if health.status != .serving { throw ExitCode(3) }
    }
}

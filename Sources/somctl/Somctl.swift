import ArgumentParser
import Foundation
import SOMClient
import SOMCodec
import SOMRPC
import SOMTransport

/// `somctl`: query and operate a running somd.
@main
struct Somctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "somctl",
        abstract: "Query and operate the service order management server.",
        discussion: """
            Examples:
              somctl health
              SOM_SOCKET=/run/som/som.sock somctl health --json
            """,
        version: "0.1.0",
        subcommands: [Health.self])
}

/// Options every subcommand shares.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Server socket (env SOM_SOCKET).", valueName: "path"))
    var socket: String = ProcessInfo.processInfo.environment["SOM_SOCKET"] ?? "./var/som.sock"

    @Option(name: .long, help: "Seconds to wait for the server.")
    var timeout: Double = 5

    func client() -> SOMClient { SOMClient(socketPath: socket) }
}

/// Prints an RPC failure as `CODE: message` and exits non-zero, never a stack trace.
func fail(_ error: any Error) -> ExitCode {
    if let rpc = error as? RPCError {
        FileHandle.standardError.write(Data("error: \(rpc.code.name): \(rpc.message)\n".utf8))
    } else {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    }
    return ExitCode(1)
}

struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the server's status, version and uptime; exit 0 only when it is serving.")

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() async throws {
        let client = connection.client()
        defer { Task { await client.close() } }
        let health: HealthResponse
        do {
            health = try await client.health(options: CallOptions(timeout: .milliseconds(Int64(connection.timeout * 1000))))
        } catch {
            throw fail(error)
        }
        let status = health.status.protoName.map { String($0.dropFirst("SERVING_STATUS_".count)) } ?? "UNKNOWN"
        let uptime = Double(health.uptimeMs) / 1000
        if json {
            print(#"{"status":"\#(status)","version":"\#(health.version)","uptimeMs":"\#(health.uptimeMs)","pid":\#(health.pid)}"#)
        } else {
            print("status:  \(status)")
            print("version: \(health.version)")
            print("uptime:  \(String(format: "%.1f", uptime)) s")
            print("pid:     \(health.pid)")
        }
        if health.status != .serving { throw ExitCode(3) }
    }
}

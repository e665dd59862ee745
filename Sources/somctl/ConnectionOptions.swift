import ArgumentParser
import Foundation
import SOMClient
import SOMTransport

/// Options every subcommand shares.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Server socket (env SOM_SOCKET).", valueName: "path"))
    var socket: String = ProcessInfo.processInfo.environment["SOM_SOCKET"] ?? "./var/som.sock"

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for each request/response call; 0 waits forever.", valueName: "seconds"))
    var timeout: Double = 5

    func validate() throws {
        guard timeout >= 0, timeout.isFinite else { throw ValidationError("--timeout must be a number of seconds, 0 or more") }
    }

    func client() -> SOMClient { SOMClient(socketPath: socket) }

    /// Options for unary calls; streams (watch, uploads) run as long as they need.
    var unary: CallOptions {
        CallOptions(timeout: timeout > 0 ? .milliseconds(Int64((timeout * 1000).rounded(.up))) : nil)
    }
}

extension SOMClient {
    /// Runs `body` with this client and closes the connection afterwards, whatever happens.
    func using<T>(_ body: (SOMClient) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await close()
            return result
        } catch {
            await close()
            throw error
        }
    }
}

import Foundation
import SOMCodec

/// The somd a benchmark runs against: one started here for the run (found next to som-bench,
/// so both come from the same build) and always stopped afterwards, or one already running.
enum BenchServer {
    /// Runs `body` with a serving somd; a somd started here is stopped whether `body` returns or throws.
    static func run<Result>(_ options: ServerOptions, _ body: (ServerInfo) async throws -> Result) async throws -> Result {
        if let socket = options.socket {
            let health = try await Readiness.waitUntilServing(socketPath: socket, timeout: .seconds(5))
            return try await body(ServerInfo(socket: socket, version: health.version, pid: health.pid, startedByBench: false))
        }

        let somd = try SomdProcess.start(executable: try locateSomd(options.somd))
        let result: Result
        do {
            let timeout = Duration.milliseconds(Int64(options.startTimeout * 1000))
            let health = try await Readiness.waitUntilServing(socketPath: somd.socketPath, timeout: timeout) { somd.ended }
            result = try await body(ServerInfo(socket: somd.socketPath, version: health.version, pid: health.pid, startedByBench: true))
        } catch {
            // A server that died explains the failure better than the client's UNAVAILABLE.
            if let problem = somd.stop() { throw BenchError("\(error)\n\(problem)") }
            throw error
        }
        if let problem = somd.stop() {
            FileHandle.standardError.write(Data("warning: \(problem)\n".utf8))
        }
        return result
    }

    /// The somd to start: `--somd`, else the one in the same directory as this executable.
    static func locateSomd(_ explicit: String?) throws -> String {
        if let explicit {
            guard FileManager.default.isExecutableFile(atPath: explicit) else { throw BenchError("--somd \(explicit): not an executable file") }
            return explicit
        }
        // /proc/self/exe survives a relative argv[0] and symlinks; argv[0] is the fallback elsewhere.
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let candidate = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("somd").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw BenchError("""
                no somd next to som-bench (looked for \(candidate)); build it into the same directory \
                (swift build -c release --product somd, with the same --scratch-path), or pass --somd PATH, \
                or --socket PATH to measure a running server
                """)
        }
        return candidate
    }
}

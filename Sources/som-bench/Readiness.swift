import SOMClient
import SOMCodec
import SOMRPC
import SOMTransport

/// Waits for a server to answer Health with SERVING, the same check operators use.
enum Readiness {
    /// - Parameter ended: how the server process ended, or nil while it runs (always nil for a server som-bench did not start).
    static func waitUntilServing(socketPath: String, timeout: Duration, ended: () -> String? = { nil }) async throws -> HealthResponse {
        let client = SOMClient(socketPath: socketPath)
        let deadline = ContinuousClock.now + timeout
        var last = "no answer"
        while true {
            if let ended = ended() {
                await client.close()
                throw BenchError("somd \(ended) before it answered Health")
            }
            do {
                let health = try await client.health(options: CallOptions(timeout: .seconds(1)))
                if health.status == .serving {
                    await client.close()
                    return health
                }
                last = "status \(health.status)"
            } catch let error as RPCError {
                last = "\(error.code.name): \(error.message)"
            }
            if ContinuousClock.now >= deadline {
                await client.close()
                throw BenchError("no SERVING answer from \(socketPath) within \(timeout) (last: \(last))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

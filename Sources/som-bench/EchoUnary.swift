import SOMClient
import SOMCodec

/// Closed-loop unary Echo: each caller starts its next call when the previous answer is in,
/// so a call's latency is the full round trip through both stacks.
enum EchoUnary {
    /// - Parameters:
    ///   - callers: concurrent callers.
    ///   - connections: callers are spread over this many connections (one client each).
    static func measure(name: String, socket: String, callers: Int, connections: Int, payload: Int, timing: RunOptions) async throws -> CaseResult {
        let clients = (0..<connections).map { _ in SOMClient(socketPath: socket) }
        let request = EchoMessage(payload: [UInt8](repeating: 0x5a, count: payload))
        do {
            let answer = try await clients[0].echo(request)
            guard answer.payload == request.payload else { throw BenchError("Echo answered with a different payload") }
            let (tally, elapsed) = try await TimedRun.measure(workers: callers, timing: timing) { index, until in
                let client = clients[index % clients.count]
                var tally = Tally()
                var start = ContinuousClock.now
                while start < until {
                    _ = try await client.echo(request)
                    let end = ContinuousClock.now
                    tally.latency.record(end - start)
                    tally.operations += 1
                    start = end
                }
                return tally
            }
            for client in clients { await client.close() }
            let spread = connections == 1 ? "1 connection" : "\(connections) connections"
            return CaseResult(
                name: name, description: "Echo \(payload) B, \(callers) caller\(callers == 1 ? "" : "s"), \(spread)",
                unit: "calls", tally: tally, elapsed: elapsed, withLatency: true, countsPayload: false)
        } catch {
            for client in clients { await client.close() }
            throw BenchError(case: name, error)
        }
    }
}

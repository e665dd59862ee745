import SOMCodec
import SOMRPC
import SOMTransport

/// Server-streaming throughput: each EchoStream call asks for `batch` copies of the payload and
/// calls repeat until time is up, so a call's setup is paid once per batch. The responses are
/// counted and size-checked but not decoded: this measures the transport, not the codec.
enum EchoServerStream {
    static func measure(socket: String, payload: Int, batch: Int, window: Int, timing: RunOptions) async throws -> CaseResult {
        let name = "stream_\(payload)"
        var limits = ConnectionLimits()
        limits.initialStreamCredit = window  // how many responses may be in flight before credit returns
        let client = RPCClient(socketPath: socket, limits: limits)
        let bytes = [UInt8](repeating: 0x5a, count: payload)
        let request = EchoMessage(payload: bytes, repeat: UInt32(batch)).encoded()
        let expectedSize = EchoMessage(payload: bytes).encoded().count
        do {
            let (tally, elapsed) = try await TimedRun.measure(workers: 1, timing: timing) { _, until in
                var tally = Tally()
                repeat {
                    let call = try await client.open("/som.v1.Admin/EchoStream", shape: .serverStreaming)
                    try await call.send(request, endStream: true)
                    var received = 0
                    for try await message in call.responses {
                        guard message.count == expectedSize else {
                            throw BenchError("EchoStream sent a \(message.count)-byte message; expected \(expectedSize)")
                        }
                        received += 1
                    }
                    guard received == batch else { throw BenchError("EchoStream sent \(received) messages; asked for \(batch)") }
                    tally.operations += UInt64(received)
                    tally.payloadBytes += UInt64(received * payload)
                } while ContinuousClock.now < until
                return tally
            }
            await client.close()
            return CaseResult(
                name: name, description: "EchoStream \(payload) B, \(batch) msgs per call",
                unit: "msgs", tally: tally, elapsed: elapsed, withLatency: false, countsPayload: true)
        } catch {
            await client.close()
            throw BenchError(case: name, error)
        }
    }
}

import SOMCodec
import SOMRPC
import SOMTransport

/// Client-streaming throughput: each EchoCollect call sends `batch` messages, each `send`
/// awaited as an application would, and calls repeat until time is up. The server answers a
/// call with all payloads concatenated, so that one reply is also part of the cost.
enum EchoClientStream {
    static func measure(socket: String, payload: Int, batch: Int, timing: RunOptions) async throws -> CaseResult {
        let name = "collect_\(payload)"
        let client = RPCClient(socketPath: socket)
        let message = EchoMessage(payload: [UInt8](repeating: 0x5a, count: payload)).encoded()
        do {
            let (tally, elapsed) = try await TimedRun.measure(workers: 1, timing: timing) { _, until in
                var tally = Tally()
                repeat {
                    let call = try await client.open("/som.v1.Admin/EchoCollect", shape: .clientStreaming)
                    for index in 0..<batch { try await call.send(message, endStream: index == batch - 1) }
                    var reply: [UInt8]?
                    for try await response in call.responses { reply = response }
                    guard let reply else { throw BenchError("EchoCollect ended without its reply") }
                    let collected = try EchoMessage(decoding: reply)
                    guard collected.repeat == batch, collected.payload.count == batch * payload else {
                        throw BenchError("EchoCollect counted \(collected.repeat) messages and \(collected.payload.count) bytes; sent \(batch) of \(payload) B")
                    }
                    tally.operations += UInt64(batch)
                    tally.payloadBytes += UInt64(batch * payload)
                } while ContinuousClock.now < until
                return tally
            }
            await client.close()
            return CaseResult(
                name: name, description: "EchoCollect \(payload) B, \(batch) msgs per call",
                unit: "msgs", tally: tally, elapsed: elapsed, withLatency: false, countsPayload: true)
        } catch {
            await client.close()
            throw BenchError(case: name, error)
        }
    }
}

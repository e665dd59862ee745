import CoreMetrics
import NIOConcurrencyHelpers
import SOMCodec
import SOMScheduler

/// Time from a command's dispatch to its gateway's result, per gateway
/// (`som_gateway_command_duration_seconds`). Remembers only commands in flight.
final class CommandLatency: Sendable {
    private let dispatchedAt = NIOLockedValueBox<[String: ContinuousClock.Instant]>([:])

    /// Notes dispatches and records the latency of results among `events`.
    func observe(_ events: [SchedulerEvent], now: ContinuousClock.Instant = .now) {
        var finished: [(gateway: GatewayID, latency: Duration)] = []
        dispatchedAt.withLockedValue { table in
            for event in events {
                switch event {
                case .dispatched(let batch):
                    for command in batch.commands { table[command.commandID] = now }
                case .completed(let reference, _), .retryScheduled(let reference, _, _, _):
                    if let start = table.removeValue(forKey: reference.commandID.rawValue) {
                        finished.append((reference.gatewayID, now - start))
                    }
                case .deadLettered(let letter):
                    table[letter.command.commandID.rawValue] = nil
                case .expired(let command):
                    table[command.commandID.rawValue] = nil
                case .cancelled(let reference, _):
                    table[reference.commandID.rawValue] = nil
                case .accepted, .leaseExpired, .redeliveryQueued, .ignoredResult:
                    break
                }
            }
        }
        for (gateway, latency) in finished {
            let (seconds, attoseconds) = latency.components
            Timer(label: "som_gateway_command_duration_seconds", dimensions: [("gateway", gateway.rawValue)])
                .recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        }
    }
}

import SOMCodec
import SOMScheduler

/// A hand-driven clock: tests move time, nothing sleeps.
struct TestClock {
    static let origin: Int64 = 1_700_000_000
    private(set) var now = SchedulerInstant(secondsSinceEpoch: origin)

    mutating func advance(by duration: Duration) {
        now = now.advanced(by: duration)
    }

    /// The instant `seconds` after the clock's origin.
    static func at(_ seconds: Double) -> SchedulerInstant {
        SchedulerInstant(secondsSinceEpoch: origin).advanced(by: .milliseconds(Int64(seconds * 1000)))
    }
}

func command(
    _ id: String, gateway: GatewayID = "G1", order: String? = nil, type: CommandType = .remoteDisconnect,
    priority: Priority = .cutForNonPayment, due: SchedulerInstant? = nil, expiresAt: SchedulerInstant? = nil
) -> QueuedCommand {
    QueuedCommand(
        commandID: CommandAttemptID(id), orderID: OrderID(order ?? "O-\(id)"), servicePointID: "SP-\(id)", meterID: "M-\(id)", gatewayID: gateway,
        type: type, priority: priority, due: due, expiresAt: expiresAt)
}

func result(_ id: String, _ kind: CommandResultKind = .succeeded, failure: FailureClass = .unspecified) -> ReportedResult {
    ReportedResult(commandID: CommandAttemptID(id), kind: kind, failureClass: failure, detail: kind == .failed ? "busy" : "")
}

/// Limits that release every pull at once: no linger, large batches.
let immediate = GatewayLimits(batchSize: 100, linger: .zero)

/// A scheduler for the mechanics tests. Their commands default to remote disconnects, but they test
/// redelivery as such, so no type is exempt from it unless `verifyBeforeRedelivery` says so (the
/// production default, which exempts switching commands, has its own tests in SwitchingLeaseTests).
func scheduler(
    _ limits: GatewayLimits = immediate, maxAttempts: Int = 5, ageStep: Duration = .seconds(300),
    verifyBeforeRedelivery: Set<CommandType> = []
) -> SchedulerStateMachine {
    var configuration = SchedulerConfiguration(
        defaultGatewayLimits: limits, ageStep: ageStep, defaultLease: .seconds(30), maxAttempts: maxAttempts,
        retryBackoff: .seconds(5))
    configuration.verifyBeforeRedelivery = verifyBeforeRedelivery
    return SchedulerStateMachine(configuration: configuration)
}

extension PullResult {
    var ids: [String] { batch?.commands.map(\.commandID) ?? [] }
}

extension SchedulerEvent {
    var isLeaseExpired: Bool { if case .leaseExpired = self { true } else { false } }
    var redelivery: (String, UInt32)? {
        if case .redeliveryQueued(let reference, let attempt) = self { (reference.commandID.rawValue, attempt) } else { nil }
    }
    var deadLetter: DeadLetter? { if case .deadLettered(let letter) = self { letter } else { nil } }
    var expiredID: String? { if case .expired(let command) = self { command.commandID.rawValue } else { nil } }
    var cancelled: (String, Bool)? {
        if case .cancelled(let reference, let inFlight) = self { (reference.commandID.rawValue, inFlight) } else { nil }
    }
    var ignored: IgnoredResult? { if case .ignoredResult(let ignored) = self { ignored } else { nil } }
    var completedID: String? { if case .completed(let reference, _) = self { reference.commandID.rawValue } else { nil } }
}

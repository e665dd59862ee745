public import SOMCodec

/// A command the scheduler gave up on, with the reason and what its order should do next.
public struct DeadLetter: Sendable, Hashable {
    /// Why a command was given up.
    public enum Reason: Sendable, Hashable {
        /// Every delivery's lease expired without a final result.
        case leaseExpiredOnEveryAttempt(attempts: UInt32)
        /// Every delivery failed with a transient failure; `detail` is the last one's.
        case transientFailureOnEveryAttempt(attempts: UInt32, detail: String)
        /// A command that switches the supply went out and its lease expired without a result:
        /// it may have happened, so it is not delivered again (see `verifyBeforeRedelivery`).
        case leaseExpiredOutcomeUnknown(attempts: UInt32)
    }

    /// What the order side should do about a dead command.
    public enum OrderOutcome: Sendable, Hashable {
        /// Do the work in the field instead (a crew connects, disconnects or reads).
        case fallBackToField
        /// Nothing else can do it: the order fails and says what was tried.
        case fail
    }

    public var command: QueuedCommand
    public var reason: Reason
    public var at: SchedulerInstant
    public var outcome: OrderOutcome

    /// A dead letter.
    public init(command: QueuedCommand, reason: Reason, at: SchedulerInstant, outcome: OrderOutcome) {
        self.command = command
        self.reason = reason
        self.at = at
        self.outcome = outcome
    }

    /// The usual next step for a command type (DOMAIN.md): switching and reading have a field
    /// equivalent; commissioning, decommissioning and device configuration need a person.
    /// The orchestrator's decision tables may override it.
    public static func outcome(for type: CommandType) -> OrderOutcome {
        switch type {
        case .remoteConnect, .remoteDisconnect, .arm, .onDemandRead, .statusCheck: .fallBackToField
        default: .fail
        }
    }
}

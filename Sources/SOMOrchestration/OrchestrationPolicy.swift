/// Tunable behaviour of the orchestrator; every default is documented in docs/domain.md.
public struct OrchestrationPolicy: Sendable, Hashable {
    /// Retries of a command after a transient failure or an expiry in the queue.
    public var commandRetry = RetryPolicy()
    /// Status checks tried to learn whether a connect/disconnect happened before giving up on remote.
    public var verificationAttempts = 3
    /// Visits of one kind of field activity per order before the order fails.
    public var maxFieldVisits = 3
    /// Safety net: an order that needs more activities than this fails for a person to look at.
    public var maxActivitiesPerOrder = 40
    /// A command not executed by then is expired (queued) or outcome-unknown (dispatched).
    public var commandExpiry: Duration = .seconds(3600)
    /// Field work not reported by then has timed out.
    public var fieldWorkExpiry: Duration = .seconds(7 * 86_400)
    /// An existing reading this close to the order's effective time serves as its reading.
    public var readingTolerance: Duration = .seconds(24 * 3600)
    /// Remote connect directly, or arm the switch for the customer to press the button.
    public var connectMode = ConnectMode.remoteConnect
    /// How long an armed switch waits for the customer before a crew goes.
    public var armWindow: Duration = .seconds(4 * 3600)
    /// Disable service de-energises (`true`) or leaves the supply on and only reads.
    public var disableServiceDisconnects = true
    /// A reconnect for payment this close to its deadline is escalated to EMERGENCY.
    public var reconnectEscalationLead: Duration = .seconds(2 * 3600)
    /// Business days a reconnect has once it falls back to field work.
    public var reconnectFieldBusinessDays = 1
    /// An order waiting for another order on its SP is looked at again after this at the latest.
    public var waitRecheck: Duration = .seconds(15 * 60)
    /// Re-check of a hold with no natural end (open-ended moratorium).
    public var openEndedHoldRecheck: Duration = .seconds(3600)
    /// Re-check (never auto-release) of holds only an operator releases (safety, guardrail).
    public var operatorHoldReview: Duration = .seconds(24 * 3600)
    /// Mass-disconnect guardrail: non-payment disconnect commands per window.
    public var guardrail = GuardrailLimits()

    /// The defaults.
    public init() {}

    /// The defaults, named.
    public static let standard = OrchestrationPolicy()
}

/// Exponential back-off: the n-th retry waits `initialBackoff × multiplier^(n-1)`, at most `maxBackoff`.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in total, the first included.
    public var maxAttempts = 4
    public var initialBackoff: Duration = .seconds(30)
    public var multiplier = 2
    public var maxBackoff: Duration = .seconds(900)

    /// The defaults: 4 attempts, 30 s, ×2, at most 15 min.
    public init(maxAttempts: Int = 4, initialBackoff: Duration = .seconds(30), multiplier: Int = 2, maxBackoff: Duration = .seconds(900)) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.multiplier = multiplier
        self.maxBackoff = maxBackoff
    }

    /// The wait before attempt `attempt + 1`, after `attempt` attempts failed.
    public func backoff(afterAttempt attempt: Int) -> Duration {
        var wait = initialBackoff
        for _ in 1..<max(1, attempt) {
            wait = wait * multiplier
            if wait >= maxBackoff { return maxBackoff }
        }
        return min(wait, maxBackoff)
    }
}

/// How a remote connect is done: directly, or armed for the customer to complete.
public enum ConnectMode: Sendable, Hashable {
    case remoteConnect
    case arm
}

/// Limits of the mass-disconnect guardrail; the integrator counts within `window`.
public struct GuardrailLimits: Sendable, Hashable {
    public var perGateway: Int
    public var total: Int
    public var window: Duration

    /// Defaults: 200 per gateway and 2000 in total per hour.
    public init(perGateway: Int = 200, total: Int = 2000, window: Duration = .seconds(3600)) {
        self.perGateway = perGateway
        self.total = total
        self.window = window
    }
}

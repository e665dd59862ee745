/// What enqueueing one command did.
public enum EnqueueOutcome: Sendable, Hashable {
    /// Queued with this sequence number.
    case queued(sequence: UInt64)
    /// A command with this id is already queued or leased: nothing changed (idempotent enqueue).
    case duplicate
    /// The command finished recently; it is not run again.
    case alreadyFinished(CommandDisposition)
    /// Already past its expiry: not queued, and its order should be told it expired.
    case expired
    /// Not queued, because the command cannot be scheduled.
    case rejected(String)
}

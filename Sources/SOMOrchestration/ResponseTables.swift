public import SOMCodec

/// What a failed or unanswered command leads to.
public enum FailureResponse: Sendable, Hashable {
    /// Queue it again after exponential back-off, up to the retry limit; then the remote path has failed.
    case retryWithBackoff
    /// The remote path has failed: the table's field row takes over.
    case giveUpRemote
    /// HELD (safety) for an operator to contact the customer; a release tries again.
    case holdForSafety
    /// A connect/disconnect may have happened: a status check first, never a blind retry.
    case verifyFirst
}

/// A row of the failure table.
public struct FailureRow: Sendable, Hashable {
    public var label: String
    public var classes: [FailureClass]
    public var response: FailureResponse
}

/// A row of the not-done table; `types` empty means every order type.
public struct NotDoneRow: Sendable, Hashable {
    public var label: String
    public var types: [OrderType]
    public var reasons: [NotDoneReason]
    public var response: NotDoneResponse
}

/// What a field activity reported NOT_DONE leads to.
public enum NotDoneResponse: Sendable, Hashable {
    /// CANCELLED with this outcome.
    case cancel(Outcome)
    /// Re-evaluate: a new visit is planned, up to the visit limit (then FAILED with what was tried).
    case replan
    /// HELD for an operator with this reason.
    case hold(HoldReason)
    /// FAILED: a person must look.
    case fail
}

/// The failure-class and not-done tables, as data like the decision tables.
public enum ResponseTables {
    /// Failure classes of commands (DOMAIN.md "Failure reason classes drive the next step"), first match.
    public static let failures: [FailureRow] = [
        FailureRow(label: "transient (network, busy) → retry with exponential back-off, then field work", classes: [.transient], response: .retryWithBackoff),
        FailureRow(label: "permanent (not capable, not found) → field visit", classes: [.permanent], response: .giveUpRemote),
        FailureRow(label: "safety-refused (load-side voltage present) → HELD (safety), contact the customer", classes: [.safetyRefused], response: .holdForSafety),
        FailureRow(label: "unknown / timed out → verify by status check before anything else", classes: [.unknown, .unspecified], response: .verifyFirst),
    ]

    /// The response to a command failure of `failureClass` (unrecognized classes are treated as unknown).
    public static func response(to failureClass: FailureClass) -> FailureResponse {
        failures.first { $0.classes.contains(failureClass) }?.response ?? .verifyFirst
    }

    /// Field NOT_DONE reasons, first match.
    public static let notDone: [NotDoneRow] = [
        NotDoneRow(label: "cut for non-payment, paid at the door → cancel (auto-void)", types: [.cutForNonPayment], reasons: [.paidAtDoor], response: .cancel(.autoVoided)),
        NotDoneRow(label: "unsafe → HELD (safety) for an operator", types: [], reasons: [.unsafe], response: .hold(.safety)),
        NotDoneRow(label: "customer refused → FAILED, a person contacts the customer", types: [], reasons: [.customerRefused], response: .fail),
        NotDoneRow(label: "no access, other, or paid at the door on other work → re-plan a new visit (up to the visit limit)", types: [], reasons: [], response: .replan),
    ]

    /// The response to a NOT_DONE of `reason` on an order of `type`.
    public static func response(to reason: NotDoneReason, orderType type: OrderType) -> NotDoneRow {
        notDone.first { ($0.types.isEmpty || $0.types.contains(type)) && ($0.reasons.isEmpty || $0.reasons.contains(reason)) } ?? notDone[notDone.count - 1]
    }
}

/// Ordering of the ready queue: priority with ageing, as one time-invariant key.
///
/// Ageing lifts a waiting command one level per `ageStep`. Command A goes before B when
/// `levelA + (now - sinceA)/step > levelB + (now - sinceB)/step`, which holds exactly when
/// `sinceA - levelA*step < sinceB - levelB*step`: `now` cancels out, so the key can be computed
/// once at enqueue and a plain heap stays correctly ordered as time passes. Among equal levels the
/// key orders by waiting time, i.e. by due time. Emergency commands sort before all others,
/// so no amount of ageing delays safety work.
enum PriorityRank {
    /// Emergency keys start here: below any other key for instants after 1970 minus ~146 years.
    private static let emergencyBase: Int64 = .min / 2
    /// Longest age step honoured, so `level * step` stays far from overflow.
    static let maxAgeStep: Int64 = 366 * 86_400 * 1_000_000_000

    /// The level of a wire priority number, 1 (reads and device work) to 6 (emergency);
    /// unspecified ranks lowest, unknown numbers as the nearest known level.
    static func level(_ raw: UInt8) -> Int64 {
        Int64(min(max(raw, 1), 6))
    }

    /// The ready-queue key of a command.
    ///
    /// Ageing counts from `eligibleAt` (when the command could first go to this gateway), except
    /// that a command already overdue when queued gets up to half an age step of credit for its
    /// due time: equal-priority work then goes by due time, yet never outranks fresher work of a
    /// higher priority.
    static func key(eligibleAt: Int64, due: Int64, priority: UInt8, ageStep: Int64) -> Int64 {
        let level = self.level(priority)
        var since = min(max(eligibleAt, .min / 4), .max / 4)
        if due != CommandRecord.noTime, due < since { since = max(due, since - ageStep / 2) }
        if level >= 6 { return emergencyBase &+ since / 4 }
        return since - level * ageStep
    }
}

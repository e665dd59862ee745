public import SOMCodec

/// A gateway's result for one command, as the scheduler reads it: which command, how it ended,
/// and whether a failure is worth retrying. What the head-end observed (readings, supply state,
/// findings) is the order's business, so the caller keeps it and finds it again by `tag`.
public struct ReportedResult: Sendable, Hashable {
    public var commandID: CommandAttemptID
    public var kind: CommandResultKind
    /// Whether a failure is transient (retried here) or not.
    public var failureClass: FailureClass
    /// The head-end's words, kept for a dead letter's reason.
    public var detail: String
    /// The caller's handle on the result, handed back in events (the position in its report, say).
    public var tag: Int

    /// A result to report.
    public init(commandID: CommandAttemptID, kind: CommandResultKind, failureClass: FailureClass = .unspecified, detail: String = "", tag: Int = 0) {
        self.commandID = commandID
        self.kind = kind
        self.failureClass = failureClass
        self.detail = detail
        self.tag = tag
    }
}

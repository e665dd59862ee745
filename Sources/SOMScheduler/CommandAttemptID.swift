/// A command's id on the wire: its activity's id, plus `#n` from the second attempt on. The queue
/// remembers finished command ids (results are idempotent by id), so a retry of an activity needs
/// an id of its own; results map back to the activity through `activityID`.
///
/// This is the one place that knows the `#n` form; everyone else reads the parts.
public struct CommandAttemptID: Hashable, Sendable, CustomStringConvertible {
    public var activityID: ActivityID
    /// 1 for the first attempt.
    public var attempt: Int

    /// Attempt `attempt` (1-based) of `activityID`.
    public init(activityID: ActivityID, attempt: Int) {
        self.activityID = activityID
        self.attempt = attempt
    }

    /// Reads a command id from the wire. An id without `#n` (or whose `n` is not a number) is a
    /// first attempt: ids from before attempts were numbered, or from another client.
    public init(_ commandID: String) {
        guard let hash = commandID.lastIndex(of: "#") else {
            self.init(activityID: ActivityID(commandID), attempt: 1)
            return
        }
        self.init(activityID: ActivityID(String(commandID[..<hash])), attempt: Int(commandID[commandID.index(after: hash)...]) ?? 1)
    }

    /// The wire form, which the command goes out under.
    public var rawValue: String {
        attempt <= 1 ? activityID.rawValue : "\(activityID.rawValue)#\(attempt)"
    }

    public var description: String { rawValue }
}

/// A command's id on the wire: its activity's id, plus `#n` from the second attempt on. The queue
/// remembers finished command ids (results are idempotent by id), so a retry of an activity needs
/// an id of its own; results map back to the activity through `activityID`.
///
/// The id is its wire form, so two ids are equal exactly when their strings are (a result for
/// `X#1` is not one for `X`). This is the one place that knows the `#n` form; everyone else
/// reads the parts.
public struct CommandAttemptID: StringIdentifier {
    public let rawValue: String

    /// The command id `rawValue`, as a gateway reports it.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The id attempt `attempt` (1-based) of `activityID` goes out under.
    public init(activityID: ActivityID, attempt: Int) {
        rawValue = attempt <= 1 ? activityID.rawValue : "\(activityID.rawValue)#\(attempt)"
    }

    /// The activity the command is an attempt at: the id up to its last `#`.
    public var activityID: ActivityID {
        guard let hash = rawValue.lastIndex(of: "#") else { return ActivityID(rawValue) }
        return ActivityID(String(rawValue[..<hash]))
    }

    /// Which attempt the id names; 1 for an id without `#n` (or whose `n` is not a number): a first
    /// attempt, or an id from a client that does not number attempts.
    public var attempt: Int {
        rawValue.lastIndex(of: "#").flatMap { Int(rawValue[rawValue.index(after: $0)...]) } ?? 1
    }
}

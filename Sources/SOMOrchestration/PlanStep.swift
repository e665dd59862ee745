public import SOMCodec

/// One step of a decision-table row's plan. Steps already satisfied by the service point's state or
/// the order's history are skipped, so re-evaluating a row after every activity resumes its plan.
public indirect enum PlanStep: Sendable, Hashable, CustomStringConvertible {
    /// A command that must succeed (its failure fails the order when no row offers a fallback).
    case command(CommandType)
    /// A command whose failure is itself an answer (a ping during an investigation).
    case tryCommand(CommandType)
    /// A field activity (a new visit after a NOT_DONE or time-out, up to the visit limit).
    case field(FieldActivityType)
    /// One field visit doing several activities (connect at source and install on a dead SP).
    case fieldVisit([FieldActivityType])
    /// Safety gate, then remote connect (or arm for the customer, per policy).
    case remoteConnect
    /// Remote disconnect; for a cut, through the mass-disconnect guardrail.
    case remoteDisconnect
    /// The outcome of the last connect/disconnect/configuration is confirmed by a status check.
    case verify
    /// The reading per the reading policy.
    case reading
    /// The device records where the supply was cut.
    case recordLocation(DisconnectLocation)
    /// Restore the supply the meter work found connected: remote connect if possible, else F: turn on.
    case restoreSupply
    /// HELD with the reason of the closed cut gate, re-checked when it opens.
    case holdForCutGate
    /// Supersede the pending cut on the SP.
    case supersedePendingCut
    /// Merge with the stop/start partner into one back-to-back (this order leads).
    case mergeWithPartner
    /// Wait (SCHEDULED) for another order on the SP.
    case waitForOtherOrder
    /// Follow another order type's table (back-to-back uses enable service's).
    case useTable(OrderType)
    /// Look at the SP again (after a change this step made).
    case reEvaluate
    /// COMPLETED with this outcome.
    case complete(Outcome)
    /// CANCELLED with outcome AUTO_VOIDED.
    case autoVoid(String)
    /// FAILED: a person must look.
    case fail(String)
    /// The step only when the fact holds.
    case only(Fact, PlanStep)

    public var description: String {
        switch self {
        case .command(let c): "C: \(Describe.command(c))"
        case .tryCommand(let c): "C: \(Describe.command(c)) (failure tolerated)"
        case .field(let f): "F: \(Describe.field(f))"
        case .fieldVisit(let fs): "F: " + fs.map(Describe.field).joined(separator: " + ") + " (one visit)"
        case .remoteConnect: "safety gate → C: REMOTE_CONNECT (or ARM)"
        case .remoteDisconnect: "C: REMOTE_DISCONNECT"
        case .verify: "verify"
        case .reading: "reading"
        case .recordLocation(let l): "record location \(Describe.name(l.protoName, "DISCONNECT_LOCATION_"))"
        case .restoreSupply: "restore supply"
        case .holdForCutGate: "HELD with the reason"
        case .supersedePendingCut: "supersede the cut"
        case .mergeWithPartner: "merge into back-to-back"
        case .waitForOtherOrder: "wait (SCHEDULED)"
        case .useTable(let t): "\(Describe.type(t)) table"
        case .reEvaluate: "re-evaluate"
        case .complete(let o): "COMPLETED (\(Describe.name(o.protoName, "OUTCOME_")))"
        case .autoVoid: "CANCELLED (AUTO_VOIDED)"
        case .fail: "FAILED"
        case .only(let fact, let step): "[if \(fact)] \(step)"
        }
    }
}

/// One row of a decision table: when its facts hold (first match wins), its plan runs.
public struct DecisionRow: Sendable, Hashable {
    /// Readable, unique within the table, e.g. "smart with switch, open → safety gate → remote connect → verify → reading".
    public var label: String
    public var when: [Fact]
    public var plan: [PlanStep]

    /// Creates a row.
    public init(_ label: String, when: [Fact], plan: [PlanStep]) {
        self.label = label
        self.when = when
        self.plan = plan
    }
}

/// How an order type obtains its reading.
public struct ReadingRule: Sendable, Hashable {
    /// An existing reading within the tolerance window serves.
    public var acceptExisting: Bool
    /// A flagged estimate may stand in when nothing else works.
    public var estimateAllowed: Bool

    /// Creates a rule.
    public init(acceptExisting: Bool, estimateAllowed: Bool) {
        self.acceptExisting = acceptExisting
        self.estimateAllowed = estimateAllowed
    }
}

/// The rows of one order type, evaluated first-match, and its reading rule.
public struct DecisionTable: Sendable, Hashable {
    public var type: OrderType
    public var title: String
    public var goal: String
    public var reading: ReadingRule
    public var rows: [DecisionRow]

    /// Creates a table.
    public init(_ type: OrderType, _ title: String, goal: String, reading: ReadingRule, rows: [DecisionRow]) {
        self.type = type
        self.title = title
        self.goal = goal
        self.reading = reading
        self.rows = rows
    }
}

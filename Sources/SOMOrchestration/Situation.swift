public import SOMCodec

/// Everything the orchestrator knows when it evaluates one order: the order, its service point's
/// device, the other open orders there, the business-rule inputs and the time.
public struct Situation: Sendable, Hashable {
    public var order: Order
    /// Nil when the service point has no device record (an unknown or brand-new SP).
    public var device: ServicePointDevice?
    /// The other non-terminal orders on the same service point (not this one).
    public var otherOrders: [OrderOnServicePoint]
    public var rules: BusinessInputs
    public var now: Timestamp

    /// Creates a situation.
    public init(
        order: Order, device: ServicePointDevice?, otherOrders: [OrderOnServicePoint] = [],
        rules: BusinessInputs = BusinessInputs(), now: Timestamp
    ) {
        self.order = order
        self.device = device
        self.otherOrders = otherOrders
        self.rules = rules
        self.now = now
    }
}

/// Another order on the same service point, summarised for the rules between orders.
public struct OrderOnServicePoint: Sendable, Hashable {
    public var orderID: String
    public var type: OrderType
    public var status: OrderStatus
    public var subStatus: OrderSubStatus
    public var requestedAt: Timestamp?
    /// A connect/disconnect command has left the queue and its outcome is not known yet.
    public var commandInFlight: Bool
    /// Its connect/disconnect has physically happened.
    public var executed: Bool
    /// It has created activities; only orders that have not started can be merged.
    public var started: Bool
    public var relatedOrderID: String

    /// Creates a summary.
    public init(
        orderID: String, type: OrderType, status: OrderStatus, subStatus: OrderSubStatus = .unspecified,
        requestedAt: Timestamp? = nil, commandInFlight: Bool = false, executed: Bool = false, started: Bool = false,
        relatedOrderID: String = ""
    ) {
        self.orderID = orderID
        self.type = type
        self.status = status
        self.subStatus = subStatus
        self.requestedAt = requestedAt
        self.commandInFlight = commandInFlight
        self.executed = executed
        self.started = started
        self.relatedOrderID = relatedOrderID
    }

    /// The summary of a stored order.
    public init(_ order: Order) {
        let switching = order.activities.filter { Switching.effect(of: $0) != nil && !$0.verification }
        self.init(
            orderID: order.orderID, type: order.request?.orderType ?? .unspecified, status: order.status,
            subStatus: order.subStatus, requestedAt: order.request?.requestedAt,
            commandInFlight: switching.contains { $0.command != .unspecified && ActivityState.isInFlightOrUnknown($0.status) },
            executed: switching.contains { $0.status == .succeeded },
            started: !order.activities.isEmpty, relatedOrderID: order.relatedOrderID
        )
    }

    /// Working on the service point now (not waiting for its date, a hold or another order).
    var isActive: Bool { status == .inProgress && subStatus != .awaitingOtherOrder }
}

/// The business-rule inputs the integrator looks up for the service point's region.
public struct BusinessInputs: Sendable, Hashable {
    /// The disconnect calendar of the SP's region.
    public var calendar: DisconnectCalendar
    /// Moratoria (all of them or the region's; the orchestrator filters by region and time).
    public var moratoria: [Moratorium]
    /// Non-payment disconnect commands issued in the current guardrail window.
    public var disconnectVolume: DisconnectVolume
    /// Calendars of jurisdictions that differ from `calendar`, by region; `forRegion` picks one.
    public var regionalCalendars: [String: DisconnectCalendar] = [:]
    /// The crew pool of each region whose crews are not pooled by the region's own name.
    public var crewPools: [String: String] = [:]
    /// The gateways the registry knows; nil when the registry is not enforced. A command for a
    /// gateway outside it is not queued: the order holds with `unknownGateway` until it is registered.
    public var registeredGateways: Set<String>?

    /// These inputs as the service point in `region` sees them: its own calendar when it has one.
    public func forRegion(_ region: String) -> BusinessInputs {
        guard let regional = regionalCalendars[region] else { return self }
        var inputs = self
        inputs.calendar = regional
        return inputs
    }

    /// The crew pool field work in `region` goes to: the mapped pool, else the region itself ("" for any crew).
    public func crewPool(region: String) -> String { crewPools[region] ?? region }

    /// Creates the inputs; the defaults are a default calendar, no moratoria, nothing issued.
    public init(calendar: DisconnectCalendar = DisconnectCalendar(), moratoria: [Moratorium] = [], disconnectVolume: DisconnectVolume = DisconnectVolume()) {
        self.calendar = calendar
        self.moratoria = moratoria
        self.disconnectVolume = disconnectVolume
    }
}

/// How many non-payment disconnect commands were issued in the guardrail's current window.
public struct DisconnectVolume: Sendable, Hashable {
    public var perGateway: [String: Int]
    public var total: Int

    /// Creates the counters.
    public init(perGateway: [String: Int] = [:], total: Int = 0) {
        self.perGateway = perGateway
        self.total = total
    }
}

import SOMCodec
import SOMOrchestration

/// Builders for orders, devices and situations, with a test clock.
enum Fixture {
    /// Monday 2025-01-06 10:00 UTC: inside the default disconnect window.
    static let monday10 = Timestamp(seconds: 1_736_157_600)
    static let hour: Int64 = 3600
    static let day: Int64 = 86_400

    static func at(_ base: Timestamp = monday10, plus seconds: Int64) -> Timestamp { Timestamp(seconds: base.seconds + seconds) }

    static func order(_ type: OrderType, id: String = "SO1", requestedAt: Timestamp? = nil, now: Timestamp = monday10) -> Order {
        var request = ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "R-\(id)", orderType: type, servicePointID: "SP1", requestedAt: requestedAt)
        if type == .backToBack {
            request.outgoingAgreementID = "AG-OUT"
            request.incomingAgreementID = "AG-IN"
        }
        var order = OrderIntake.newOrder(request, now: now)
        order.orderID = id
        order.receivedAt = now
        return order
    }

    static func device(
        _ technology: MeterTechnology, _ supply: SupplyState = .connected, commissioned: Bool = true,
        location: DisconnectLocation = .unspecified, lastReading: Reading? = nil, criticalCareUntil: Timestamp? = nil
    ) -> ServicePointDevice {
        let meter = technology == .none ? "" : "M1"
        let gateway = technology == .smartWithSwitch || technology == .smartNoSwitch ? "GW1" : ""
        return ServicePointDevice(
            servicePointID: "SP1", commodity: .electricity, meterID: meter, technology: technology, gatewayID: gateway,
            commissioned: technology == .smartWithSwitch || technology == .smartNoSwitch ? commissioned : false,
            supplyState: supply, disconnectLocation: location, lastReading: lastReading, region: "R1", criticalCareUntil: criticalCareUntil
        )
    }

    static func reading(_ value: Int64, at: Timestamp, meter: String = "M1", source: ReadingSource = .scheduled) -> Reading {
        Reading(valueMilli: value, unit: "kWh", readAt: at, source: source, meterID: meter)
    }

    /// A finished activity already on the order (history for rows that depend on it).
    static func activity(_ order: Order, command: CommandType = .unspecified, field: FieldActivityType = .unspecified, status: ActivityStatus, failure: FailureClass = .unspecified, attempts: Int = 1) -> Activity {
        Activity(
            activityID: "\(order.orderID)-A\(order.activities.count + 1)", command: command, fieldActivity: field, status: status,
            attempts: (1...attempts).map { Attempt(number: UInt32($0), startedAt: monday10, endedAt: monday10, result: status, failureClass: failure) },
            gatewayID: command == .unspecified ? "" : "GW1", priority: order.effectivePriority, createdAt: monday10, updatedAt: monday10
        )
    }

    static func other(_ type: OrderType, _ status: OrderStatus, id: String = "SO9", requestedAt: Timestamp? = nil, sub: OrderSubStatus = .unspecified,
                      inFlight: Bool = false, executed: Bool = false, started: Bool = false) -> OrderOnServicePoint {
        OrderOnServicePoint(orderID: id, type: type, status: status, subStatus: sub, requestedAt: requestedAt, commandInFlight: inFlight, executed: executed, started: started)
    }

    static func moratorium(region: String = "R1", reason: HoldReason = .moratorium, from: Timestamp, to: Timestamp?) -> Moratorium {
        Moratorium(moratoriumID: "MOR-1", region: region, reason: reason, startsAt: from, endsAt: to, description: "heat wave")
    }
}

/// Drives one order through events like the integrator would: keeps the order and device the
/// decisions return, and the clock.
struct Driver {
    var order: Order
    var device: ServicePointDevice?
    var others: [OrderOnServicePoint] = []
    var rules = BusinessInputs()
    var now = Fixture.monday10
    var policy = OrchestrationPolicy()
    var decisions: [Decision] = []

    init(_ order: Order, _ device: ServicePointDevice?, others: [OrderOnServicePoint] = [], rules: BusinessInputs = BusinessInputs(), policy: OrchestrationPolicy = OrchestrationPolicy()) {
        self.order = order
        self.device = device
        self.others = others
        self.rules = rules
        self.policy = policy
    }

    var situation: Situation { Situation(order: order, device: device, otherOrders: others, rules: rules, now: now) }

    @discardableResult
    mutating func step(_ event: OrchestratorEvent) -> Decision {
        let decision = Orchestrator.step(situation, event, policy: policy)
        order = decision.order
        if let changed = decision.device { device = changed }
        decisions.append(decision)
        return decision
    }

    mutating func advance(_ seconds: Int64) { now = Fixture.at(now, plus: seconds) }

    var last: Activity { order.activities[order.activities.count - 1] }
    var outstanding: Activity? { order.activities.last { [.queued, .dispatched, .accepted, .appointed, .assigned, .onSite].contains($0.status) } }

    /// The outstanding command's result.
    @discardableResult
    mutating func command(_ kind: CommandResultKind, failure: FailureClass = .unspecified, observed: SupplyState = .unspecified, reading: Reading? = nil) -> Decision {
        let activity = outstanding!
        return step(.commandResult(CommandResult(commandID: activity.activityID, kind: kind, failureClass: failure, observedSupplyState: observed, reading: reading, at: now)))
    }

    /// The outstanding field activity done.
    @discardableResult
    mutating func fieldDone(readings: [Reading] = [], location: DisconnectLocation = .unspecified, supplyAfter: SupplyState = .unspecified,
                            installed: String = "", technology: MeterTechnology = .unspecified, gateway: String = "") -> Decision {
        let activity = outstanding!
        return step(.fieldCompleted(CompleteFieldWorkRequest(
            activityID: activity.activityID, readings: readings, disconnectLocation: location, installedMeterID: installed,
            installedTechnology: technology, installedGatewayID: gateway, supplyStateAfter: supplyAfter, at: now)))
    }

    @discardableResult
    mutating func fieldNotDone(_ reason: NotDoneReason) -> Decision {
        step(.fieldNotDone(NotDoneFieldWorkRequest(activityID: outstanding!.activityID, reason: reason, at: now)))
    }
}

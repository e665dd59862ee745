public import SOMCodec

/// A condition a decision-table row puts on the situation; a row matches when all of its facts hold.
public indirect enum Fact: Sendable, Hashable, CustomStringConvertible {
    case servicePointKnown
    case technology(MeterTechnology)
    case smart
    case meterPresent
    case commissioned
    case supplyConnected
    case supplyOff
    case supplyUnknown
    case supplyArmed
    /// Where the supply was cut (the device's disconnect location).
    case cutAt(DisconnectLocation)
    /// This order's latest such command failed for good (retries spent, permanent, or unverifiable).
    case remoteFailed(CommandType)
    /// This order has a finished (succeeded or failed) command of this type.
    case triedCommand(CommandType)
    /// This order's field activity of this type succeeded.
    case doneInField(FieldActivityType)
    /// This order already switched the supply (connect or disconnect happened).
    case switchedByThisOrder
    /// Another order on the SP is working now (one order at a time per SP).
    case otherOrderActive
    /// A cut for non-payment on the SP has not executed and has no command in flight.
    case pendingCutOnServicePoint
    /// A cut for non-payment on the SP has a disconnect command in flight.
    case cutInFlightOnServicePoint
    /// A reconnect for payment is open on the SP (the debt was paid).
    case reconnectOpenOnServicePoint
    /// A stop (for a start) or start (for a stop) on the SP for the same day that has not started.
    case mergePartnerOnServicePoint
    /// A cut may not happen now: critical care, moratorium, storm mode or calendar.
    case cutGateClosed
    /// Policy: disable service de-energises (else it only reads).
    case disableDisconnects
    /// The meter replaced or removed by this order was smart.
    case replacedMeterWasSmart
    /// The supply was connected when this order's exchange found it.
    case supplyWasConnectedBeforeExchange
    /// Investigation found something wrong: a ping or read failed or the supply state is unknown.
    case deviceAbnormal
    case not(Fact)
    case any([Fact])

    public var description: String {
        switch self {
        case .servicePointKnown: "SP known"
        case .technology(let t): "meter " + Describe.name(t.protoName, "METER_TECHNOLOGY_").lowercased()
        case .smart: "smart meter"
        case .meterPresent: "meter present"
        case .commissioned: "commissioned"
        case .supplyConnected: "supply connected"
        case .supplyOff: "supply off"
        case .supplyUnknown: "supply unknown"
        case .supplyArmed: "switch armed"
        case .cutAt(let l): "cut at " + Describe.name(l.protoName, "DISCONNECT_LOCATION_").lowercased()
        case .remoteFailed(let c): "C: \(Describe.command(c)) failed"
        case .triedCommand(let c): "C: \(Describe.command(c)) tried"
        case .doneInField(let f): "F: \(Describe.field(f)) done"
        case .switchedByThisOrder: "switched by this order"
        case .otherOrderActive: "another order active on the SP"
        case .pendingCutOnServicePoint: "cut pending on the SP"
        case .cutInFlightOnServicePoint: "cut command in flight on the SP"
        case .reconnectOpenOnServicePoint: "reconnect open on the SP"
        case .mergePartnerOnServicePoint: "stop/start partner on the SP for the same day"
        case .cutGateClosed: "cut gate closed"
        case .disableDisconnects: "policy: disable de-energises"
        case .replacedMeterWasSmart: "replaced meter was smart"
        case .supplyWasConnectedBeforeExchange: "supply was connected before the exchange"
        case .deviceAbnormal: "device abnormal"
        case .not(let f): "not (\(f))"
        case .any(let fs): fs.map(\.description).joined(separator: " or ")
        }
    }
}

extension OrderWork {
    func holds(_ fact: Fact) -> Bool {
        let tech = device?.technology ?? .none
        let supply = device?.supplyState ?? .unknown
        switch fact {
        case .servicePointKnown: return device != nil
        case .technology(let t): return tech == t
        case .smart: return tech == .smartWithSwitch || tech == .smartNoSwitch
        case .meterPresent: return tech == .manual || tech == .smartWithSwitch || tech == .smartNoSwitch
        case .commissioned: return device?.commissioned ?? false
        case .supplyConnected: return supply == .connected
        case .supplyOff: return supply == .disconnected
        case .supplyArmed: return supply == .armed
        case .supplyUnknown: return !Switching.isKnown(supply)
        case .cutAt(let location): return device?.disconnectLocation == location
        case .remoteFailed(let command): return remoteFailed(command)
        case .triedCommand(let command):
            return order.activities.contains { $0.command == command && !ActivityState.isOutstanding($0.status) }
        case .doneInField(let field): return fieldWork(field).contains { $0.status == .succeeded }
        case .switchedByThisOrder:
            return order.activities.contains { !$0.verification && Switching.effect(of: $0) != nil && $0.status == .succeeded }
        case .otherOrderActive: return others.contains { $0.isActive }
        case .pendingCutOnServicePoint: return pendingCut != nil
        case .cutInFlightOnServicePoint: return others.contains { $0.type == .cutForNonPayment && $0.commandInFlight }
        case .reconnectOpenOnServicePoint:
            return others.contains { $0.type == .reconnectForPayment && !Lifecycle.isTerminal($0.status) }
        case .mergePartnerOnServicePoint: return mergePartner != nil
        case .cutGateClosed: return cutGate() != nil
        case .disableDisconnects: return policy.disableServiceDisconnects
        case .replacedMeterWasSmart:
            let memo = replacedMeterMemo
            return memo.technology == .smartWithSwitch || memo.technology == .smartNoSwitch
        case .supplyWasConnectedBeforeExchange: return replacedMeterMemo.supplyBefore == .connected
        case .deviceAbnormal:
            return remoteFailed(.statusCheck) || remoteFailed(.onDemandRead) || !Switching.isKnown(supply)
        case .not(let inner): return !holds(inner)
        case .any(let facts): return facts.contains { holds($0) }
        }
    }

    func holds(all facts: [Fact]) -> Bool { facts.allSatisfy { holds($0) } }

    /// The latest command of this type failed for good: retries are scheduled eagerly when a
    /// result arrives, so a FAILED or EXPIRED activity found here has none left; an outcome that
    /// stayed unknown after verification is no better.
    func remoteFailed(_ command: CommandType) -> Bool {
        let candidates = order.activities.filter { $0.command == command && (command == .statusCheck || !$0.verification) }
        guard let latest = candidates.last else { return false }
        switch latest.status {
        case .failed, .expired: return true
        case .outcomeUnknown: return !order.activities.contains { $0.verification && ActivityState.isOutstanding($0.status) }
        default: return false
        }
    }

    /// A cut on the SP that can still be stopped.
    var pendingCut: OrderOnServicePoint? {
        others.first { $0.type == .cutForNonPayment && !Lifecycle.isTerminal($0.status) && !$0.commandInFlight && !$0.executed }
    }

    /// The stop for this start (or start for this stop) requested for the same local day, not started.
    var mergePartner: OrderOnServicePoint? {
        let partnerType: OrderType
        switch orderType {
        case .enableService: partnerType = .disableService
        case .disableService: partnerType = .enableService
        default: return nil
        }
        guard order.relatedOrderID.isEmpty else { return nil }
        let day = rules.calendar.localDate(request.requestedAt ?? order.receivedAt ?? now)
        return others.first {
            $0.type == partnerType && !$0.started && $0.relatedOrderID.isEmpty
                && ($0.status == .received || $0.status == .scheduled)
                && rules.calendar.localDate($0.requestedAt ?? now) == day
        }
    }

    /// The memo of the meter this order's exchange or removal took away.
    var replacedMeterMemo: ActivityMemo {
        guard let activity = order.activities.last(where: { $0.fieldActivity == .exchange || $0.fieldActivity == .remove }) else {
            return ActivityMemo()
        }
        return ActivityMemo(activity: activity)
    }
}

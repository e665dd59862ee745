public import SOMCodec

/// Why a cut for non-payment may not happen now, and when to look again.
public struct CutGate: Sendable, Hashable {
    public var reason: HoldReason
    public var detail: String
    /// When the gate may open (nil: no known end; re-checked after the open-ended interval).
    public var until: Timestamp?
}

/// The business rules that stop a cut: critical care, moratoria (temperature, storm) and the
/// disconnect calendar, checked in that order; the first closed gate is reported.
public enum CutGates {
    /// The closed gate for a cut at `now` on `device`, or nil when a cut may proceed.
    public static func closedGate(device: ServicePointDevice?, rules: BusinessInputs, now: Timestamp) -> CutGate? {
        if let until = device?.criticalCareUntil, until > now {
            return CutGate(reason: .criticalCare, detail: "critical-care certificate valid until \(until.iso8601)", until: until)
        }
        let region = device?.region ?? ""
        let active = rules.moratoria.filter { applies($0, region: region) && isActive($0, at: now) }
        if !active.isEmpty {
            // The one ending last decides when to look again; an open-ended one wins.
            let deciding = active.max { lhs, rhs in
                guard let l = lhs.endsAt else { return false }
                guard let r = rhs.endsAt else { return true }
                return l < r
            }!
            let reason: HoldReason = deciding.reason == .stormMode ? .stormMode : .moratorium
            let name = deciding.description.isEmpty ? deciding.moratoriumID : "\(deciding.moratoriumID) (\(deciding.description))"
            let end = deciding.endsAt.map { " until \($0.iso8601)" } ?? " until cleared"
            let kind = reason == .stormMode ? "storm mode" : "moratorium"
            return CutGate(reason: reason, detail: "\(kind) \(name) in region \(region.isEmpty ? "(all)" : region)\(end)", until: deciding.endsAt)
        }
        if let why = rules.calendar.closedReason(at: now) {
            let next = rules.calendar.nextOpening(atOrAfter: now)
            let opening = next.map { "; next window opens \($0.iso8601)" } ?? "; the calendar has no open window: check its configuration"
            return CutGate(reason: .disconnectCalendar, detail: "disconnect calendar: \(why)\(opening)", until: next)
        }
        return nil
    }

    /// A moratorium with an empty region applies everywhere.
    static func applies(_ moratorium: Moratorium, region: String) -> Bool {
        moratorium.region.isEmpty || moratorium.region == region
    }

    static func isActive(_ moratorium: Moratorium, at now: Timestamp) -> Bool {
        if let start = moratorium.startsAt, now < start { return false }
        if let end = moratorium.endsAt, now >= end { return false }
        return true
    }

    /// The latest time a cut command issued at `now` may still execute: today's cut-off or the
    /// start of the next moratorium in the region, whichever comes first.
    public static func cutDeadline(device: ServicePointDevice?, rules: BusinessInputs, now: Timestamp) -> Timestamp {
        var deadline = rules.calendar.closing(after: now)
        let region = device?.region ?? ""
        for moratorium in rules.moratoria where applies(moratorium, region: region) {
            if let start = moratorium.startsAt, start > now, start < deadline { deadline = start }
        }
        return deadline
    }

    /// Whether another non-payment disconnect command may be issued for `gatewayID`.
    public static func guardrailTripped(gatewayID: String, volume: DisconnectVolume, limits: GuardrailLimits) -> String? {
        let forGateway = volume.perGateway[gatewayID] ?? 0
        if forGateway >= limits.perGateway {
            return "mass-disconnect guardrail: \(forGateway) cut commands for gateway \(gatewayID) in the window (limit \(limits.perGateway)); quarantined until an operator releases it"
        }
        if volume.total >= limits.total {
            return "mass-disconnect guardrail: \(volume.total) cut commands in the window (limit \(limits.total)); quarantined until an operator releases it"
        }
        return nil
    }
}

extension OrderWork {
    func cutGate() -> CutGate? { CutGates.closedGate(device: device, rules: rules, now: now) }
}

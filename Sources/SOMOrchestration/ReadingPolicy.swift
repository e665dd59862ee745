import SOMCodec

/// The next way to get an order's reading (DOMAIN.md "Reading policy").
enum ReadingChoice: Equatable {
    /// A reading that serves as it is.
    case adopt(Reading, String)
    case onDemandRead
    case fieldRead
    /// A flagged estimate (only where the order type allows).
    case estimate(Reading)
    /// Nothing left to try.
    case unavailable(String)
}

/// In order of preference: a reading this order's own activities took → an existing reading within
/// the tolerance window of the effective time → on-demand read (smart, commissioned) → field read
/// → flagged estimate where allowed.
enum ReadingPolicy {
    static func choose(_ work: OrderWork, rule: ReadingRule) -> ReadingChoice {
        let device = work.device ?? ServicePointDevice()
        let meter = device.meterID
        func ofMeter(_ reading: Reading) -> Bool { reading.meterID.isEmpty || reading.meterID == meter }

        if let own = work.order.activities.last(where: { $0.status == .succeeded && $0.reading.map(ofMeter) == true })?.reading {
            return .adopt(own, "reading taken by this order")
        }
        // A crew's reading of a meter this order fitted lands on the device, not on the activity.
        if let started = work.order.activities.first?.createdAt, let last = device.lastReading, ofMeter(last),
           last.source == .field || last.source == .onDemand, let readAt = last.readAt, readAt >= started {
            return .adopt(last, "reading taken during this order")
        }
        let effective = work.request.requestedAt ?? work.order.receivedAt ?? work.now
        if rule.acceptExisting, let last = device.lastReading, ofMeter(last), let readAt = last.readAt {
            let distance = abs(readAt.seconds(until: effective))
            if Duration.seconds(distance) <= work.policy.readingTolerance {
                return .adopt(last, "existing \(Describe.name(last.source.protoName, "READING_SOURCE_").lowercased()) reading from \(readAt.iso8601) within the tolerance window")
            }
        }
        let smart = device.technology == .smartWithSwitch || device.technology == .smartNoSwitch
        let readsTried = work.commands(.onDemandRead).filter { !ActivityState.isOutstanding($0.status) }
        if smart, device.commissioned, readsTried.isEmpty {
            return .onDemandRead
        }
        // Billing estimates after one missed field read where it may; otherwise crews try again.
        let visits = work.fieldWork(.read).filter { !ActivityState.isOutstanding($0.status) }
        if rule.estimateAllowed, !visits.isEmpty, let last = device.lastReading, ofMeter(last) {
            return .estimate(Reading(valueMilli: last.valueMilli, unit: last.unit, readAt: effective, source: .estimate, meterID: meter, estimated: true))
        }
        if visits.count < work.policy.maxFieldVisits {
            return .fieldRead
        }
        var tried: [String] = []
        if !readsTried.isEmpty { tried.append("on-demand read") }
        if !visits.isEmpty { tried.append("\(visits.count) field read visits") }
        let estimate = rule.estimateAllowed ? "no earlier reading to estimate from" : "estimates are not allowed for this order type"
        return .unavailable("no reading could be obtained (\(tried.isEmpty ? "nothing possible" : tried.joined(separator: ", ")); \(estimate))")
    }
}

import SOMCodec

/// What an order did, in the words an operator expects on a completion ("connected remotely,
/// read 123.456 kWh"), from its succeeded activities and its reading.
extension Describe {
    static func accomplished(_ order: Order) -> String {
        var parts: [String] = []
        for activity in order.activities where activity.status == .succeeded && !activity.verification {
            if let text = done(activity), parts.last != text { parts.append(text) }
        }
        if order.activities.contains(where: { $0.verification && $0.status == .succeeded }) { parts.append("verified by status check") }
        if let reading = order.reading {
            // A reading this order took is "read"; an existing one it adopted (or an estimate) is "used".
            let taken = order.activities.contains { $0.reading == reading }
            parts.append((taken ? "" : "used the ") + Self.reading(reading, taken: taken))
        }
        return parts.isEmpty ? "nothing needed doing" : parts.joined(separator: ", ")
    }

    /// One succeeded activity as a past-tense phrase (nil for ones the reading already says).
    static func done(_ activity: Activity) -> String? {
        let meter = activity.meterID.isEmpty ? "" : " " + activity.meterID
        if activity.isCommand {
            switch activity.command {
            case .remoteConnect: return "connected remotely"
            case .remoteDisconnect: return "disconnected remotely"
            case .arm: return "armed the switch for the customer"
            case .commission: return "commissioned the meter"
            case .decommission: return "decommissioned meter\(meter)"
            case .statusCheck: return "pinged the meter"
            case .onDemandRead: return nil
            case .configure: return "configured the meter"
            case .loadLimit: return "set the load limit"
            default: return "C: \(command(activity.command)) done"
            }
        }
        let what: String
        switch activity.fieldActivity {
        case .install: what = "installed a meter"
        case .exchange: what = "exchanged meter\(meter)"
        case .remove: what = "removed meter\(meter)"
        case .turnOn: what = "turned on in the field"
        case .turnOff: what = "cut in the field" + (activity.disconnectLocation == .unspecified ? "" : " at the " + location(activity.disconnectLocation))
        case .reconnect: what = "reconnected in the field"
        case .connectAtSource: what = "connected at the source"
        case .read: return nil
        case .investigate: what = "investigated on site"
        case .test: what = "tested on site"
        default: what = "F: \(field(activity.fieldActivity)) done"
        }
        let also = activity.combinedWith.map { done(Activity(fieldActivity: $0, status: .succeeded)) ?? field($0) }
        return ([what] + also).joined(separator: " and ")
    }

    /// `read 123.456 kWh on M-1 (on demand)`, or `reading 123.456 kWh …` for one not taken now.
    static func reading(_ reading: Reading, taken: Bool = true) -> String {
        let value = reading.valueMilli
        let sign = value < 0 ? "-" : ""
        let magnitude = value.magnitude
        var text = "\(taken ? "read" : "reading") \(sign)\(magnitude / 1000).\(CivilDate.pad(Int(magnitude % 1000), 3))"
        if !reading.unit.isEmpty { text += " " + reading.unit }
        if !reading.meterID.isEmpty { text += " on " + reading.meterID }
        let source = spaced(name(reading.source.protoName, "READING_SOURCE_"))
        if reading.estimated { text += " (estimate)" } else if reading.source != .unspecified { text += " (\(source))" }
        return text
    }

    static func location(_ location: DisconnectLocation) -> String { spaced(name(location.protoName, "DISCONNECT_LOCATION_")) }

    /// `METER_SWITCH` → `meter switch`.
    static func spaced(_ protoName: String) -> String { String(protoName.lowercased().map { $0 == "_" ? " " : $0 }) }
}

import SOMCodec

/// How a crew's report changes the activity, the device and the order (DOMAIN.md "Field activities").
extension OrderWork {
    mutating func applyFieldCompletion(_ completion: CompleteFieldWorkRequest) -> Bool {
        guard let i = index(of: completion.activityID) else { return ignore("no activity \(completion.activityID) on this order") }
        let activity = order.activities[i]
        guard activity.isFieldWork else { return ignore("activity \(completion.activityID) is not field work") }
        // Late reports (after a time-out, a cancel, or another crew's NOT_DONE of a redelivered
        // item) still count: the crew did the work. Only a second completion is a duplicate.
        guard activity.status != .succeeded else {
            return ignore("duplicate report: activity \(completion.activityID) is already \(Describe.name(activity.status.protoName, "ACTIVITY_STATUS_"))")
        }
        let oldMeter = device?.meterID ?? ""
        order.activities[i].remarks = Self.joined(activity.remarks, completion.remarks)
        order.activities[i].disconnectLocation = completion.disconnectLocation
        let readings = completion.readings.map { reading -> Reading in
            var reading = reading
            if reading.readAt == nil { reading.readAt = completion.at ?? now }
            if reading.source == .unspecified { reading.source = .field }
            return reading
        }
        // A combined visit did each of its parts, in order (connect at source, then install).
        for type in [activity.fieldActivity] + activity.combinedWith { applyFieldEffect(type, completion) }
        let currentMeter = device?.meterID ?? ""
        var current: [Reading] = []
        var old: [Reading] = []
        for (n, reading) in readings.enumerated() {
            var reading = reading
            let replaced = activity.fieldActivity == .exchange || activity.fieldActivity == .remove
            // Unlabelled readings of an exchange: the old meter's first, then the new one's.
            let isOld = replaced && (reading.meterID == oldMeter || (reading.meterID.isEmpty && (activity.fieldActivity == .remove || n == 0)))
            if reading.meterID.isEmpty { reading.meterID = isOld ? oldMeter : currentMeter }
            if isOld, !oldMeter.isEmpty, oldMeter != currentMeter { old.append(reading) } else { current.append(reading) }
        }
        order.activities[i].reading = old.first ?? current.first
        endAttempt(i, .succeeded, detail: "completed")
        for reading in old {
            emit(.readingRecorded, detail: "final reading of removed meter \(reading.meterID)", reading: reading)
        }
        if let latest = current.filter({ $0.meterID == currentMeter && !currentMeter.isEmpty }).max(by: { $0.readAt! < $1.readAt! }),
           (device?.lastReading?.readAt).map({ $0 <= latest.readAt! }) ?? true {
            updateDevice { $0.lastReading = latest }
        }
        return true
    }

    /// The device after a crew did `type`.
    mutating func applyFieldEffect(_ type: FieldActivityType, _ completion: CompleteFieldWorkRequest) {
        let after = completion.supplyStateAfter
        let known = Switching.isKnown(after)
        switch type {
        case .install, .exchange:
            let previous = device?.technology ?? .none
            let planned = request.newMeterID.isEmpty ? "\(order.orderID)-METER" : request.newMeterID
            updateDevice { device in
                device.meterID = completion.installedMeterID.isEmpty ? planned : completion.installedMeterID
                // Like for like when the crew does not say; a new install without detail is manual.
                let technology = completion.installedTechnology
                device.technology = technology != .unspecified && technology != .none ? technology : (type == .exchange && previous != .none ? previous : .manual)
                if !completion.installedGatewayID.isEmpty { device.gatewayID = completion.installedGatewayID }
                device.commissioned = false
                device.lastReading = nil
            }
            if known { setSupply(after, remote: false, location: completion.disconnectLocation) }
        case .remove:
            updateDevice { device in
                device.meterID = ""
                device.technology = .none
                device.gatewayID = ""
                device.commissioned = false
                device.lastReading = nil
            }
            if known { setSupply(after, remote: false, location: completion.disconnectLocation) }
        case .turnOn, .reconnect, .connectAtSource:
            setSupply(known ? after : .connected, remote: false)
        case .turnOff:
            // A crew that does not say where it cut is taken to have sealed the meter.
            let location = completion.disconnectLocation == .unspecified ? DisconnectLocation.meterSeal : completion.disconnectLocation
            updateDevice { $0.disconnectLocation = .unspecified }
            setSupply(known ? after : .disconnected, remote: false, location: location)
        default:
            if known { setSupply(after, remote: false, location: completion.disconnectLocation) }
        }
    }

    /// Remarks so far (a legacy memo, earlier crew remarks) followed by the crew's new remarks.
    static func joined(_ old: String, _ new: String) -> String {
        old.isEmpty ? new : new.isEmpty ? old : old + " | " + new
    }

    mutating func applyNotDone(_ report: NotDoneFieldWorkRequest) -> Bool {
        guard let i = index(of: report.activityID) else { return ignore("no activity \(report.activityID) on this order") }
        let activity = order.activities[i]
        guard activity.isFieldWork, ActivityState.isOutstanding(activity.status) else {
            return ignore("activity \(report.activityID) is not outstanding field work")
        }
        order.activities[i].notDoneReason = report.reason
        order.activities[i].remarks = Self.joined(activity.remarks, report.remarks)
        let what = "F: \(Describe.field(activity.fieldActivity)) not done (\(Describe.notDone(report.reason)))\(report.remarks.isEmpty ? "" : ": " + report.remarks)"
        endAttempt(i, .notDone, detail: what)
        let row = ResponseTables.response(to: report.reason, orderType: effectiveType)
        switch row.response {
        case .cancel(let outcome):
            finish(.cancelled, outcome, "\(what) → \(row.label)")
        case .replan:
            break
        case .hold(let reason):
            hold(reason, "\(what): an operator must clear it, then release the hold", until: nil)
        case .fail:
            finish(.failed, .failed, "\(what); \(Describe.tried(order))")
        }
        return true
    }
}

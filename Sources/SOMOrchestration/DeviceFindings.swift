import SOMCodec

/// Facts about the device that command results reveal (DOMAIN.md principle 2: look at the SP
/// again): recorded on the device with a DEVICE_UPDATED event, so this order's next evaluation
/// and every later order decide from them instead of trying the same impossible thing again.
extension OrderWork {
    /// Learns from `result` for `activity` before the result itself is applied.
    mutating func learn(from result: CommandResult, activity: Activity) {
        let source = "\(Describe.activity(activity)) \(activity.activityID)"
        switch result.finding {
        case .noSwitch:
            if device?.technology == .smartWithSwitch {
                updateDevice { $0.technology = .smartNoSwitch }
                noteDevice("meter \(meterName) has no remote switch (reported by \(source)); switching goes to the field from now on")
            }
        case .notCommissioned:
            if device?.commissioned == true {
                updateDevice { $0.commissioned = false }
                noteDevice("meter \(meterName) is not commissioned at the head-end (reported by \(source))")
            }
        case .meterReplaced:
            let found = result.foundMeterID
            if !found.isEmpty, found != device?.meterID {
                let old = meterName
                updateDevice { device in
                    device.meterID = found
                    device.commissioned = false
                    device.lastReading = nil
                }
                noteDevice("the head-end found meter \(found) at the service point, not \(old) (reported by \(source)); it is treated as not commissioned")
            } else if found.isEmpty {
                noteDevice("the head-end reports another meter at the service point than \(meterName) (reported by \(source)); a person should update the device record")
            }
        default:
            break
        }
        // A status check that contradicts the record is news; one that confirms it is not.
        let observed = result.observedSupplyState
        if activity.command == .statusCheck, result.kind == .succeeded, Switching.isKnown(observed), let recorded = device?.supplyState,
           recorded != observed, Switching.isKnown(recorded) {
            noteDevice("status check found the supply \(Describe.supply(observed)), recorded as \(Describe.supply(recorded)) (\(source))")
        }
    }

    var meterName: String { (device?.meterID).map { $0.isEmpty ? "(no id)" : $0 } ?? "(none)" }

    /// A DEVICE_UPDATED event; the device itself is already changed (or changes with the result).
    mutating func noteDevice(_ detail: String) {
        emit(.deviceUpdated, detail: detail)
    }
}

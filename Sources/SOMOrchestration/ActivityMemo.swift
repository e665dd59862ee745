import SOMCodec

/// What an activity recorded about the meter it addresses when it was created, which later steps
/// need: an exchange must remember whether the old meter was connected and smart, a decommission
/// which (removed) meter and gateway it addresses.
///
/// Read from the activity's fields (`meter_id`, `meter_technology`, `gateway_id`,
/// `supply_state_found`). Orders stored before those fields existed kept the same facts as
/// `key=value;` pairs at the start of `remarks`; those are still understood.
struct ActivityMemo: Sendable, Hashable {
    var meterID = ""
    var technology = MeterTechnology.unspecified
    var gatewayID = ""
    var supplyBefore = SupplyState.unspecified

    /// The memo of `activity`: its fields, or the legacy remarks of an older stored activity.
    init(activity: Activity) {
        if activity.meterID.isEmpty, activity.meterTechnology == .unspecified, activity.supplyStateFound == .unspecified {
            self.init(legacyRemarks: activity.remarks)
            return
        }
        self.init()
        meterID = activity.meterID
        technology = activity.meterTechnology
        gatewayID = activity.gatewayID
        supplyBefore = activity.supplyStateFound
    }

    /// The `key=value;` memo at the start of `remarks` (written before the fields existed).
    init(legacyRemarks remarks: String) {
        guard remarks.contains("=") else { return }
        let memo = remarks.split(separator: "|", maxSplits: 1).first.map(String.init) ?? ""
        for pair in memo.split(separator: ";") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
            guard kv.count == 2 else { continue }
            switch kv[0] {
            case "meter": meterID = kv[1]
            case "technology": technology = MeterTechnology(protoName: kv[1]) ?? .unspecified
            case "gateway": gatewayID = kv[1]
            case "supply_before": supplyBefore = SupplyState(protoName: kv[1]) ?? .unspecified
            default: break
            }
        }
    }

    /// The memo of the meter on `device` as found now.
    init(device: ServicePointDevice?) {
        meterID = device?.meterID ?? ""
        technology = device?.technology ?? .unspecified
        gatewayID = device?.gatewayID ?? ""
        supplyBefore = device?.supplyState ?? .unspecified
    }

    init() {}
}

extension Substring {
    var trimmingSpaces: String {
        var text = self[...]
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}

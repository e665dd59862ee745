import SOMCodec

/// Facts the orchestrator notes on an activity it creates and needs later, written at the start of
/// `remarks` as `key=value;` pairs (crew remarks follow after ` | `).
///
/// The Activity message has no meter field and no "state found" field; an exchange must remember
/// whether the old meter was connected, and a decommission which (removed) meter it addresses.
struct ActivityMemo: Sendable, Hashable {
    var meterID = ""
    var technology = MeterTechnology.unspecified
    var gatewayID = ""
    var supplyBefore = SupplyState.unspecified

    /// The memo as remarks text.
    var text: String {
        var parts: [String] = []
        if !meterID.isEmpty { parts.append("meter=\(meterID)") }
        if technology != .unspecified { parts.append("technology=\(technology.protoName ?? "")") }
        if !gatewayID.isEmpty { parts.append("gateway=\(gatewayID)") }
        if supplyBefore != .unspecified { parts.append("supply_before=\(supplyBefore.protoName ?? "")") }
        return parts.map { $0 + ";" }.joined()
    }

    /// The memo at the start of `remarks`.
    init(remarks: String) {
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

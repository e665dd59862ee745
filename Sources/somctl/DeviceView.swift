import SOMCodec

/// The readable form of a service point's device for `somctl devices get`.
enum DeviceView {
    static func lines(_ device: ServicePointDevice) -> [String] {
        var view = LabelledLines()
        view.add("service point", device.servicePointID)
        view.add("commodity", device.commodity.displayName)
        view.add("meter", device.meterID.isEmpty ? "-" : device.meterID)
        view.add("technology", device.technology.displayName)
        view.add("gateway", device.gatewayID)
        view.add("commissioned", device.commissioned ? "yes" : "no")
        view.add("supply", device.supplyState.displayName)
        if device.disconnectLocation.rawValue != 0 { view.add("disconnected at", device.disconnectLocation.shortName) }
        view.add("region", device.region)
        if device.criticalCareUntil != nil { view.add("critical care until", TimeText.format(device.criticalCareUntil)) }
        if let reading = device.lastReading { view.add("last reading", OrderView.reading(reading)) }
        view.add("updated", TimeText.format(device.updatedAt))
        view.add("version", String(device.version))
        return view.lines
    }
}

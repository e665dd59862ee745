import SOMCodec

/// The readable form of an order for `somctl get`: what an operator asks about first, in that order.
enum OrderView {
    static func lines(_ order: Order) -> [String] {
        let request = order.request ?? ServiceOrderRequest()
        var view = LabelledLines()
        view.add("order", order.orderID)
        view.add("type", request.orderType.displayName)
        view.add("status", status(order.status, order.subStatus))
        if order.holdReason.rawValue != 0 { view.add("hold reason", order.holdReason.shortName) }
        if order.outcome.rawValue != 0 { view.add("outcome", order.outcome.shortName) }
        view.add("detail", order.statusDetail)
        view.add("service point", request.servicePointID)
        view.add("source", "\(request.sourceSystem.displayName) \(request.sourceRequestID)")
        view.add("priority", order.effectivePriority.displayName)
        view.add("received", TimeText.format(order.receivedAt))
        view.add("updated", TimeText.format(order.updatedAt))
        if order.completedAt != nil { view.add("completed", TimeText.format(order.completedAt)) }
        if order.deadline != nil { view.add("deadline", TimeText.format(order.deadline)) }
        if order.nextCheckAt != nil { view.add("next check", TimeText.format(order.nextCheckAt)) }
        if request.requestedAt != nil { view.add("requested for", TimeText.format(request.requestedAt)) }
        if let window = request.appointmentWindow {
            view.add("appointment", "\(TimeText.format(window.start)) .. \(TimeText.format(window.end))")
        }
        view.add("superseded by", order.supersededBy)
        view.add("related order", order.relatedOrderID)
        view.add("notes", request.notes)
        view.add("version", "\(order.version) (last event \(order.lastEventSeq))")
        if !order.activities.isEmpty {
            view.append("activities:")
            for activity in order.activities { view.append("  " + Self.activity(activity)) }
        }
        if let reading = order.reading {
            view.append("reading:")
            view.append("  " + Self.reading(reading))
        }
        return view.lines
    }

    static func status(_ status: OrderStatus, _ subStatus: OrderSubStatus) -> String {
        subStatus.rawValue == 0 ? status.displayName : "\(status.displayName)/\(subStatus.shortName)"
    }

    static func activity(_ activity: Activity) -> String {
        var what = activity.command.rawValue != 0 ? activity.command.shortName : activity.fieldActivity.displayName
        // One visit doing several things (connect at source + install) shows them all.
        for also in activity.combinedWith { what += " + " + also.displayName }
        var parts = [activity.activityID, what, activity.status.displayName]
        if !activity.meterID.isEmpty { parts.append("meter \(activity.meterID)") }
        if !activity.newMeterID.isEmpty { parts.append("new meter \(activity.newMeterID)") }
        if !activity.gatewayID.isEmpty { parts.append("gateway \(activity.gatewayID)") }
        if !activity.attempts.isEmpty { parts.append("attempts \(activity.attempts.count)") }
        if activity.dueAt != nil { parts.append("due \(TimeText.format(activity.dueAt))") }
        if activity.verification { parts.append("verification") }
        if activity.notDoneReason.rawValue != 0 { parts.append("not done: \(activity.notDoneReason.shortName)") }
        if !activity.remarks.isEmpty { parts.append(activity.remarks) }
        return parts.joined(separator: "  ")
    }

    /// E.g. `12345.678 kWh at 2025-06-01T00:00:00Z (SCHEDULED, meter M-1, estimated)`.
    static func reading(_ reading: Reading) -> String {
        var notes: [String] = []
        if reading.source.rawValue != 0 { notes.append(reading.source.shortName) }
        if !reading.meterID.isEmpty { notes.append("meter \(reading.meterID)") }
        if reading.estimated { notes.append("estimated") }
        let unit = reading.unit.isEmpty ? "" : " \(reading.unit)"
        let about = notes.isEmpty ? "" : " (\(notes.joined(separator: ", ")))"
        return "\(milli(reading.valueMilli))\(unit) at \(TimeText.format(reading.readAt))\(about)"
    }

    /// Thousandths as a decimal, exactly: readings are integers so that no float ever rounds them.
    static func milli(_ value: Int64) -> String {
        let magnitude = value.magnitude
        let fraction = String(magnitude % 1000)
        let padded = String(repeating: "0", count: 3 - fraction.count) + fraction
        return "\(value < 0 ? "-" : "")\(magnitude / 1000).\(padded)"
    }
}

import SOMCodec

/// One order event as a line of `somctl watch`: sequence, time, order, event, status, service point, detail.
enum EventLine {
    static func format(_ event: OrderEvent) -> String {
        var fields = [
            String(event.sequence), TimeText.format(event.at), event.orderID,
            padded(event.type.displayName, 17), padded(OrderView.status(event.status, event.subStatus), 20),
            event.servicePointID.isEmpty ? "-" : event.servicePointID,
        ]
        if let activity = event.activity { fields.append("[\(OrderView.activity(activity))]") }
        if !event.detail.isEmpty { fields.append(event.detail) }
        return fields.joined(separator: "  ")
    }

    private static func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

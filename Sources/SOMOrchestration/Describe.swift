import SOMCodec

/// Short human texts for status details and event details.
enum Describe {
    static func status(_ status: OrderStatus) -> String { name(status.protoName, "ORDER_STATUS_") }
    static func command(_ command: CommandType) -> String { name(command.protoName, "COMMAND_TYPE_") }
    static func field(_ field: FieldActivityType) -> String { name(field.protoName, "FIELD_ACTIVITY_TYPE_") }
    static func supply(_ supply: SupplyState) -> String { name(supply.protoName, "SUPPLY_STATE_") }
    static func type(_ type: OrderType) -> String { name(type.protoName, "ORDER_TYPE_") }
    static func failure(_ failure: FailureClass) -> String { name(failure.protoName, "FAILURE_CLASS_") }
    static func notDone(_ reason: NotDoneReason) -> String { name(reason.protoName, "NOT_DONE_REASON_") }

    static func activity(_ activity: Activity) -> String {
        let what = activity.isCommand ? "C: " + command(activity.command) : "F: " + field(activity.fieldActivity)
        return activity.verification ? what + " (verification)" : what
    }

    /// `C: REMOTE_CONNECT attempt 2: FAILED (TRANSIENT) busy`.
    static func attempt(_ activity: Activity, _ detail: String) -> String {
        var text = "\(self.activity(activity)) attempt \(activity.attempts.count): \(name(activity.status.protoName, "ACTIVITY_STATUS_"))"
        if let last = activity.attempts.last, last.failureClass != .unspecified { text += " (\(failure(last.failureClass)))" }
        if !detail.isEmpty { text += " " + detail }
        return text
    }

    /// What the order tried, for FAILED and CANCELLED details ("nothing silent").
    static func tried(_ order: Order) -> String {
        guard !order.activities.isEmpty else { return "nothing was tried" }
        return "tried: " + order.activities.map { activity in
            var text = "\(self.activity(activity)) \(name(activity.status.protoName, "ACTIVITY_STATUS_"))"
            if activity.attempts.count > 1 { text += " after \(activity.attempts.count) attempts" }
            if activity.notDoneReason != .unspecified { text += " (\(notDone(activity.notDoneReason)))" }
            return text
        }.joined(separator: ", ")
    }

    /// `SP state: meter SMART_WITH_SWITCH M-1, supply CONNECTED, commissioned`.
    static func device(_ device: ServicePointDevice?) -> String {
        guard let device else { return "SP state: no device record" }
        var text = "SP state: meter \(name(device.technology.protoName, "METER_TECHNOLOGY_"))"
        if !device.meterID.isEmpty { text += " " + device.meterID }
        text += ", supply " + supply(device.supplyState)
        text += device.commissioned ? ", commissioned" : ", not commissioned"
        return text
    }

    static func name(_ protoName: String?, _ prefix: String) -> String {
        (protoName ?? "UNRECOGNIZED").replacingPrefix(prefix)
    }
}

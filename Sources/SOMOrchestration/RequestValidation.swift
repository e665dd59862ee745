public import SOMCodec

/// Checks of everything a source can send: every field, so a bad request is refused at intake with
/// the exact field path instead of failing later inside orchestration.
public enum RequestValidation {
    /// Limits on sizes, in bytes or items.
    public enum Limits {
        public static let identifier = 128
        public static let servicePointID = 64
        public static let meterID = 64
        public static let notes = 4096
        public static let contactField = 256
        public static let agreements = 16
        public static let deviceConfiguration = 64 << 10
    }

    /// Validates a service order request; `path` prefixes field names (e.g. `request`).
    public static func check(_ request: ServiceOrderRequest, path: String = "request") throws(FieldViolation) {
        let p = path.isEmpty ? "" : path + "."
        try FieldChecks.known(request.sourceSystem, p + "source_system", unspecified: .unspecified)
        try FieldChecks.identifier(request.sourceRequestID, p + "source_request_id", maxBytes: Limits.identifier)
        try FieldChecks.known(request.orderType, p + "order_type", unspecified: .unspecified)
        try FieldChecks.identifier(request.servicePointID, p + "service_point_id", maxBytes: Limits.servicePointID)
        try FieldChecks.timestamp(request.requestedAt, p + "requested_at")
        try FieldChecks.known(request.priority, p + "priority", unspecified: .unspecified, allowUnspecified: true)
        if let window = request.appointmentWindow {
            try FieldChecks.timestamp(window.start, p + "appointment_window.start", required: true)
            try FieldChecks.timestamp(window.end, p + "appointment_window.end", required: true)
            if let start = window.start, let end = window.end, !(start < end) {
                throw FieldViolation(p + "appointment_window", "start must be before end")
            }
        }
        guard request.serviceAgreements.count <= Limits.agreements else {
            throw FieldViolation(p + "service_agreements", "has \(request.serviceAgreements.count) items; at most \(Limits.agreements) allowed")
        }
        for (index, agreement) in request.serviceAgreements.enumerated() {
            let a = p + "service_agreements[\(index)]."
            try FieldChecks.identifier(agreement.agreementID, a + "agreement_id", maxBytes: Limits.identifier)
            try FieldChecks.identifier(agreement.accountID, a + "account_id", maxBytes: Limits.identifier, optional: true)
            try FieldChecks.text(agreement.customerName, a + "customer_name", maxBytes: Limits.contactField)
        }
        if let contact = request.contact {
            for (name, value) in [("name", contact.name), ("phone", contact.phone), ("email", contact.email), ("preferred_language", contact.preferredLanguage)] {
                try FieldChecks.text(value, p + "contact." + name, maxBytes: Limits.contactField)
            }
        }
        if let collection = request.collectionData {
            let c = p + "collection_data."
            try FieldChecks.identifier(collection.accountID, c + "account_id", maxBytes: Limits.identifier, optional: true)
            guard collection.amountDueMinor >= 0 else { throw FieldViolation(c + "amount_due_minor", "must not be negative") }
            if !collection.currency.isEmpty, !(collection.currency.utf8.count == 3 && collection.currency.utf8.allSatisfy({ (0x41...0x5A).contains($0) })) {
                throw FieldViolation(c + "currency", "must be an ISO 4217 code such as EUR")
            }
            try FieldChecks.timestamp(collection.dueSince, c + "due_since")
            try FieldChecks.text(collection.dunningLevel, c + "dunning_level", maxBytes: Limits.identifier)
        }
        try FieldChecks.text(request.notes, p + "notes", maxBytes: Limits.notes)
        try FieldChecks.identifier(request.newMeterID, p + "new_meter_id", maxBytes: Limits.meterID, optional: true)
        try FieldChecks.identifier(request.outgoingAgreementID, p + "outgoing_agreement_id", maxBytes: Limits.identifier, optional: true)
        try FieldChecks.identifier(request.incomingAgreementID, p + "incoming_agreement_id", maxBytes: Limits.identifier, optional: true)
        guard request.deviceConfiguration.count <= Limits.deviceConfiguration else {
            throw FieldViolation(p + "device_configuration", "is \(request.deviceConfiguration.count) bytes; at most \(Limits.deviceConfiguration) allowed")
        }
        try FieldChecks.identifier(request.cancelsSourceRequestID, p + "cancels_source_request_id", maxBytes: Limits.identifier, optional: true)
        try checkTypeSpecific(request, prefix: p)
    }

    /// Fields an order type cannot do without.
    static func checkTypeSpecific(_ request: ServiceOrderRequest, prefix p: String) throws(FieldViolation) {
        switch request.orderType {
        case .backToBack:
            if request.outgoingAgreementID.isEmpty { throw FieldViolation(p + "outgoing_agreement_id", "is required for ORDER_TYPE_BACK_TO_BACK") }
            if request.incomingAgreementID.isEmpty { throw FieldViolation(p + "incoming_agreement_id", "is required for ORDER_TYPE_BACK_TO_BACK") }
        case .deviceTest:
            break
        default:
            if !request.deviceConfiguration.isEmpty {
                throw FieldViolation(p + "device_configuration", "is only allowed for ORDER_TYPE_DEVICE_TEST")
            }
        }
    }

    /// Validates a device record; `path` prefixes field names.
    public static func check(_ device: ServicePointDevice, path: String = "device") throws(FieldViolation) {
        let p = path.isEmpty ? "" : path + "."
        try FieldChecks.identifier(device.servicePointID, p + "service_point_id", maxBytes: Limits.servicePointID)
        try FieldChecks.known(device.commodity, p + "commodity", unspecified: .unspecified, allowUnspecified: true)
        try FieldChecks.known(device.technology, p + "technology", unspecified: .unspecified)
        try FieldChecks.known(device.supplyState, p + "supply_state", unspecified: .unspecified, allowUnspecified: true)
        try FieldChecks.known(device.disconnectLocation, p + "disconnect_location", unspecified: .unspecified, allowUnspecified: true)
        try FieldChecks.identifier(device.meterID, p + "meter_id", maxBytes: Limits.meterID, optional: true)
        try FieldChecks.identifier(device.gatewayID, p + "gateway_id", maxBytes: Limits.identifier, optional: true)
        try FieldChecks.identifier(device.region, p + "region", maxBytes: Limits.identifier, optional: true)
        try FieldChecks.timestamp(device.criticalCareUntil, p + "critical_care_until")
        switch device.technology {
        case .none:
            if !device.meterID.isEmpty { throw FieldViolation(p + "meter_id", "must be empty when technology is METER_TECHNOLOGY_NONE") }
        case .smartWithSwitch, .smartNoSwitch:
            if device.meterID.isEmpty { throw FieldViolation(p + "meter_id", "is required for a smart meter") }
            if device.gatewayID.isEmpty { throw FieldViolation(p + "gateway_id", "is required for a smart meter") }
        default:
            if device.meterID.isEmpty { throw FieldViolation(p + "meter_id", "is required when a meter is installed") }
        }
        if let reading = device.lastReading {
            try FieldChecks.timestamp(reading.readAt, p + "last_reading.read_at", required: true)
            try FieldChecks.known(reading.source, p + "last_reading.source", unspecified: .unspecified, allowUnspecified: true)
            try FieldChecks.text(reading.unit, p + "last_reading.unit", maxBytes: 16)
        }
    }
}

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
    ///
    /// Paths are only built for a violation: a billing run validates hundreds of thousands of valid
    /// requests, and string building per field was a measurable share of intake.
    public static func check(_ request: ServiceOrderRequest, path: String = "request") throws(FieldViolation) {
        do { try checkFields(request) } catch { throw error.prefixed(path) }
    }

    static func checkFields(_ request: ServiceOrderRequest) throws(FieldViolation) {
        try FieldChecks.known(request.sourceSystem, "source_system", unspecified: .unspecified)
        try FieldChecks.identifier(request.sourceRequestID, "source_request_id", maxBytes: Limits.identifier)
        try FieldChecks.known(request.orderType, "order_type", unspecified: .unspecified)
        try FieldChecks.identifier(request.servicePointID, "service_point_id", maxBytes: Limits.servicePointID)
        try FieldChecks.timestamp(request.requestedAt, "requested_at")
        try FieldChecks.known(request.priority, "priority", unspecified: .unspecified, allowUnspecified: true)
        if let window = request.appointmentWindow {
            try FieldChecks.timestamp(window.start, "appointment_window.start", required: true)
            try FieldChecks.timestamp(window.end, "appointment_window.end", required: true)
            if let start = window.start, let end = window.end, !(start < end) {
                throw FieldViolation("appointment_window", "start must be before end")
            }
        }
        guard request.serviceAgreements.count <= Limits.agreements else {
            throw FieldViolation("service_agreements", "has \(request.serviceAgreements.count) items; at most \(Limits.agreements) allowed")
        }
        for (index, agreement) in request.serviceAgreements.enumerated() {
            do {
                try FieldChecks.identifier(agreement.agreementID, "agreement_id", maxBytes: Limits.identifier)
                try FieldChecks.identifier(agreement.accountID, "account_id", maxBytes: Limits.identifier, optional: true)
                try FieldChecks.text(agreement.customerName, "customer_name", maxBytes: Limits.contactField)
            } catch {
                throw error.prefixed("service_agreements[\(index)]")
            }
        }
        if let contact = request.contact {
            try FieldChecks.text(contact.name, "contact.name", maxBytes: Limits.contactField)
            try FieldChecks.text(contact.phone, "contact.phone", maxBytes: Limits.contactField)
            try FieldChecks.text(contact.email, "contact.email", maxBytes: Limits.contactField)
            try FieldChecks.text(contact.preferredLanguage, "contact.preferred_language", maxBytes: Limits.contactField)
        }
        if let collection = request.collectionData {
            try FieldChecks.identifier(collection.accountID, "collection_data.account_id", maxBytes: Limits.identifier, optional: true)
            guard collection.amountDueMinor >= 0 else { throw FieldViolation("collection_data.amount_due_minor", "must not be negative") }
            if !collection.currency.isEmpty, !(collection.currency.utf8.count == 3 && collection.currency.utf8.allSatisfy({ (0x41...0x5A).contains($0) })) {
                throw FieldViolation("collection_data.currency", "must be an ISO 4217 code such as EUR")
            }
            try FieldChecks.timestamp(collection.dueSince, "collection_data.due_since")
            try FieldChecks.text(collection.dunningLevel, "collection_data.dunning_level", maxBytes: Limits.identifier)
        }
        try FieldChecks.text(request.notes, "notes", maxBytes: Limits.notes)
        try FieldChecks.identifier(request.newMeterID, "new_meter_id", maxBytes: Limits.meterID, optional: true)
        try FieldChecks.identifier(request.outgoingAgreementID, "outgoing_agreement_id", maxBytes: Limits.identifier, optional: true)
        try FieldChecks.identifier(request.incomingAgreementID, "incoming_agreement_id", maxBytes: Limits.identifier, optional: true)
        guard request.deviceConfiguration.count <= Limits.deviceConfiguration else {
            throw FieldViolation("device_configuration", "is \(request.deviceConfiguration.count) bytes; at most \(Limits.deviceConfiguration) allowed")
        }
        try FieldChecks.identifier(request.cancelsSourceRequestID, "cancels_source_request_id", maxBytes: Limits.identifier, optional: true)
        try checkTypeSpecific(request)
    }

    /// Fields an order type cannot do without.
    static func checkTypeSpecific(_ request: ServiceOrderRequest) throws(FieldViolation) {
        switch request.orderType {
        case .backToBack:
            if request.outgoingAgreementID.isEmpty { throw FieldViolation("outgoing_agreement_id", "is required for ORDER_TYPE_BACK_TO_BACK") }
            if request.incomingAgreementID.isEmpty { throw FieldViolation("incoming_agreement_id", "is required for ORDER_TYPE_BACK_TO_BACK") }
        case .deviceTest:
            break
        default:
            if !request.deviceConfiguration.isEmpty {
                throw FieldViolation("device_configuration", "is only allowed for ORDER_TYPE_DEVICE_TEST")
            }
        }
    }

    /// Validates a device record; `path` prefixes field names.
    public static func check(_ device: ServicePointDevice, path: String = "device") throws(FieldViolation) {
        do { try checkFields(device) } catch { throw error.prefixed(path) }
    }

    static func checkFields(_ device: ServicePointDevice) throws(FieldViolation) {
        try FieldChecks.identifier(device.servicePointID, "service_point_id", maxBytes: Limits.servicePointID)
        try FieldChecks.known(device.commodity, "commodity", unspecified: .unspecified, allowUnspecified: true)
        try FieldChecks.known(device.technology, "technology", unspecified: .unspecified)
        try FieldChecks.known(device.supplyState, "supply_state", unspecified: .unspecified, allowUnspecified: true)
        try FieldChecks.known(device.disconnectLocation, "disconnect_location", unspecified: .unspecified, allowUnspecified: true)
        try FieldChecks.identifier(device.meterID, "meter_id", maxBytes: Limits.meterID, optional: true)
        try FieldChecks.identifier(device.gatewayID, "gateway_id", maxBytes: Limits.identifier, optional: true)
        try FieldChecks.identifier(device.region, "region", maxBytes: Limits.identifier, optional: true)
        try FieldChecks.timestamp(device.criticalCareUntil, "critical_care_until")
        switch device.technology {
        case .none:
            if !device.meterID.isEmpty { throw FieldViolation("meter_id", "must be empty when technology is METER_TECHNOLOGY_NONE") }
        case .smartWithSwitch, .smartNoSwitch:
            if device.meterID.isEmpty { throw FieldViolation("meter_id", "is required for a smart meter") }
            if device.gatewayID.isEmpty { throw FieldViolation("gateway_id", "is required for a smart meter") }
        default:
            if device.meterID.isEmpty { throw FieldViolation("meter_id", "is required when a meter is installed") }
        }
        if let reading = device.lastReading {
            try FieldChecks.timestamp(reading.readAt, "last_reading.read_at", required: true)
            try FieldChecks.known(reading.source, "last_reading.source", unspecified: .unspecified, allowUnspecified: true)
            try FieldChecks.text(reading.unit, "last_reading.unit", maxBytes: 16)
        }
    }
}

import SOMCodec
import SOMOrchestration
import Testing

@Suite("Request validation", .timeLimit(.minutes(2)))
struct RequestValidationTests {
    static let valid = ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "R-1", orderType: .enableService, servicePointID: "SP-1")

    /// Each case breaks one field of a valid request and names the path the violation must carry.
    static let cases: [(String, @Sendable (inout ServiceOrderRequest) -> Void)] = [
        ("request.source_system", { $0.sourceSystem = .unspecified }),
        ("request.source_system", { $0.sourceSystem = .unrecognized(42) }),
        ("request.source_request_id", { $0.sourceRequestID = "" }),
        ("request.source_request_id", { $0.sourceRequestID = String(repeating: "x", count: 129) }),
        ("request.source_request_id", { $0.sourceRequestID = "a\u{1}b" }),
        ("request.order_type", { $0.orderType = .unspecified }),
        ("request.service_point_id", { $0.servicePointID = "" }),
        ("request.service_point_id", { $0.servicePointID = " SP" }),
        ("request.requested_at", { $0.requestedAt = Timestamp(seconds: 0, nanos: -1) }),
        ("request.requested_at", { $0.requestedAt = Timestamp(seconds: 300_000_000_000) }),
        ("request.priority", { $0.priority = .unrecognized(99) }),
        ("request.appointment_window.end", { $0.appointmentWindow = TimeWindow(start: Timestamp(seconds: 1)) }),
        ("request.appointment_window", { $0.appointmentWindow = TimeWindow(start: Timestamp(seconds: 9), end: Timestamp(seconds: 9)) }),
        ("request.service_agreements[1].agreement_id", { $0.serviceAgreements = [ServiceAgreement(agreementID: "A"), ServiceAgreement()] }),
        ("request.service_agreements", { $0.serviceAgreements = Array(repeating: ServiceAgreement(agreementID: "A"), count: 17) }),
        ("request.contact.email", { $0.contact = Contact(email: String(repeating: "e", count: 300)) }),
        ("request.collection_data.amount_due_minor", { $0.collectionData = CollectionData(amountDueMinor: -5) }),
        ("request.collection_data.currency", { $0.collectionData = CollectionData(currency: "euro") }),
        ("request.notes", { $0.notes = String(repeating: "n", count: 4097) }),
        ("request.device_configuration", { $0.deviceConfiguration = [1, 2, 3] }),
        ("request.outgoing_agreement_id", { $0.orderType = .backToBack }),
    ]

    @Test("a valid request passes")
    func valid() throws {
        try RequestValidation.check(Self.valid)
        var full = Self.valid
        full.orderType = .deviceTest
        full.deviceConfiguration = Array(repeating: 7, count: 1024)
        full.appointmentWindow = TimeWindow(start: Timestamp(seconds: 1), end: Timestamp(seconds: 2))
        full.collectionData = CollectionData(accountID: "ACC", amountDueMinor: 12_345, currency: "EUR")
        try RequestValidation.check(full)
    }

    @Test("each broken field is reported with its path", arguments: 0..<cases.count)
    func violation(_ index: Int) {
        let (path, breakIt) = Self.cases[index]
        var request = Self.valid
        breakIt(&request)
        #expect(throws: FieldViolation.self) { try RequestValidation.check(request) }
        do {
            try RequestValidation.check(request)
        } catch {
            #expect(error.field == path)
        }
    }

    @Test("device records: smart meters need a meter and a gateway; no meter means no meter id")
    func devices() throws {
        try RequestValidation.check(ServicePointDevice(servicePointID: "SP", meterID: "M", technology: .smartWithSwitch, gatewayID: "G"))
        try RequestValidation.check(ServicePointDevice(servicePointID: "SP", technology: .none))
        let broken: [(ServicePointDevice, String)] = [
            (ServicePointDevice(servicePointID: "SP", meterID: "M", technology: .smartNoSwitch), "device.gateway_id"),
            (ServicePointDevice(servicePointID: "SP", technology: .manual), "device.meter_id"),
            (ServicePointDevice(servicePointID: "SP", meterID: "M", technology: .none), "device.meter_id"),
            (ServicePointDevice(servicePointID: "SP", meterID: "M"), "device.technology"),
            (ServicePointDevice(meterID: "M", technology: .manual), "device.service_point_id"),
        ]
        for (device, path) in broken {
            do {
                try RequestValidation.check(device)
                Issue.record("\(path) should have been refused")
            } catch {
                #expect(error.field == path)
            }
        }
    }

    @Test("intake: default priority per type; a reconnect gets a 24 h deadline from intake or its requested time")
    func intake() {
        let now = Timestamp(seconds: 1_000_000)
        var reconnect = Self.valid
        reconnect.orderType = .reconnectForPayment
        let order = OrderIntake.newOrder(reconnect, now: now)
        #expect(order.status == .received)
        #expect(order.effectivePriority == .reconnect)
        #expect(order.deadline == Timestamp(seconds: 1_000_000 + 86_400))
        reconnect.requestedAt = Timestamp(seconds: 2_000_000)
        #expect(OrderIntake.newOrder(reconnect, now: now).deadline == Timestamp(seconds: 2_000_000 + 86_400))
        #expect(OrderIntake.newOrder(Self.valid, now: now).deadline == nil)
        var cut = Self.valid
        cut.orderType = .cutForNonPayment
        #expect(OrderIntake.newOrder(cut, now: now).effectivePriority == .cutForNonPayment)
        cut.priority = .emergency
        #expect(OrderIntake.newOrder(cut, now: now).effectivePriority == .emergency)
    }
}

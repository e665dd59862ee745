import SOMCodec

/// Hand-written Swift values that match the hand-written text fixtures field by field.
enum ExpectedMessages {
    /// Matches Fixtures/order_full.txtpb.
    static let orderFull = Order(
        orderID: "ord-000042",
        request: ServiceOrderRequest(
            sourceSystem: .cis,
            sourceRequestID: "CIS-2026-000042",
            orderType: .cutForNonPayment,
            servicePointID: "SP-77-0001",
            requestedAt: Timestamp(seconds: 1_795_000_000, nanos: 500),
            priority: .cutForNonPayment,
            appointmentWindow: TimeWindow(start: Timestamp(seconds: 1_795_003_600), end: Timestamp(seconds: 1_795_017_600)),
            serviceAgreements: [
                ServiceAgreement(agreementID: "SA-1", accountID: "ACC-9", customerName: "Zoë Müller"),
                ServiceAgreement(agreementID: "SA-2", accountID: "ACC-9"),
            ],
            contact: Contact(name: "Zoë Müller", phone: "+49 30 1234567", email: "zoe@example.org", preferredLanguage: "de"),
            collectionData: CollectionData(
                accountID: "ACC-9", amountDueMinor: 123_456, currency: "EUR", dueSince: Timestamp(seconds: 1_790_000_000), dunningLevel: "3"),
            notes: "dog on premises",
            deviceConfiguration: [1, 2, 0, 255]
        ),
        status: .completed,
        subStatus: .unspecified,
        outcome: .completedRemote,
        activities: [
            Activity(
                activityID: "act-1",
                command: .remoteDisconnect,
                status: .succeeded,
                attempts: [
                    Attempt(number: 1, result: .failed, failureClass: .transient, detail: "gateway busy"),
                    Attempt(number: 2, result: .succeeded),
                ],
                gatewayID: "HES-A",
                priority: .cutForNonPayment,
                disconnectLocation: .meterSwitch
            ),
            Activity(
                activityID: "act-2",
                command: .onDemandRead,
                status: .succeeded,
                reading: Reading(valueMilli: 987_654_321, unit: "kWh", source: .onDemand, meterID: "M-1"),
                verification: true
            ),
        ],
        reading: Reading(valueMilli: 987_654_321, unit: "kWh", readAt: Timestamp(seconds: 1_795_001_000), source: .onDemand, meterID: "M-1"),
        receivedAt: Timestamp(seconds: 1_795_000_001),
        lastEventSeq: UInt64.max,
        version: 7
    )
}

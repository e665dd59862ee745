import SOMClient
import SOMCodec

/// A sample meter population and billing run, so a fresh server has something real to do.
struct DemoPopulation: Sendable {
    let servicePoints: Int
    let gatewayIDs: [String]
    let random: SimRandom

    func servicePointID(_ index: Int) -> String { "SP-\(OrderNumberText.padded(index, 6))" }

    /// The device at service point `index`: mostly smart meters with switches, some without,
    /// manual meters, a few service points without a meter.
    func device(_ index: Int) -> ServicePointDevice {
        let sp = servicePointID(index)
        let draw = random.unit(sp, 10)
        var device = ServicePointDevice(servicePointID: sp, commodity: .electricity, region: index % 2 == 0 ? "NORTH" : "SOUTH")
        switch draw {
        case ..<0.60: device.technology = .smartWithSwitch
        case ..<0.75: device.technology = .smartNoSwitch
        case ..<0.95: device.technology = .manual
        default: device.technology = .none
        }
        if device.technology != .none {
            device.meterID = "M-\(OrderNumberText.padded(index, 6))"
            device.supplyState = random.unit(sp, 11) < 0.85 ? .connected : .disconnected
            if device.supplyState == .disconnected {
                device.disconnectLocation = device.technology == .smartWithSwitch ? .meterSwitch : .meterSeal
            }
            let now = Timestamp.now()
            device.lastReading = Reading(
                valueMilli: Int64(random.below(40_000_000, sp, 12)), unit: "kWh",
                readAt: Timestamp(seconds: now.seconds - Int64(random.below(30 * 86_400, sp, 13))),
                source: .scheduled, meterID: device.meterID)
        } else {
            device.supplyState = .disconnected
            device.disconnectLocation = .source
        }
        if device.technology == .smartWithSwitch || device.technology == .smartNoSwitch {
            device.gatewayID = gatewayIDs[index % gatewayIDs.count]
            device.commissioned = random.unit(sp, 14) < 0.95
        }
        if random.unit(sp, 15) < 0.02 {
            device.criticalCareUntil = Timestamp.now().adding(.seconds(30 * 86_400))
        }
        return device
    }

    /// Order `index` of the sample billing run: a realistic mix of types on random service points.
    func order(_ index: Int, runTag: String) -> ServiceOrderRequest {
        let key = "\(runTag)-\(index)"
        let sp = servicePointID(random.below(servicePoints, key, 20))
        let types: [(OrderType, Double)] = [
            (.enableService, 0.18), (.disableService, 0.15), (.cutForNonPayment, 0.22), (.reconnectForPayment, 0.10),
            (.offCycleRead, 0.15), (.exchangeMeter, 0.05), (.investigate, 0.05), (.installMeter, 0.03),
            (.removeMeter, 0.02), (.deviceTest, 0.03), (.backToBack, 0.02),
        ]
        var draw = random.unit(key, 21)
        var type = OrderType.offCycleRead
        for (candidate, share) in types {
            if draw < share { type = candidate; break }
            draw -= share
        }
        var request = ServiceOrderRequest(
            sourceSystem: type == .investigate ? .mdm : (type == .deviceTest ? .odm : .cis),
            sourceRequestID: key, orderType: type, servicePointID: sp)
        request.serviceAgreements = [ServiceAgreement(agreementID: "SA-\(sp)", accountID: "ACC-\(sp)")]
        if type == .cutForNonPayment {
            request.collectionData = CollectionData(accountID: "ACC-\(sp)", amountDueMinor: Int64(random.below(200_000, key, 22)), currency: "EUR")
        }
        if type == .backToBack {
            request.outgoingAgreementID = "SA-\(sp)"
            request.incomingAgreementID = "SA-\(sp)-NEW"
        }
        if type == .deviceTest { request.deviceConfiguration = Array("profile=standard".utf8) }
        return request
    }

    /// Upserts every device, in chunks, over one stream.
    func loadDevices(_ client: SOMClient) async throws -> Int {
        let call = try await client.upsertDevices()
        let reader = Task { () throws -> Int in
            var stored = 0
            for try await result in call.responses { stored += Int(result.upserted) }
            return stored
        }
        var start = 0
        while start < servicePoints {
            let end = min(start + 1000, servicePoints)
            try await call.send(UpsertDevicesChunk(chunkID: UInt64(start), devices: (start..<end).map(device)))
            start = end
        }
        call.finishSending()
        return try await reader.value
    }

    /// Submits `count` orders over one SubmitBatch stream; returns (accepted, duplicates, rejected).
    func submitRun(_ client: SOMClient, count: Int, runTag: String) async throws -> (Int, Int, Int) {
        let call = try await client.submitBatch()
        let reader = Task { () throws -> (Int, Int, Int) in
            var totals = (0, 0, 0)
            for try await result in call.responses {
                totals.0 += Int(result.accepted)
                totals.1 += Int(result.duplicates)
                totals.2 += Int(result.rejected)
            }
            return totals
        }
        var start = 0
        while start < count {
            let end = min(start + 500, count)
            try await call.send(SubmitBatchChunk(chunkID: UInt64(start), requests: (start..<end).map { order($0, runTag: runTag) }))
            start = end
        }
        call.finishSending()
        return try await reader.value
    }
}

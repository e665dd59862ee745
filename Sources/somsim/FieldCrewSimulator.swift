import SOMClient
import SOMCodec

/// One simulated crew: pulls one field activity at a time through the public FieldWork API,
/// travels, works, and completes it (or reports it not done), as a workforce adapter does.
struct FieldCrewSimulator: Sendable {
    let crewID: String
    let gatewayIDs: [String]
    let client: SOMClient
    let meters: MeterPopulation
    let profile: SimProfile
    let random: SimRandom
    let stats: SimStats

    func run() async {
        while !Task.isCancelled {
            do {
                let batches = try await client.pullFieldWork(PullFieldWorkRequest(maxItems: 1, leaseMs: UInt32(profile.leaseMs)))
                for try await batch in batches {
                    for item in batch.items { try await work(item) }
                }
            } catch {
                if Task.isCancelled { return }
                log("crew \(crewID): \(error); retrying in 1 s")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    func work(_ item: FieldWorkItem) async throws {
        if item.cancelRequested {
            // The crew stands down and says so.
            _ = try await client.acknowledgeCancel(AcknowledgeCancelRequest(activityID: item.activityID, remarks: "stood down by \(crewID)", at: .now()))
            return
        }
        let key = "\(item.activityID)#\(item.attempt)"
        _ = try await client.updateFieldWork(FieldWorkUpdateRequest(activityID: item.activityID, status: .assigned, crewID: crewID, at: .now()))
        try await Task.sleep(for: .milliseconds(profile.travelMs))
        _ = try await client.updateFieldWork(FieldWorkUpdateRequest(activityID: item.activityID, status: .onSite, crewID: crewID, at: .now()))
        try await Task.sleep(for: .milliseconds(profile.workMs))
        if random.unit(key) < profile.notDoneRate {
            let reasons: [NotDoneReason] = item.type == .turnOff ? [.noAccess, .paidAtDoor, .customerRefused] : [.noAccess, .unsafe]
            let reason = reasons[random.below(reasons.count, key, 2)]
            _ = try await client.fieldWorkNotDone(NotDoneFieldWorkRequest(activityID: item.activityID, reason: reason, remarks: "simulated", at: .now()))
            stats.add(.fieldNotDone)
            return
        }
        _ = try await client.completeFieldWork(await completion(of: item, key: key))
        stats.add(.fieldDone)
    }

    /// What the crew did on site, and what it found.
    func completion(of item: FieldWorkItem, key: String) async -> CompleteFieldWorkRequest {
        let sp = item.servicePointID
        var request = CompleteFieldWorkRequest(activityID: item.activityID, remarks: "done by \(crewID)", at: .now())
        _ = await meters.meter(servicePointID: sp, meterID: item.meterID)
        // A combined visit (connect at source + install) fits the meter like an install does.
        let fitsMeter = item.type == .install || item.type == .exchange || item.combinedWith.contains(.install)
        switch fitsMeter ? FieldActivityType.install : item.type {
        case .install:
            let newMeter = item.newMeterID.isEmpty ? "M-\(sp)-\(random.below(1_000_000, key, 3))" : item.newMeterID
            request.installedMeterID = newMeter
            request.installedTechnology = .smartWithSwitch
            request.installedGatewayID = gatewayIDs.isEmpty ? "" : gatewayIDs[random.below(gatewayIDs.count, sp)]
            if item.type == .exchange { request.removedMeterID = item.meterID }
            await meters.update(sp) { meter in
                meter.meterID = newMeter
                meter.commissioned = false
                meter.supply = .connected
                meter.registerMilli = 0
                meter.baseSeconds = Timestamp.now().seconds
            }
            request.supplyStateAfter = .connected
        case .remove:
            request.removedMeterID = item.meterID
            request.supplyStateAfter = .disconnected
            await meters.update(sp) { $0.supply = .disconnected }
        case .turnOff:
            request.disconnectLocation = random.unit(key, 4) < 0.8 ? .meterSeal : .pole
            request.supplyStateAfter = .disconnected
            await meters.update(sp) { $0.supply = .disconnected }
        case .turnOn, .reconnect, .connectAtSource:
            request.supplyStateAfter = .connected
            await meters.update(sp) { $0.supply = .connected }
        default:
            break
        }
        if let reading = await meters.reading(servicePointID: sp, source: .field) { request.readings = [reading] }
        return request
    }
}

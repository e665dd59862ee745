import Foundation
import SOMClient
import SOMCodec

/// One simulated head-end: pulls command batches for its gateway through the public Gateways API,
/// acts on its meters after the configured latency, and reports the results, as a real adapter does.
struct GatewaySimulator: Sendable {
    let gatewayID: String
    let client: SOMClient
    let meters: MeterPopulation
    let profile: SimProfile
    let random: SimRandom
    let stats: SimStats

    /// Runs until cancelled, reconnecting after a failure.
    func run() async {
        while !Task.isCancelled {
            do {
                let batches = try await client.pullCommands(
                    PullCommandsRequest(gatewayID: gatewayID, maxBatch: UInt32(profile.batchSize), leaseMs: UInt32(profile.leaseMs)))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for try await batch in batches {
                        group.addTask { try await handle(batch) }
                    }
                    try await group.waitForAll()
                }
            } catch {
                if Task.isCancelled { return }
                log("gateway \(gatewayID): \(error); retrying in 1 s")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    func handle(_ batch: CommandBatch) async throws {
        try await Task.sleep(for: .milliseconds(profile.gatewayLatencyMs))
        var results: [CommandResult] = []
        for command in batch.commands {
            results.append(await execute(command))
        }
        stats.add(.commands, results.count)
        _ = try await client.reportResults(ReportResultsRequest(gatewayID: gatewayID, results: results))
    }

    /// What the meter does with one command; the draw depends on the command id and attempt only.
    func execute(_ command: Command) async -> CommandResult {
        let key = "\(command.commandID)#\(command.attempt)"
        let sp = command.servicePointID
        var meter = await meters.meter(servicePointID: sp, meterID: command.meterID)
        var result = CommandResult(commandID: command.commandID, at: Timestamp.now(), attempt: command.attempt)
        let draw = random.unit(key)
        let switching = command.type == .remoteConnect || command.type == .remoteDisconnect || command.type == .arm
        if draw < profile.unknownRate {
            // The head-end lost track: the effect may or may not have happened.
            if switching, random.unit(key, 1) < 0.5 { await apply(command, to: sp) }
            result.kind = .outcomeUnknown
            result.failureClass = .unknown
            result.detail = "no response from the meter before the head-end's time-out"
            stats.add(.unknown)
            return result
        }
        if draw < profile.unknownRate + profile.transientRate {
            result.kind = .failed
            result.failureClass = .transient
            result.detail = "mesh network busy"
            stats.add(.failed)
            return result
        }
        if draw < profile.unknownRate + profile.transientRate + profile.permanentRate {
            result.kind = .failed
            result.failureClass = .permanent
            result.detail = "meter does not support \(command.type.protoName ?? "this command")"
            stats.add(.failed)
            return result
        }
        if command.type == .remoteConnect, draw < profile.unknownRate + profile.transientRate + profile.permanentRate + profile.safetyRate {
            result.kind = .failed
            result.failureClass = .safetyRefused
            result.detail = "load-side voltage present"
            stats.add(.failed)
            return result
        }
        await apply(command, to: sp)
        meter = await meters.meter(servicePointID: sp, meterID: command.meterID)
        result.kind = .succeeded
        result.observedSupplyState = meter.supply
        if command.type == .onDemandRead || command.type == .statusCheck || switching {
            result.reading = await meters.reading(servicePointID: sp, source: .onDemand)
        }
        stats.add(.succeeded)
        return result
    }

    func apply(_ command: Command, to sp: String) async {
        await meters.update(sp) { meter in
            switch command.type {
            case .remoteConnect: meter.supply = .connected
            case .remoteDisconnect: meter.supply = .disconnected
            // The customer presses the button soon after arming; the simulator presses it at once.
            case .arm: meter.supply = .connected
            case .commission: meter.commissioned = true
            // Decommissioning the meter an exchange removed leaves the new one alone.
            case .decommission: if command.meterID.isEmpty || command.meterID == meter.meterID { meter.commissioned = false }
            default: break
            }
        }
    }
}

func log(_ line: String) {
    FileHandle.standardError.write(Data("somsim: \(line)\n".utf8))
}

import Foundation
import SOMClient
import SOMCodec
import SOMStore
import SOMTestSupport
import SOMTransport
import Testing

@Suite("Crash safety while orders are being carried out", .timeLimit(.minutes(10)))
struct OrchestrationCrashTests {
    @Test("kill -9 of somd mid-run loses no command: after the restart every order completes",
          .enabled(if: SomdBinary.path != nil && SomsimBinary.path != nil, "somd or somsim is not built next to the tests"))
    func killMidRun() async throws {
        try await withTemporaryDirectory(prefix: "som-kill") { directory in
            let socket = directory.appending("som.sock"), data = directory.appending("data"), log = directory.appending("somd.log")
            // An always-open calendar, so cuts run whatever the weekday.
            let rules = directory.appending("rules.json")
            try Data(#"{"calendar": {"closedWeekdays": [], "closedBeforeHolidays": false, "openingHour": 0, "cutoffHour": 24}}"#.utf8)
                .write(to: URL(fileURLWithPath: rules))
            let started = LockedBox<[SomdProcess]>([])
            defer { started.value.forEach { $0.stop() } }
            func launch() async throws -> SomdProcess {
                let somd = try SomdProcess.launch(
                    binary: SomdBinary.path ?? "", socketPath: socket, dataPath: data, logPath: log, extraArguments: ["--config", rules])
                started.withValue { $0.append(somd) }
                try await somd.waitUntilServing()
                return somd
            }
            let first = try await launch()

            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            let count = 40
            var devices: [ServicePointDevice] = []
            var requests: [ServiceOrderRequest] = []
            let types: [OrderType] = [.disableService, .cutForNonPayment, .offCycleRead, .enableService]
            for index in 0..<count {
                let sp = "SP-K\(index)"
                let smart = index % 4 != 3
                devices.append(ServicePointDevice(
                    servicePointID: sp, meterID: "M-K\(index)", technology: smart ? .smartWithSwitch : .manual,
                    gatewayID: smart ? "GW-0\(index % 2 + 1)" : "", commissioned: smart,
                    supplyState: types[index % types.count] == .enableService ? .disconnected : .connected,
                    disconnectLocation: types[index % types.count] == .enableService ? (smart ? .meterSwitch : .meterSeal) : .unspecified))
                requests.append(ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "K-\(index)", orderType: types[index % types.count], servicePointID: sp))
            }
            let upsert = try await client.upsertDevices()
            try await upsert.send(UpsertDevicesChunk(chunkID: 1, devices: devices))
            upsert.finishSending()
            for try await _ in upsert.responses {}
            let batch = try await client.submitBatch()
            try await batch.send(SubmitBatchChunk(chunkID: 1, requests: requests))
            batch.finishSending()
            var ids: [String] = []
            for try await result in batch.responses { ids += result.items.map(\.orderID) }
            #expect(ids.count == count)

            // The simulator keeps going across the restart, reconnecting as a real adapter would.
            let simulator = Process()
            simulator.executableURL = URL(fileURLWithPath: SomsimBinary.path ?? "/nonexistent")
            simulator.arguments = [
                "--socket", socket, "--gateway-count", "2", "--crews", "2", "--latency-ms", "40", "--travel-ms", "40",
                "--work-ms", "40", "--transient-rate", "0", "--permanent-rate", "0", "--unknown-rate", "0", "--safety-rate", "0",
                "--not-done-rate", "0", "--report-every", "0", "--batch", "4",
            ]
            simulator.standardOutput = FileHandle.nullDevice
            simulator.standardError = FileHandle.nullDevice
            try simulator.run()
            defer {
                simulator.terminate()
                simulator.waitUntilExit()
            }

            // Kill once some orders are done and others are still under way.
            func finished() async -> Int {
                var done = 0
                for id in ids {
                    if let order = try? await client.order(id, options: CallOptions(timeout: .seconds(2))), order.status.isTerminal { done += 1 }
                }
                return done
            }
            let killBy = ContinuousClock.now + .seconds(30)
            var doneBeforeKill = 0
            while ContinuousClock.now < killBy {
                doneBeforeKill = await finished()
                if doneBeforeKill >= 3 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            first.kill()
            try await first.waitForExit()
            _ = try await launch()

            let deadline = ContinuousClock.now + .seconds(90)
            var orders: [Order] = []
            while ContinuousClock.now < deadline {
                orders = []
                for id in ids { if let order = try? await client.order(id, options: CallOptions(timeout: .seconds(2))) { orders.append(order) } }
                if orders.count == count, orders.allSatisfy({ $0.status.isTerminal }) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(orders.count == count, "an acknowledged order is missing after the restart")
            #expect(doneBeforeKill < count, "the kill came after every order had finished; the test proved nothing")
            for order in orders {
                #expect(order.status == .completed, "\(order.orderID) \(order.request?.orderType.protoName ?? "") ended \(order.status): \(order.statusDetail)")
            }
        }
    }
}

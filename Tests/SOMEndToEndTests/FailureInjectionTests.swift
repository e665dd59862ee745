import SOMClient
import SOMCodec
import SOMOrchestration
import SOMScheduler
import SOMStore
import Testing

@Suite("Injected failures through somsim take the documented paths", .timeLimit(.minutes(5)))
struct FailureInjectionTests {
    static func describe(_ order: Order) -> String {
        order.activities.map { activity in
            "\(activity.activityID) \(activity.command.protoName ?? "") \(activity.fieldActivity.protoName ?? "") \(activity.status) ["
                + activity.attempts.map { "\($0.number):\($0.result)/\($0.failureClass) \($0.detail)" }.joined(separator: "; ") + "]"
        }.joined(separator: " | ")
    }

    @Test("transient, permanent, unknown-outcome, safety and not-done failures: every order ends or is held, and says why",
          .enabled(if: SomsimBinary.path != nil, "somsim is not built next to somd"))
    func badDay() async throws {
        // Later flags win with ArgumentParser, so these override the zero rates of the harness.
        let failures = ["--transient-rate", "0.25", "--permanent-rate", "0.1", "--unknown-rate", "0.2", "--safety-rate", "0.1",
                        "--not-done-rate", "0.25", "--seed", "11"]
        var policy = OrchestrationPolicy.standard
        policy.commandRetry.initialBackoff = .milliseconds(50)
        policy.commandRetry.maxBackoff = .milliseconds(200)
        var scheduler = SchedulerConfiguration()
        scheduler.retryBackoff = .milliseconds(20)
        scheduler.maxRetryBackoff = .milliseconds(100)
        try await withSimulatedServer(policy: policy, scheduler: scheduler, simulatorArguments: failures) { socket, _ in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            let count = 60
            var devices: [ServicePointDevice] = []
            var requests: [ServiceOrderRequest] = []
            let types: [OrderType] = [.disableService, .enableService, .reconnectForPayment, .offCycleRead, .cutForNonPayment]
            for index in 0..<count {
                let sp = "SP-F\(index)"
                let type = types[index % types.count]
                let off = type == .enableService || type == .reconnectForPayment
                devices.append(ServicePointDevice(
                    servicePointID: sp, meterID: "M-F\(index)", technology: index % 6 == 5 ? .manual : .smartWithSwitch,
                    gatewayID: index % 6 == 5 ? "" : "GW-0\(index % 2 + 1)", commissioned: index % 6 != 5,
                    supplyState: off ? .disconnected : .connected, disconnectLocation: off ? (index % 6 == 5 ? .meterSeal : .meterSwitch) : .unspecified))
                requests.append(ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "F-\(index)", orderType: type, servicePointID: sp))
            }
            let upsert = try await client.upsertDevices()
            try await upsert.send(UpsertDevicesChunk(chunkID: 1, devices: devices))
            upsert.finishSending()
            for try await _ in upsert.responses {}
            var ids: [String] = []
            for request in requests { ids.append(try #require(try await client.submit(request).order).orderID) }

            let deadline = ContinuousClock.now + .seconds(60)
            var orders: [Order] = []
            while ContinuousClock.now < deadline {
                orders = []
                for id in ids { orders.append(try await client.order(id)) }
                if orders.allSatisfy({ $0.status.isTerminal || $0.status == .held }) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            var unknownVerified = 0, fellBackToField = 0, heldForSafety = 0, retried = 0
            for order in orders {
                #expect(order.status.isTerminal || order.status == .held,
                        "\(order.orderID) still \(order.status)/\(order.subStatus): \(order.statusDetail); \(Self.describe(order))")
                #expect(!order.statusDetail.isEmpty, "\(order.orderID) does not say why it ended")
                if order.status == .held { #expect(order.holdReason != .unspecified && order.nextCheckAt != nil) }
                if order.status == .failed { #expect(order.statusDetail.contains("tried"), "a failed order says what was tried: \(order.statusDetail)") }
                let attempts = order.activities.flatMap(\.attempts)
                let switches: Set<CommandType> = [.remoteConnect, .remoteDisconnect, .arm]
                if order.activities.contains(where: { switches.contains($0.command) && $0.attempts.contains { $0.failureClass == .unknown } }) {
                    // A switch whose outcome is unknown is verified before anything else is sent for it
                    // (a read has no physical effect and is simply asked again).
                    #expect(order.activities.contains { $0.verification }, "\(order.orderID): an unknown outcome without a verification step; \(Self.describe(order))")
                    unknownVerified += 1
                }
                if attempts.contains(where: { $0.failureClass == .permanent }), order.activities.contains(where: { $0.fieldActivity != .unspecified }) {
                    fellBackToField += 1
                }
                if order.holdReason == .safety { heldForSafety += 1 }
                if order.activities.contains(where: { $0.attempts.count > 1 }) { retried += 1 }
            }
            // With these rates each path is taken at least once (the seed makes the draws repeatable).
            #expect(unknownVerified > 0 && fellBackToField > 0 && retried > 0,
                    "unknown→verified \(unknownVerified), permanent→field \(fellBackToField), retried \(retried), held for safety \(heldForSafety)")
        }
    }
}

import Logging
import SOMCodec
import SOMOrchestration
import SOMScheduler
@testable import SOMEngine
import SOMStore
import SOMTestSupport
import Testing

/// The queues' rebuild at start, over a real store, without a socket.
@Suite("Engine: queues rebuilt after a start, steps held until then", .timeLimit(.minutes(1)))
struct EngineRestoreTests {
    @Test("waiters are let through when the gate opens, told no when the rebuild fails, and an open gate does not wait")
    func gate() async {
        let opening = RestoreGate(restoring: true)
        #expect(!opening.isOpen)
        let waiters = (0..<3).map { _ in Task { await opening.wait() } }
        opening.open()
        for waiter in waiters { #expect(await waiter.value) }
        #expect(await opening.wait() && opening.isOpen)

        let failing = RestoreGate(restoring: true)
        let refused = Task { await failing.wait() }
        failing.fail()
        #expect(await refused.value == false)
        #expect(await failing.wait() == false)
        #expect(await RestoreGate(restoring: false).wait())
    }

    @Test("a restarted engine takes steps that came before the rebuild only after it, and its queues hold the stored work once")
    func stepsWaitForTheRebuild() async throws {
        try await withEngineStore(prefix: "som-restore") { store, logger in
            _ = try await store.upsertDevices([smartDevice("SP-1"), smartDevice("SP-2")])
            let first = OrderEngine(store: store, scheduler: Scheduler(), logger: logger)
            let queued = try await submit(store, "R-1", "SP-1")
            await first.step(queued, .evaluate)
            #expect(await first.scheduler.commands(ofOrder: .init(queued)).count == 1)

            // The restart: an empty scheduler, a step that arrives before the rebuild.
            let engine = OrderEngine(store: store, scheduler: Scheduler(), logger: logger, restoring: true)
            let later = try await submit(store, "R-2", "SP-2")
            let early = Task { await engine.step(later, .evaluate) }
            let restored = try await engine.restore(configuration: SchedulerConfiguration())
            #expect(await early.value == nil)
            #expect(restored.commands.map(\.orderID.rawValue) == [queued], "the rebuild read the stored work: \(restored.commands)")
            let unevaluated = try store.openOrderIDs(status: .received)
            #expect(unevaluated == [later] || unevaluated.isEmpty)
            // The step that waited ran on the rebuilt queues: both orders' reads are there, once each.
            #expect(await engine.scheduler.commands(ofOrder: .init(queued)).count == 1)
            #expect(await engine.scheduler.commands(ofOrder: .init(later)).count == 1)
            #expect(engine.isRestored)
        }
    }

    func submit(_ store: OrderStore, _ key: String, _ servicePoint: String) async throws -> String {
        let outcome = try await store.submit([Order(
            request: ServiceOrderRequest(sourceSystem: .mdm, sourceRequestID: key, orderType: .offCycleRead, servicePointID: servicePoint),
            status: .received)])
        guard case .accepted(let order) = try #require(outcome.first) else { throw StoreError.notFound(key) }
        return order.orderID
    }
}

import SOMCodec
import SOMScheduler
import Testing

@Suite("Cancellation", .timeLimit(.minutes(2)))
struct CancellationTests {
    @Test func queuedCommandIsRemoved() {
        var machine = scheduler()
        _ = machine.enqueue(command("a"), now: TestClock.at(0))
        _ = machine.enqueue(command("b"), now: TestClock.at(0))
        let events = machine.cancel(commandID: "a", now: TestClock.at(1))
        #expect(events.compactMap(\.cancelled).map(\.0) == ["a"])
        #expect(events.compactMap(\.cancelled).map(\.1) == [false])
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(1)).ids == ["b"])
        #expect(machine.cancel(commandID: "a", now: TestClock.at(2)).isEmpty)
        #expect(machine.enqueue(command("a"), now: TestClock.at(2)) == .alreadyFinished(.cancelled))
    }

    @Test func allCommandsOfAnOrderAreCancelled() {
        var machine = scheduler()
        _ = machine.enqueue(command("read", order: "O1", type: .onDemandRead), now: TestClock.at(0))
        _ = machine.enqueue(command("ping", order: "O1", type: .statusCheck, due: TestClock.at(60)), now: TestClock.at(0))
        _ = machine.enqueue(command("other", order: "O2"), now: TestClock.at(0))
        _ = machine.enqueue(command("far", gateway: "G2", order: "O1"), now: TestClock.at(0))
        #expect(Set(machine.commands(ofOrder: "O1").map(\.commandID)) == ["read", "ping", "far"])
        let events = machine.cancel(orderID: "O1", now: TestClock.at(1))
        #expect(Set(events.compactMap(\.cancelled).map(\.0)) == ["read", "ping", "far"])
        #expect(machine.commands(ofOrder: "O1").isEmpty)
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(100)).ids == ["other"])
        #expect(machine.pull(gatewayID: "G2", now: TestClock.at(100)).batch == nil)
        #expect(machine.queuedCount == 0)
    }

    @Test func leasedCommandIsMarkedAndItsResultIgnored() throws {
        var machine = scheduler()
        _ = machine.enqueue(command("a"), now: TestClock.at(0))
        _ = machine.pull(gatewayID: "G1", now: TestClock.at(0))
        let events = machine.cancel(commandID: "a", now: TestClock.at(1))
        #expect(events.compactMap(\.cancelled).map(\.1) == [true])
        #expect(machine.queuedCommand("a")?.cancelRequested == true)
        let accepted = machine.report([result("a", .accepted)], gatewayID: "G1", now: TestClock.at(2))
        #expect(accepted.events.compactMap(\.ignored).map(\.reason) == [.cancelled])
        #expect(machine.queuedCommand("a") != nil)
        let outcome = machine.report([result("a")], gatewayID: "G1", now: TestClock.at(2))
        #expect(outcome.applied == [false])
        // The head-end did act: the result travels with the ignored event for the order to verify.
        let ignored = try #require(outcome.events.compactMap(\.ignored).first)
        #expect(ignored.reason == .cancelled)
        #expect(ignored.result.kind == .succeeded)
        #expect(machine.queuedCommand("a") == nil)
        #expect(machine.statistics(gatewayID: "G1", now: TestClock.at(2))?.inFlight == 0)
    }

    @Test func leasedCancelledCommandIsNotRedelivered() {
        var machine = scheduler()
        _ = machine.enqueue(command("a"), now: TestClock.at(0))
        _ = machine.pull(gatewayID: "G1", now: TestClock.at(0))
        _ = machine.cancel(commandID: "a", now: TestClock.at(1))
        let ended = machine.advance(now: TestClock.at(30))
        #expect(ended.compactMap(\.redelivery).isEmpty)
        #expect(machine.queuedCommand("a") == nil)
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(30)).batch == nil)
    }

    @Test func manyCancellationsKeepTheQueueConsistent() {
        var machine = scheduler(GatewayLimits(batchSize: 1000, linger: .zero, maxInFlight: 10_000))
        for index in 0..<5000 { _ = machine.enqueue(command("c\(index)", order: "O\(index % 500)"), now: TestClock.at(0)) }
        for order in stride(from: 0, to: 500, by: 2) { _ = machine.cancel(orderID: "O\(order)", now: TestClock.at(1)) }
        #expect(machine.queuedCount == 2500)
        var pulled: [String] = []
        while let batch = machine.pull(gatewayID: "G1", now: TestClock.at(2)).batch { pulled += batch.commands.map(\.commandID) }
        #expect(pulled.count == 2500)
        #expect(pulled.allSatisfy { Int($0.dropFirst())! % 2 == 1 })
        #expect(pulled == pulled.sorted { Int($0.dropFirst())! < Int($1.dropFirst())! })
    }
}

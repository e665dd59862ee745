import SOMCodec
import SOMScheduler
import Testing

@Suite("Batch size, linger, rate and in-flight limits", .timeLimit(.minutes(2)))
struct BatchingTests {
    @Test func fullBatchClosesAtOnceAndPartialWaitsForLinger() {
        var machine = scheduler(GatewayLimits(batchSize: 5, linger: .seconds(1)))
        for index in 0..<3 { _ = machine.enqueue(command("c\(index)"), now: TestClock.at(0)) }
        let early = machine.pull(gatewayID: "G1", now: TestClock.at(0.5))
        #expect(early.batch == nil)
        #expect(early.wait == .lingeringUntil(TestClock.at(1)))
        for index in 3..<7 { _ = machine.enqueue(command("c\(index)"), now: TestClock.at(0.6)) }
        let full = machine.pull(gatewayID: "G1", now: TestClock.at(0.6))
        #expect(full.ids == ["c0", "c1", "c2", "c3", "c4"])
        // c5 and c6 were queued at 0.6: they leave at 1.6 unless the batch fills first.
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(1.0)).wait == .lingeringUntil(TestClock.at(1.6)))
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(1.6)).ids == ["c5", "c6"])
    }

    @Test func adapterMaxBatchOverridesTheConfiguredSize() {
        var machine = scheduler(GatewayLimits(batchSize: 5, linger: .seconds(1)))
        for index in 0..<3 { _ = machine.enqueue(command("c\(index)"), now: TestClock.at(0)) }
        #expect(machine.pull(gatewayID: "G1", maxBatch: 2, now: TestClock.at(0)).ids == ["c0", "c1"])
        let batch = machine.pull(gatewayID: "G1", maxBatch: 2, now: TestClock.at(0)).batch
        #expect(batch == nil)
    }

    @Test func rateLimitPacesFullBatches() {
        var machine = scheduler(GatewayLimits(batchSize: 5, linger: .zero, commandsPerSecond: 10, burst: 5))
        for index in 0..<20 { _ = machine.enqueue(command("c\(index)"), now: TestClock.at(0)) }
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(0)).ids.count == 5)
        let limited = machine.pull(gatewayID: "G1", now: TestClock.at(0.1))
        #expect(limited.batch == nil)
        #expect(limited.wait == .rateLimitedUntil(TestClock.at(0.5)))
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(0.5)).ids.count == 5)
        // Over 1.5 s the gateway saw 15 commands: its 10/s plus the initial burst.
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(0.9)).batch == nil)
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(1.0)).ids.count == 5)
        #expect(machine.statistics(gatewayID: "G1", now: TestClock.at(1.0))?.dispatched == 15)
    }

    @Test func inFlightLimitHoldsBatchesUntilResultsArrive() {
        var machine = scheduler(GatewayLimits(batchSize: 4, linger: .zero, maxInFlight: 4))
        for index in 0..<8 { _ = machine.enqueue(command("c\(index)"), now: TestClock.at(0)) }
        let first = machine.pull(gatewayID: "G1", now: TestClock.at(0))
        #expect(first.ids == ["c0", "c1", "c2", "c3"])
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(1)).wait == .inFlightLimit)
        _ = machine.report(first.ids.prefix(3).map { result($0) }, gatewayID: "G1", now: TestClock.at(1))
        // One still in flight: room for 3, but a full batch of 4 is ready, so the pull waits.
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(1)).wait == .inFlightLimit)
        _ = machine.report([result("c3")], gatewayID: "G1", now: TestClock.at(1))
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(1)).ids == ["c4", "c5", "c6", "c7"])
        let stats = machine.statistics(gatewayID: "G1", now: TestClock.at(1))
        #expect(stats?.inFlight == 4)
        #expect(stats?.succeeded == 4)
    }

    @Test func eachGatewayHasItsOwnQueueAndLimits() {
        var configuration = SchedulerConfiguration(defaultGatewayLimits: immediate)
        configuration.gatewayLimits["slow"] = GatewayLimits(batchSize: 1, linger: .zero, commandsPerSecond: 1, burst: 1)
        var machine = SchedulerStateMachine(configuration: configuration)
        for index in 0..<3 {
            _ = machine.enqueue(command("s\(index)", gateway: "slow"), now: TestClock.at(0))
            _ = machine.enqueue(command("f\(index)", gateway: "fast"), now: TestClock.at(0))
        }
        #expect(machine.pull(gatewayID: "slow", now: TestClock.at(0)).ids == ["s0"])
        #expect(machine.pull(gatewayID: "slow", now: TestClock.at(0)).batch == nil)
        #expect(machine.pull(gatewayID: "fast", now: TestClock.at(0)).ids == ["f0", "f1", "f2"])
        #expect(machine.pull(gatewayID: "slow", now: TestClock.at(1)).ids == ["s1"])
    }
}

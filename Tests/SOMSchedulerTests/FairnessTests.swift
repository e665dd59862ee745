import SOMCodec
import SOMScheduler
import Testing

@Suite("Fairness across gateways", .timeLimit(.minutes(2)))
struct FairnessTests {
    @Test func pullAnyServesAThousandGatewaysInTurn() {
        var machine = scheduler(GatewayLimits(batchSize: 10, linger: .zero))
        let now = TestClock.at(0)
        // One gateway with a deep backlog enqueued first, then 999 with a little work each.
        for index in 0..<10_000 { _ = machine.enqueue(command("deep-\(index)", gateway: "G0000"), now: now) }
        for gateway in 1..<1000 {
            for index in 0..<3 {
                _ = machine.enqueue(command("g\(gateway)-\(index)", gateway: "G\(gateway)"), now: now)
            }
        }
        var servedInFirstRound: Set<GatewayID> = []
        for _ in 0..<1000 {
            guard let batch = machine.pullAny(now: now).batch else { break }
            servedInFirstRound.insert(batch.gatewayID)
        }
        #expect(servedInFirstRound.count == 1000)
        // The next pull goes back to the deep gateway: the others are drained.
        #expect(machine.pullAny(now: now).batch?.gatewayID == "G0000")
    }

    @Test func aGatewayThatDisappearsBlocksNobody() throws {
        var machine = scheduler(GatewayLimits(batchSize: 5, linger: .zero), maxAttempts: 2)
        var clock = TestClock()
        for gateway in 0..<1000 {
            for index in 0..<10 {
                _ = machine.enqueue(command("g\(gateway)-\(index)", gateway: "G\(gateway)"), now: clock.now)
            }
        }
        // G0 pulls once and vanishes; the other 999 keep pulling and answering.
        _ = machine.pull(gatewayID: "G0", now: clock.now)
        var served = [Int](repeating: 0, count: 1000)
        var deadLettered = 0
        for _ in 0..<4 {
            for gateway in 1..<1000 {
                let pulled = machine.pull(gatewayID: "G\(gateway)", now: clock.now)
                deadLettered += pulled.events.compactMap(\.deadLetter).count
                served[gateway] += pulled.ids.count
                _ = machine.report(pulled.ids.map { result($0) }, gatewayID: "G\(gateway)", now: clock.now)
            }
            clock.advance(by: .seconds(31))
        }
        #expect(served.dropFirst().allSatisfy { $0 == 10 })
        deadLettered += machine.advance(now: clock.now).compactMap(\.deadLetter).count
        // G0's first batch expired twice (redelivery is queued; nobody pulls it) — still queued, not lost.
        let g0 = try #require(machine.statistics(gatewayID: "G0", now: clock.now))
        #expect(g0.queued == 10)
        #expect(g0.inFlight == 0)
        #expect(g0.leaseExpiries == 1)
        #expect(deadLettered == 0)
    }

    @Test func perGatewayStatisticsForOperators() throws {
        var machine = scheduler(GatewayLimits(batchSize: 10, linger: .zero))
        for index in 0..<20 { _ = machine.enqueue(command("c\(index)"), now: TestClock.at(0)) }
        let batch = machine.pull(gatewayID: "G1", now: TestClock.at(0))
        _ = machine.report(Array(batch.ids.prefix(8)).map { result($0) } + [result("c8", .failed, failure: .permanent)], gatewayID: "G1", now: TestClock.at(1))
        let stats = try #require(machine.statistics(now: TestClock.at(1)).first)
        #expect(stats.gatewayID == "G1")
        #expect(stats.queued == 10)
        #expect(stats.inFlight == 1)
        #expect(stats.succeeded == 8)
        #expect(stats.failed == 1)
        #expect(stats.dispatchedPerSecond == 1.0)
        #expect(stats.successRate == 8.0 / 9.0)
        let message = stats.message
        #expect(message.gatewayID == "G1")
        #expect(message.queued == 10)
        #expect(message.inFlight == 1)
    }
}

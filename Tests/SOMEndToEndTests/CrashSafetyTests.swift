import Foundation
import SOMClient
import SOMCodec
import SOMRPC
import SOMTestSupport
import SOMTransport
import Testing

/// Real somd processes, SIGKILLed while a SubmitBatch stream is in flight, restarted on the same data
/// directory and checked through the public API only.
///
/// The promise under test: an item the server acknowledged (ACCEPTED or DUPLICATE) is durable, stored
/// exactly once under its idempotency key with the id it was acknowledged with; an unacknowledged item
/// may or may not be stored, but never twice; re-sending the whole batch creates nothing new; the
/// event log has no gap.
@Suite("Crash safety: kill -9 during SubmitBatch", .timeLimit(.minutes(10)))
struct CrashSafetyTests {
    @Test("acknowledged orders survive SIGKILL exactly once; resubmitting the batch creates no duplicate; the event log stays gapless",
          .enabled(if: SomdBinary.path != nil, SomdBinary.missingReason))
    func killDuringBatches() async throws {
        let settings = try CrashSettings(environment: ProcessInfo.processInfo.environment)
        let binary = try #require(SomdBinary.path)
        let directory = try TemporaryDirectory(prefix: "som-crash")
        defer { directory.remove() }
        let harness = CrashHarness(settings: settings, binary: binary, directory: directory)
        let started = ContinuousClock.now
        var ledger = Ledger()
        // Plans come from their own generator so the kill schedule is fixed by the seed alone;
        // which items each kill interrupts still depends on timing, which is the point.
        var plans = SplitMix64(state: settings.seed ^ 0x6B69_6C6C)
        var extras = SplitMix64(state: settings.seed ^ 0x6475_7073)
        for round in 0..<settings.kills {
            let plan = harness.plan(round: round, ledger: ledger, using: &plans)
            let problems = try await harness.round(round, plan, &ledger, using: &extras)
            guard problems.isEmpty else {
                Issue.record(Comment(rawValue: harness.evidence(problems, ledger: ledger, during: "round \(round)")))
                return
            }
        }
        let problems = try await harness.finish(&ledger)
        if !problems.isEmpty {
            Issue.record(Comment(rawValue: harness.evidence(problems, ledger: ledger, during: "the final restart and resubmission")))
        }
        let elapsed = ContinuousClock.now - started
        print("""
            crash-safety: \(settings), \(ledger.kills.count) SIGKILLs \(ledger.killSummary) in \
            \(elapsed.components.seconds) s; \
            \(ledger.acknowledged.count) orders acknowledged, \(ledger.durableUnacknowledged) found durable though never acknowledged, \
            \(ledger.chunksInFlightAtKill) chunks in flight at kills, \(ledger.duplicateAcks) duplicate acknowledgements
            """)
    }
}

/// The run's size and seed; tools/crash-test raises them through the environment.
struct CrashSettings: CustomStringConvertible, Sendable {
    var kills = 30
    var orders = 4_000
    var chunkSize = 50
    var seed: UInt64 = 0x50A1_C4A5_0000_2026
    /// One line per round on stdout.
    var verbose = false

    init(environment: [String: String]) throws {
        if let text = environment["SOM_CRASH_KILLS"] { kills = try Self.number(text, "SOM_CRASH_KILLS", minimum: 1) }
        if let text = environment["SOM_CRASH_ORDERS"] { orders = try Self.number(text, "SOM_CRASH_ORDERS", minimum: 1) }
        if let text = environment["SOM_CRASH_CHUNK"] { chunkSize = try Self.number(text, "SOM_CRASH_CHUNK", minimum: 1) }
        verbose = !(environment["SOM_CRASH_VERBOSE"] ?? "").isEmpty && environment["SOM_CRASH_VERBOSE"] != "0"
        if let text = environment["SOM_CRASH_SEED"] {
            let parsed = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
            seed = try #require(parsed, "SOM_CRASH_SEED must be a decimal or 0x-hex 64-bit number, not \(text)")
        }
    }

    private static func number(_ text: String, _ name: String, minimum: Int) throws -> Int {
        let value = try #require(Int(text), "\(name) must be a whole number, not \(text)")
        try #require(value >= minimum, "\(name) must be at least \(minimum)")
        return value
    }

    var description: String { "seed \(seed) (0x\(String(seed, radix: 16))), \(orders) orders in chunks of \(chunkSize)" }
    var replay: String { "SOM_CRASH_SEED=\(seed) SOM_CRASH_KILLS=\(kills) SOM_CRASH_ORDERS=\(orders) SOM_CRASH_CHUNK=\(chunkSize)" }
}

/// Where one round's SIGKILL lands.
enum KillPoint: Sendable, CustomStringConvertible {
    /// This long after exec, without waiting for Health: may hit store open and recovery.
    case duringStartup(milliseconds: Int)
    /// Once the restart checks pass, before any write: recovery must leave a restartable store.
    case afterStart
    /// As soon as this many chunks went out, before their results are read.
    case afterSending(chunks: Int)
    /// As soon as this many chunk results arrived, with later chunks still in flight.
    case afterAcknowledged(chunks: Int)
    /// This long after the stream opened, wherever the pipeline is then.
    case afterDelay(milliseconds: Int)

    var kind: String {
        switch self {
        case .duringStartup: return "start-up"
        case .afterStart: return "idle"
        case .afterSending: return "sent"
        case .afterAcknowledged: return "acked"
        case .afterDelay: return "delay"
        }
    }

    var description: String {
        switch self {
        case .duringStartup(let ms): return "kill \(ms) ms after exec, during start-up"
        case .afterStart: return "kill once serving, before any write"
        case .afterSending(let chunks): return "kill right after sending chunk \(chunks)"
        case .afterAcknowledged(let chunks): return "kill on receiving result \(chunks)"
        case .afterDelay(let ms): return "kill \(ms) ms after the stream opened"
        }
    }
}

/// The batch: unique keys, random service points and order types, all valid.
struct CrashBatch: Sendable {
    let requests: [ServiceOrderRequest]
    let indexByKey: [String: Int]

    init(count: Int, seed: UInt64) {
        var rng = SplitMix64(state: seed)
        let sources: [SourceSystem] = [.cis, .mdm, .odm]
        let types: [OrderType] = [.enableService, .disableService, .cutForNonPayment, .reconnectForPayment, .exchangeMeter, .offCycleRead, .investigate]
        // About six orders per service point, so the service-point index holds several per key.
        let points = max(1, count / 6)
        var requests: [ServiceOrderRequest] = []
        requests.reserveCapacity(count)
        for index in 0..<count {
            requests.append(ServiceOrderRequest(
                sourceSystem: sources[Int.random(in: 0..<sources.count, using: &rng)],
                sourceRequestID: "CR-\(index)",
                orderType: types[Int.random(in: 0..<types.count, using: &rng)],
                servicePointID: "SP-\(Int.random(in: 0..<points, using: &rng))",
                notes: Bool.random(using: &rng) ? "crash batch item \(index)" : ""))
        }
        self.requests = requests
        indexByKey = Dictionary(uniqueKeysWithValues: requests.enumerated().map { ($0.element.sourceRequestID, $0.offset) })
    }

    var count: Int { requests.count }
}

/// Everything the test learnt about the server across restarts.
struct Ledger {
    /// Batch index -> the order id the server acknowledged it with.
    var acknowledged: [Int: String] = [:]
    /// Batch index -> the order id it was found stored under after a restart (durable, acked or not).
    var stored: [Int: String] = [:]
    /// Batch indexes sent at least once.
    var sent = Set<Int>()
    /// One line per SIGKILL, for the evidence of a failure.
    var kills: [String] = []
    var killKinds: [String: Int] = [:]
    var durableUnacknowledged = 0
    var chunksInFlightAtKill = 0
    var duplicateAcks = 0
    /// Milliseconds per acknowledged chunk in earlier rounds: calibrates the random delays to this machine.
    var millisecondsPerChunk = 10.0

    /// The first batch index not acknowledged: the next round streams from there.
    func cursor(_ count: Int) -> Int {
        var index = 0
        while index < count, acknowledged[index] != nil { index += 1 }
        return index
    }

    var killSummary: String {
        "(" + killKinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
    }
}

/// One item's answer in a chunk result.
struct Acknowledgement: Sendable {
    let index: Int
    let disposition: ItemDisposition
    let orderID: String
    let code: UInt32
    let reason: String
}

/// What one round's stream saw before the kill.
struct StreamOutcome: Sendable {
    var acknowledgements: [Acknowledgement] = []
    var chunksSent = 0
    var chunksAnswered = 0
    var problems: [String] = []
    var elapsed: Duration = .zero
}

struct CrashHarness: Sendable {
    let settings: CrashSettings
    let binary: String
    let directory: TemporaryDirectory
    let batch: CrashBatch

    init(settings: CrashSettings, binary: String, directory: TemporaryDirectory) {
        self.settings = settings
        self.binary = binary
        self.directory = directory
        self.batch = CrashBatch(count: settings.orders, seed: settings.seed)
    }

    var socketPath: String { directory.appending("som.sock") }

    func launch() throws -> SomdProcess {
        try SomdProcess.launch(binary: binary, socketPath: socketPath, dataPath: directory.appending("data"), logPath: directory.appending("somd.log"))
    }

    /// Spreads the batch over the rounds: a round aims at about twice its share of the orders never
    /// yet stored, so most rounds still have fresh orders in flight when they are killed.
    func plan(round: Int, ledger: Ledger, using rng: inout SplitMix64) -> KillPoint {
        let fresh = batch.count - Set(ledger.stored.keys).union(ledger.acknowledged.keys).count
        let chunksLeft = (fresh + settings.chunkSize - 1) / settings.chunkSize
        let share = max(1, 2 * chunksLeft / max(1, settings.kills - round))
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<8:
            return .duringStartup(milliseconds: Int.random(in: 0...400, using: &rng))
        case 8..<18:
            return .afterStart
        case 18..<33:
            return .afterSending(chunks: Int.random(in: 1...3, using: &rng))
        case 33..<66:
            return .afterAcknowledged(chunks: Int.random(in: 1...share, using: &rng))
        default:
            let most = max(5, Int(Double(share) * ledger.millisecondsPerChunk))
            return .afterDelay(milliseconds: Int.random(in: 0...most, using: &rng))
        }
    }

    /// Starts somd, checks what survived the previous kill, streams, kills at `plan`.
    func round(_ number: Int, _ plan: KillPoint, _ ledger: inout Ledger, using rng: inout SplitMix64) async throws -> [String] {
        let somd = try launch()
        defer { somd.stop() }
        func planned() {
            ledger.kills.append("round \(number): \(plan)")
            ledger.killKinds[plan.kind, default: 0] += 1
        }

        if case .duringStartup(let milliseconds) = plan {
            try await Task.sleep(for: .milliseconds(milliseconds))
            planned()
            return try await killAndReap(somd)
        }
        try await somd.waitUntilServing()
        let client = SOMClient(socketPath: socketPath)
        var problems = try await verifyStore(client, &ledger, after: "restart before round \(number)")
        guard problems.isEmpty else {
            await client.close()
            return problems
        }
        planned()
        if case .afterStart = plan {
            await client.close()
            return try await killAndReap(somd)
        }

        // More than the kill point needs, but not the whole rest: the server commits up to its
        // in-flight limit of chunks past any kill, which would use the batch up in a few rounds.
        let budget: Int
        switch plan {
        case .afterSending(let chunks): budget = chunks
        case .afterAcknowledged(let chunks): budget = chunks + Int.random(in: 0...12, using: &rng)
        case .afterDelay(let milliseconds): budget = Int(Double(milliseconds) / ledger.millisecondsPerChunk) + Int.random(in: 1...12, using: &rng)
        case .duringStartup, .afterStart: budget = 0
        }
        let chunks = chunksForRound(ledger, limit: budget, using: &rng)
        let cursor = ledger.cursor(batch.count)
        let outcome = try await stream(chunks, firstChunkID: UInt64(number) << 32, plan: plan, client: client, somd: somd)
        await client.close()
        problems += outcome.problems
        problems += try await killAndReap(somd)
        problems += record(outcome, chunks: chunks, into: &ledger)
        if settings.verbose {
            print("round \(number): \(plan); from \(cursor): \(outcome.chunksSent)/\(chunks.count) chunks sent, \(outcome.chunksAnswered) answered in \(outcome.elapsed); \(ledger.acknowledged.count) acknowledged, \(ledger.stored.count) seen stored")
        }
        return problems
    }

    /// Up to `limit` chunks of orders from the cursor on (first the ones a kill left unanswered),
    /// with a few acknowledged ones mixed in so duplicates cross the kills too.
    func chunksForRound(_ ledger: Ledger, limit: Int, using rng: inout SplitMix64) -> [[Int]] {
        let acknowledged = ledger.acknowledged.keys.sorted()
        func sprinkle(_ chunk: inout [Int], _ count: Int) {
            guard !acknowledged.isEmpty else { return }
            for _ in 0..<count {
                chunk.insert(acknowledged[Int.random(in: 0..<acknowledged.count, using: &rng)], at: Int.random(in: 0...chunk.count, using: &rng))
            }
        }
        var chunks: [[Int]] = []
        var next = ledger.cursor(batch.count)
        if next == batch.count {
            // Nothing new left: the stream still carries work, all of it duplicates.
            for _ in 0..<min(3, max(1, limit)) {
                var chunk: [Int] = []
                sprinkle(&chunk, 20)
                chunks.append(chunk)
            }
            return chunks
        }
        while next < batch.count, chunks.count < limit {
            var chunk = Array(next..<min(batch.count, next + settings.chunkSize))
            next += chunk.count
            sprinkle(&chunk, Int.random(in: 0...5, using: &rng))
            chunks.append(chunk)
        }
        return chunks
    }

    /// Sends `chunks` pipelined while reading results concurrently; kills somd where `plan` says
    /// (nil: never).
    func stream(_ chunks: [[Int]], firstChunkID: UInt64, plan: KillPoint?, client: SOMClient, somd: SomdProcess) async throws -> StreamOutcome {
        let started = ContinuousClock.now
        let call = try await client.submitBatch(options: CallOptions(timeout: .seconds(600)))
        let requests = batch.requests
        let killAfterSending: Int? = if case .afterSending(let count)? = plan { count } else { nil }
        let killAfterResults: Int? = if case .afterAcknowledged(let count)? = plan { count } else { nil }

        async let answered: (results: [SubmitBatchChunkResult], error: (any Error)?) = {
            var results: [SubmitBatchChunkResult] = []
            do {
                for try await result in call.responses {
                    results.append(result)
                    if results.count == killAfterResults { somd.kill() }
                }
                return (results, nil)
            } catch {
                return (results, error)
            }
        }()
        async let timer: Void = {
            guard case .afterDelay(let milliseconds)? = plan else { return }
            try? await Task.sleep(for: .milliseconds(milliseconds))
            somd.kill()
        }()

        var outcome = StreamOutcome()
        do {
            for (offset, chunk) in chunks.enumerated() {
                try await call.send(SubmitBatchChunk(chunkID: firstChunkID + UInt64(offset), requests: chunk.map { requests[$0] }))
                outcome.chunksSent += 1
                if outcome.chunksSent == killAfterSending {
                    somd.kill()
                    break
                }
            }
            call.finishSending()
        } catch where somd.wasKilled {
            // The kill broke the connection under a send: expected.
        } catch {
            outcome.problems.append("sending chunk \(outcome.chunksSent) failed before any kill: \(error)")
            call.cancel()
        }
        let (results, error) = await answered
        await timer
        outcome.elapsed = ContinuousClock.now - started
        if let error, !somd.wasKilled {
            outcome.problems.append("reading results failed before any kill: \(error); log:\n\(somd.logTail())")
        }
        outcome.chunksAnswered = results.count
        for (position, result) in results.enumerated() {
            guard position < chunks.count, result.chunkID == firstChunkID + UInt64(position) else {
                outcome.problems.append("result \(position) names chunk \(result.chunkID), expected \(firstChunkID + UInt64(position)): results out of order")
                continue
            }
            let chunk = chunks[position]
            guard result.items.count == chunk.count else {
                outcome.problems.append("chunk \(result.chunkID) sent \(chunk.count) items and got \(result.items.count) answers")
                continue
            }
            for (slot, item) in result.items.enumerated() {
                if item.index != UInt32(slot) {
                    outcome.problems.append("chunk \(result.chunkID) answer \(slot) carries index \(item.index)")
                }
                outcome.acknowledgements.append(Acknowledgement(
                    index: chunk[slot], disposition: item.disposition, orderID: item.orderID, code: item.code, reason: item.reason))
            }
        }
        return outcome
    }

    /// SIGKILLs somd (if nothing did yet) and checks it died of that signal, not of its own accord.
    func killAndReap(_ somd: SomdProcess) async throws -> [String] {
        let alreadyGone = somd.exited
        somd.kill()
        let exit = try await somd.waitForExit()
        if let alreadyGone, !somd.wasKilled || !alreadyGone.isOurSIGKILL {
            return ["somd \(alreadyGone) on its own before the planned kill; log:\n\(somd.logTail())"]
        }
        return exit.isOurSIGKILL ? [] : ["somd \(exit) instead of dying of SIGKILL; log:\n\(somd.logTail())"]
    }

    /// Folds a round's acknowledgements into the ledger, checking each against what is known.
    func record(_ outcome: StreamOutcome, chunks: [[Int]], into ledger: inout Ledger) -> [String] {
        var problems: [String] = []
        for chunk in chunks.prefix(outcome.chunksSent) { ledger.sent.formUnion(chunk) }
        ledger.chunksInFlightAtKill += max(0, outcome.chunksSent - outcome.chunksAnswered)
        if outcome.chunksAnswered > 0 {
            let milliseconds = Double(outcome.elapsed.components.seconds) * 1000 + Double(outcome.elapsed.components.attoseconds) / 1e15
            ledger.millisecondsPerChunk = 0.5 * ledger.millisecondsPerChunk + 0.5 * milliseconds / Double(outcome.chunksAnswered)
        }
        var owners = Dictionary(uniqueKeysWithValues: ledger.acknowledged.map { ($0.value, $0.key) })
        for (id, index) in ledger.stored.map({ ($0.value, $0.key) }) where owners[id] == nil { owners[id] = index }
        for ack in outcome.acknowledgements {
            let key = batch.requests[ack.index].sourceRequestID
            switch ack.disposition {
            case .accepted, .duplicate:
                break
            default:
                problems.append("\(key) was answered \(ack.disposition) (code \(ack.code): \(ack.reason)); every item is valid and sent unchanged")
                continue
            }
            let known = ledger.acknowledged[ack.index] ?? ledger.stored[ack.index]
            if let known {
                if ack.orderID != known {
                    problems.append("\(key) acknowledged as \(ack.orderID), but it was \(known) before: a second order for one key")
                } else if ack.disposition == .accepted {
                    problems.append("\(key) ACCEPTED again as \(ack.orderID) although \(known) already held it: the earlier order was lost")
                }
            } else if ack.disposition == .duplicate {
                // Everything durable is listed after each restart; an unseen key cannot be a duplicate.
                problems.append("\(key) answered DUPLICATE of \(ack.orderID), which no restart ever showed stored")
            }
            if let owner = owners[ack.orderID], owner != ack.index {
                problems.append("order id \(ack.orderID) acknowledged for \(key) but earlier for \(batch.requests[owner].sourceRequestID): id reused")
            }
            owners[ack.orderID] = ack.index
            if ack.disposition == .duplicate { ledger.duplicateAcks += 1 }
            ledger.acknowledged[ack.index] = ack.orderID
        }
        return problems
    }

    /// Lists every stored order and checks it against the ledger: every acknowledged or previously
    /// durable key present once, with its id and its request; ids dense and unique; one event per order.
    func verifyStore(_ client: SOMClient, _ ledger: inout Ledger, after moment: String) async throws -> [String] {
        var problems: [String] = []
        let stats = try await client.stats()
        let orders = try await listAll(client, ListOrdersRequest(pageSize: 1000))
        if stats.ordersTotal != UInt64(orders.count) {
            problems.append("Stats orders_total \(stats.ordersTotal) but List returned \(orders.count) orders")
        }
        // The orchestrator moves orders on (with no devices on file they fail or wait), so the log
        // holds more than the RECEIVED events; each order still has exactly one of those.
        if stats.eventsHead < stats.ordersTotal {
            problems.append("events head \(stats.eventsHead) but \(stats.ordersTotal) orders: every order has a RECEIVED event")
        }
        var found: [Int: Order] = [:]
        var numbers: [UInt64] = []
        numbers.reserveCapacity(orders.count)
        for order in orders {
            guard let number = Self.orderNumber(order.orderID) else {
                problems.append("malformed order id \(order.orderID)")
                continue
            }
            numbers.append(number)
            let key = order.request?.sourceRequestID ?? ""
            guard let index = batch.indexByKey[key] else {
                problems.append("\(order.orderID) holds key \(key), which the batch does not have")
                continue
            }
            if let earlier = found[index] {
                problems.append("\(key) is stored twice: \(earlier.orderID) and \(order.orderID)")
            }
            found[index] = order
            if order.request != batch.requests[index] {
                problems.append("\(order.orderID) for \(key) holds a different request than was sent")
            }
            if !ledger.sent.contains(index) {
                problems.append("\(order.orderID) holds \(key), which was never sent")
            }
        }
        if numbers != (0..<UInt64(numbers.count)).map({ $0 + 1 }) {
            let missing = Set((0..<UInt64(numbers.count)).map { $0 + 1 }).subtracting(numbers).sorted().prefix(10)
            problems.append("order ids are not 1...\(numbers.count) in order (missing e.g. \(missing.map { Self.orderID($0) }))")
        }
        for (index, id) in ledger.acknowledged.sorted(by: { $0.key < $1.key }) {
            let key = batch.requests[index].sourceRequestID
            guard let order = found[index] else {
                problems.append("LOST: \(key) was acknowledged as \(id) and is not stored")
                continue
            }
            if order.orderID != id { problems.append("\(key) was acknowledged as \(id) but is stored as \(order.orderID)") }
        }
        for (index, id) in ledger.stored.sorted(by: { $0.key < $1.key }) where ledger.acknowledged[index] == nil {
            let key = batch.requests[index].sourceRequestID
            guard let order = found[index] else {
                problems.append("LOST: \(key) was stored as \(id) after an earlier restart and is gone now")
                continue
            }
            if order.orderID != id { problems.append("\(key) was stored as \(id) after an earlier restart, now as \(order.orderID)") }
        }
        for (index, order) in found where ledger.stored[index] == nil {
            if ledger.acknowledged[index] == nil { ledger.durableUnacknowledged += 1 }
            ledger.stored[index] = order.orderID
        }
        // Get must agree with List; a sample per restart, every order at the end.
        var sample = SplitMix64(state: UInt64(orders.count) &* 0x9E37_79B9)
        for _ in 0..<min(20, orders.count) {
            let listed = orders[Int.random(in: 0..<orders.count, using: &sample)]
            let fetched = try await client.order(listed.orderID)
            // The orchestrator may move the order on between the two reads; what was taken in may not change.
            if fetched.orderID != listed.orderID || fetched.request != listed.request || fetched.receivedAt != listed.receivedAt {
                problems.append("Get \(listed.orderID) differs from List")
            }
        }
        return problems.map { "\(moment): \($0)" }
    }

    /// The last restart: full checks, the whole batch re-sent, then the event log read from 1.
    func finish(_ ledger: inout Ledger) async throws -> [String] {
        let somd = try launch()
        defer { somd.stop() }
        try await somd.waitUntilServing()
        let client = SOMClient(socketPath: socketPath)
        defer { Task { await client.close() } }
        var problems = try await verifyStore(client, &ledger, after: "final restart")
        guard problems.isEmpty else { return problems }

        let before = ledger.stored
        let chunks = stride(from: 0, to: batch.count, by: settings.chunkSize).map { Array($0..<min(batch.count, $0 + settings.chunkSize)) }
        let outcome = try await stream(chunks, firstChunkID: UInt64.max >> 1, plan: nil, client: client, somd: somd)
        problems += outcome.problems.map { "resubmission: \($0)" }
        if outcome.chunksAnswered != chunks.count {
            problems.append("resubmission: \(outcome.chunksAnswered) of \(chunks.count) chunks answered")
        }
        var resubmitted: [Int: String] = [:]
        for ack in outcome.acknowledgements {
            let key = batch.requests[ack.index].sourceRequestID
            if let id = before[ack.index] {
                if ack.disposition != .duplicate || ack.orderID != id {
                    problems.append("resubmission: \(key) (stored as \(id)) answered \(ack.disposition) \(ack.orderID), not DUPLICATE \(id)")
                }
            } else if ack.disposition != .accepted {
                problems.append("resubmission: \(key) was never stored yet answered \(ack.disposition) \(ack.orderID) (\(ack.reason))")
            }
            resubmitted[ack.index] = ack.orderID
        }
        guard problems.isEmpty else { return problems }
        ledger.sent.formUnion(0..<batch.count)
        for (index, id) in resubmitted where ledger.acknowledged[index] == nil { ledger.acknowledged[index] = id }

        let stats = try await client.stats()
        if stats.ordersTotal != UInt64(batch.count) {
            problems.append("after resubmission orders_total is \(stats.ordersTotal), the batch has \(batch.count) keys")
        }
        problems += try await verifyStore(client, &ledger, after: "after resubmission")
        guard problems.isEmpty else { return problems }
        problems += try await verifyIndexes(client, ledger)
        problems += try await verifyEventLog(client, ledger, head: stats.eventsHead)
        return problems
    }

    /// Every order by Get; the status index and a sample of service points agree with the ledger.
    func verifyIndexes(_ client: SOMClient, _ ledger: Ledger) async throws -> [String] {
        var problems: [String] = []
        var byServicePoint: [String: Set<String>] = [:]
        for (index, id) in ledger.acknowledged.sorted(by: { $0.key < $1.key }) {
            let order = try await client.order(id)
            if order.request != batch.requests[index] {
                problems.append("Get \(id) returns a request other than \(batch.requests[index].sourceRequestID)'s")
            }
            byServicePoint[batch.requests[index].servicePointID, default: []].insert(id)
        }
        let all = try await listAll(client, ListOrdersRequest(pageSize: 1000))
        if Set(all.map(\.orderID)) != Set(ledger.acknowledged.values) || all.count != batch.count {
            problems.append("List returned \(all.count) orders, not exactly the \(batch.count) acknowledged")
        }
        var sample = SplitMix64(state: settings.seed)
        let points = byServicePoint.keys.sorted()
        for _ in 0..<min(25, points.count) {
            let point = points[Int.random(in: 0..<points.count, using: &sample)]
            let listed = try await listAll(client, ListOrdersRequest(servicePointID: point, pageSize: 1000))
            if Set(listed.map(\.orderID)) != byServicePoint[point] || listed.count != byServicePoint[point]?.count {
                problems.append("List service_point_id=\(point) returned \(listed.map(\.orderID)), expected \(byServicePoint[point]?.sorted() ?? [])")
            }
        }
        return problems
    }

    /// Watch from sequence 1: 1...head with no gap, one RECEIVED event per stored order, every event about a stored order.
    func verifyEventLog(_ client: SOMClient, _ ledger: Ledger, head: UInt64) async throws -> [String] {
        var problems: [String] = []
        var events: [OrderEvent] = []
        let watcher = SOMClient(socketPath: socketPath)
        defer { Task { await watcher.close() } }
        for try await response in try await watcher.watch(WatchOrdersRequest(fromSequence: 1), options: CallOptions(timeout: .seconds(120))) {
            events += response.events
            // A page ending at the head, or an empty (heartbeat) page past it, means the log is read.
            if (events.last?.sequence ?? 0) >= head || (response.events.isEmpty && response.headSequence >= head) { break }
        }
        // The orchestrator keeps appending while the log is read; judge the log up to the head seen.
        events = events.filter { $0.sequence <= head }
        let sequences = events.map(\.sequence)
        if sequences != (0..<head).map({ $0 + 1 }) {
            let missing = Set((0..<head).map { $0 + 1 }).subtracting(sequences).sorted().prefix(10)
            problems.append("event log is not 1...\(head) without gaps: \(events.count) events, missing e.g. \(Array(missing))")
        }
        let expected = Dictionary(uniqueKeysWithValues: ledger.acknowledged.map { ($0.value, $0.key) })
        var seen = Set<String>()
        for event in events {
            if event.type == .received, !seen.insert(event.orderID).inserted {
                problems.append("second RECEIVED event for \(event.orderID) at \(event.sequence)")
            }
            if let index = expected[event.orderID] {
                if event.servicePointID != batch.requests[index].servicePointID {
                    problems.append("event \(event.sequence) names service point \(event.servicePointID) for \(event.orderID)")
                }
            } else {
                problems.append("event \(event.sequence) is for \(event.orderID), which is not a stored order")
            }
        }
        if seen.count != expected.count {
            problems.append("\(expected.count) orders but RECEIVED events for \(seen.count)")
        }
        return problems.prefix(50).map { "event log: \($0)" }
    }

    func listAll(_ client: SOMClient, _ first: ListOrdersRequest) async throws -> [Order] {
        var request = first
        var orders: [Order] = []
        while true {
            let page = try await client.list(request)
            orders += page.orders
            if page.nextPageToken.isEmpty { return orders }
            request.pageToken = page.nextPageToken
        }
    }

    static func orderNumber(_ id: String) -> UInt64? {
        guard id.hasPrefix("SO"), id.count == 14 else { return nil }
        return UInt64(id.dropFirst(2))
    }

    static func orderID(_ number: UInt64) -> String {
        let digits = String(number)
        return "SO" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    /// A failure report with what is needed to chase it: the seed, the recent kills, the somd log.
    func evidence(_ problems: [String], ledger: Ledger, during moment: String) -> String {
        let shown = problems.prefix(25).joined(separator: "\n  ")
        let more = problems.count > 25 ? "\n  ... and \(problems.count - 25) more" : ""
        let logged = String(decoding: (FileManager.default.contents(atPath: directory.appending("somd.log")) ?? Data()).suffix(3000), as: UTF8.self)
        let log = logged.isEmpty ? "(nothing at warning level or above)" : logged
        return """
            crash safety broken during \(moment); \(settings); replay with \(settings.replay)
              \(shown)\(more)
            last kills, newest (the likely cause of what a restart found) last:
              \(ledger.kills.suffix(5).joined(separator: "\n  "))
            acknowledged \(ledger.acknowledged.count), stored \(ledger.stored.count), sent \(ledger.sent.count)
            somd log tail:
            \(log)
            """
    }
}

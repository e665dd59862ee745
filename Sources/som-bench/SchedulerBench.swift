import ArgumentParser
import Foundation
import SOMCodec
import SOMScheduler

/// `som-bench scheduler`: the command scheduler alone, in-process (no server, no socket, no disk).
struct SchedulerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "SOMScheduler in-process: commands enqueued and dispatched per second across many gateways, and memory per queued command.",
        discussion: """
            Cases:
              enqueue           enqueue --commands commands spread over --gateways gateways (mixed priorities)
              dispatch          pull them all back in leased batches, gateway after gateway
              enqueue_dispatch  the two together: the issue's "enqueued and dispatched per second"
              full_cycle        enqueue, dispatch and report success for every command
              steady            --seconds of enqueue/pull/report with --depth commands kept queued
              memory_rss        resident bytes per queued command with --commands queued (ids are the
                                caller's strings; ids of up to 15 bytes are stored inline, as here)
              memory_counted    the same from the capacity of the scheduler's own arrays and tables

            Examples:
              som-bench scheduler
              som-bench scheduler --commands 2000000 --json
            """)

    @OptionGroup var timing: RunOptions

    @Option(name: .long, help: "Commands per case.")
    var commands = 1_000_000

    @Option(name: .long, help: "Gateways the commands are spread over.")
    var gateways = 1000

    @Option(name: .long, help: "Commands per batch.")
    var batch = 100

    @Option(name: .long, help: "Queued commands kept during the steady case.")
    var depth = 100_000

    func validate() throws {
        guard commands >= 1000 else { throw ValidationError("--commands must be at least 1000") }
        guard (1...100_000).contains(gateways) else { throw ValidationError("--gateways must be 1...100000") }
        guard (1...10_000).contains(batch) else { throw ValidationError("--batch must be 1...10000") }
        guard depth >= 0 else { throw ValidationError("--depth must be zero or more") }
    }

    func run() async throws {
        let pid = UInt32(ProcessInfo.processInfo.processIdentifier)
        let info = ServerInfo(socket: "(in-process)", version: "in-process", pid: pid, startedByBench: true)
        var report = GroupReport(group: "scheduler", server: info, run: timing)
        let load = SchedulerLoad(commands: commands, gateways: gateways, batch: batch)
        // Memory first, while the heap is fresh: freed blocks of earlier cases would hide growth.
        FileHandle.standardError.write(Data("[1/3] memory\n".utf8))
        report.results += load.memory()
        FileHandle.standardError.write(Data("[2/3] enqueue, dispatch, enqueue_dispatch\n".utf8))
        report.results += load.enqueueThenDispatch()
        FileHandle.standardError.write(Data("[3/3] full_cycle, steady\n".utf8))
        report.results.append(load.fullCycle())
        report.results.append(load.steady(depth: depth, seconds: timing.seconds, warmup: timing.warmup))
        try report.emit(json: timing.json)
    }
}

/// The generated workload: which commands, which gateways, and the timed loops.
struct SchedulerLoad {
    let commands: Int
    let gateways: Int
    let batch: Int
    let gatewayIDs: [GatewayID]
    private static let priorities: [Priority] = [.readsAndDeviceWork, .cutForNonPayment, .meterWork, .serviceChange, .reconnect]
    private static let start = SchedulerInstant(secondsSinceEpoch: 1_700_000_000)

    init(commands: Int, gateways: Int, batch: Int) {
        self.commands = commands
        self.gateways = gateways
        self.batch = batch
        gatewayIDs = (0..<gateways).map { GatewayID("HES-\($0)") }
    }

    func makeScheduler() -> SchedulerStateMachine {
        // No linger and no in-flight cap: the case measures the scheduler's own cost per command.
        SchedulerStateMachine(configuration: SchedulerConfiguration(
            defaultGatewayLimits: GatewayLimits(batchSize: batch, linger: .zero, maxInFlight: .max / 2)))
    }

    /// Command `number`: ids of at most 15 bytes, as the store's own ids are, so they are inline.
    func command(_ number: Int) -> QueuedCommand {
        QueuedCommand(
            commandID: "C\(number)", orderID: "SO\(number)", servicePointID: "SP\(number)", meterID: "M\(number)",
            gatewayID: gatewayIDs[number % gateways], type: .onDemandRead, priority: Self.priorities[number % Self.priorities.count],
            expiresAt: Self.start.advanced(by: .seconds(86_400)))
    }

    /// Enqueues `range` in chunks whose construction is not timed; returns the timed seconds.
    func enqueue(_ range: Range<Int>, into machine: inout SchedulerStateMachine, now: SchedulerInstant) -> Double {
        var seconds = 0.0
        var low = range.lowerBound
        while low < range.upperBound {
            let chunk = (low..<min(low + 10_000, range.upperBound)).map(command)
            let clock = ContinuousClock.now
            for item in chunk { _ = machine.enqueue(item, now: now) }
            seconds += Self.seconds(since: clock)
            low += chunk.count
        }
        return seconds
    }

    /// Pulls every gateway in turn until nothing is left; `report` answers each batch.
    func drain(_ machine: inout SchedulerStateMachine, now: SchedulerInstant, report: Bool) -> Int {
        var dispatched = 0
        var active = Array(gatewayIDs)
        while !active.isEmpty {
            var still: [GatewayID] = []
            for gateway in active {
                guard let leased = machine.pull(gatewayID: gateway, maxBatch: batch, now: now).batch else { continue }
                dispatched += leased.commands.count
                if report {
                    let results = leased.commands.map { ReportedResult(commandID: CommandAttemptID($0.commandID), kind: .succeeded) }
                    _ = machine.report(results, gatewayID: gateway, now: now)
                }
                still.append(gateway)
            }
            active = still
        }
        return dispatched
    }

    func enqueueThenDispatch() -> [CaseResult] {
        var machine = makeScheduler()
        let enqueueSeconds = enqueue(0..<commands, into: &machine, now: Self.start)
        let clock = ContinuousClock.now
        let dispatched = drain(&machine, now: Self.start, report: false)
        let dispatchSeconds = Self.seconds(since: clock)
        precondition(dispatched == commands, "dispatched \(dispatched) of \(commands)")
        let where_ = "\(commands) cmds over \(gateways) gateways"
        return [
            Self.result("enqueue", "enqueue \(where_)", commands, enqueueSeconds),
            Self.result("dispatch", "pull in leased batches of \(batch), \(where_)", commands, dispatchSeconds),
            Self.result("enqueue_dispatch", "enqueue + dispatch, \(where_)", commands, enqueueSeconds + dispatchSeconds),
        ]
    }

    func fullCycle() -> CaseResult {
        var machine = makeScheduler()
        let enqueueSeconds = enqueue(0..<commands, into: &machine, now: Self.start)
        let clock = ContinuousClock.now
        let done = drain(&machine, now: Self.start, report: true)
        let seconds = enqueueSeconds + Self.seconds(since: clock)
        precondition(done == commands && machine.inFlightCount == 0)
        return Self.result("full_cycle", "enqueue + dispatch + report success, \(commands) cmds over \(gateways) gateways", commands, seconds)
    }

    /// Keeps `depth` commands queued while gateways take turns pulling and answering one batch.
    func steady(depth: Int, seconds: Double, warmup: Double) -> CaseResult {
        var machine = makeScheduler()
        var next = 0
        _ = enqueue(0..<depth, into: &machine, now: Self.start)
        next = depth
        var gateway = 0
        var measured = 0
        var elapsed = 0.0
        let total = warmup + seconds
        let began = ContinuousClock.now
        while Self.seconds(since: began) < total {
            let inWarmup = Self.seconds(since: began) < warmup
            let fresh = (next..<(next + batch)).map(command)
            let clock = ContinuousClock.now
            for item in fresh { _ = machine.enqueue(item, now: Self.start) }
            var handled = 0
            // Serve the gateways in turn until one batch's worth has gone out.
            while handled < batch {
                let id = gatewayIDs[gateway]
                gateway = (gateway + 1) % gateways
                guard let leased = machine.pull(gatewayID: id, maxBatch: batch, now: Self.start).batch else { continue }
                handled += leased.commands.count
                _ = machine.report(leased.commands.map { ReportedResult(commandID: CommandAttemptID($0.commandID), kind: .succeeded) }, gatewayID: id, now: Self.start)
            }
            let spent = Self.seconds(since: clock)
            next += batch
            if !inWarmup {
                measured += handled
                elapsed += spent
            }
        }
        return Self.result("steady", "enqueue + pull + report with \(depth) queued over \(gateways) gateways", measured, elapsed)
    }

    /// Bytes per queued command two ways: growth of the process's anonymous resident memory
    /// (what the machine pays, allocator slack included) and the scheduler's own count of the
    /// capacity it holds.
    func memory() -> [CaseResult] {
        let pid = UInt32(ProcessInfo.processInfo.processIdentifier)
        let before = ServerMemorySampler.anonymousKB(pid) ?? 0
        var machine = makeScheduler()
        _ = enqueue(0..<commands, into: &machine, now: Self.start)
        let after = ServerMemorySampler.anonymousKB(pid) ?? 0
        let resident = Double(after - before) * 1024 / Double(commands)
        let counted = Double(machine.estimatedMemoryBytes) / Double(commands)
        withExtendedLifetime(machine) {}
        let what = "\(commands) queued over \(gateways) gateways; rate column = bytes per queued command"
        return [
            CaseResult(
                name: "memory_rss", description: "RssAnon growth, \(what)", unit: "B/cmd", operations: UInt64(commands),
                elapsedSeconds: 0, perSecond: resident, payloadMBPerSecond: nil, latencyUs: nil),
            CaseResult(
                name: "memory_counted", description: "capacity held by the scheduler, \(what)", unit: "B/cmd",
                operations: UInt64(commands), elapsedSeconds: 0, perSecond: counted, payloadMBPerSecond: nil, latencyUs: nil),
        ]
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    static func result(_ name: String, _ description: String, _ operations: Int, _ seconds: Double) -> CaseResult {
        CaseResult(
            name: name, description: description, unit: "cmds", operations: UInt64(operations), elapsedSeconds: seconds,
            perSecond: seconds > 0 ? Double(operations) / seconds : 0, payloadMBPerSecond: nil, latencyUs: nil)
    }
}

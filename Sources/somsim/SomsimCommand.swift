import ArgumentParser
import Foundation
import SOMClient
import SOMCodec
import SOMRPC
import SOMTransport

/// `somsim`: simulated head-ends and field crews that drive somd's orders to completion through the
/// same public API a real gateway or workforce adapter uses.
@main
struct SomsimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "somsim",
        abstract: "Simulate gateways (head-ends) and field crews against a running somd.",
        discussion: """
            Each gateway pulls its command batches, answers after --latency-ms with outcomes drawn per \
            command (seeded by --seed, so a run is repeatable), and reports results. Each crew pulls one \
            field activity at a time, travels, works, and completes it or reports it not done. \
            Meters are learned from the server's device records and then simulated: switch state, \
            commissioning, registers that advance while connected.

            Examples:
              somsim --gateways GW-1,GW-2 --crews 4
              somsim --gateway-count 20 --latency-ms 0 --travel-ms 0 --work-ms 0 --seed 7
              somsim --unknown-rate 0.2 --transient-rate 0.1   # a bad day
              somsim --demo-devices 2000 --demo-orders 1000      # load sample data first
            """)

    @Option(name: .long, help: ArgumentHelp("Server socket (env SOM_SOCKET).", valueName: "path"))
    var socket: String = ProcessInfo.processInfo.environment["SOM_SOCKET"] ?? "./var/som.sock"

    @Option(name: .long, help: ArgumentHelp("Gateway ids to serve (comma-separated).", valueName: "ids"))
    var gateways: String?

    @Flag(name: .long, inversion: .prefixedNo, help: "Register the simulated gateways in somd's gateway registry, bound to this uid (already registered ones are left as they are).")
    var registerGateways = true

    @Option(name: .long, help: "Serve GW-01 … GW-N (when --gateways is not given).")
    var gatewayCount: Int = 4

    @Option(name: .long, help: "Field crews.")
    var crews: Int = 4

    @Option(name: .long, help: "Head-end answer latency per batch, ms.")
    var latencyMs: Int = 50

    @Option(name: .long, help: ArgumentHelp("Latency of particular gateways, overriding --latency-ms (e.g. GW-01=500,GW-02=20).", valueName: "id=ms,..."))
    var gatewayLatency: String?

    @Option(name: .long, help: "Share of commands failing with a transient error (network, busy).")
    var transientRate: Double = 0.02

    @Option(name: .long, help: "Share failing permanently (not capable, not found).")
    var permanentRate: Double = 0.005

    @Option(name: .long, help: "Share whose outcome is unknown (time-out; the effect may have happened).")
    var unknownRate: Double = 0.01

    @Option(name: .long, help: "Share of connects refused for safety (load-side voltage).")
    var safetyRate: Double = 0.002

    @Option(name: .long, help: "Crew travel time, ms.")
    var travelMs: Int = 200

    @Option(name: .long, help: "Crew work time on site, ms.")
    var workMs: Int = 300

    @Option(name: .long, help: "Share of field visits not done (no access, paid at the door, ...).")
    var notDoneRate: Double = 0.03

    @Option(name: .long, help: "Largest command batch a gateway pulls.")
    var batch: Int = 100

    @Option(name: .long, help: "Seed of every draw.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Seconds between progress lines on stderr (0 = none).")
    var reportEvery: Double = 5

    @Option(name: .long, help: ArgumentHelp("First load a sample population of N service points and meters (Devices/Upsert).", valueName: "N"))
    var demoDevices: Int = 0

    @Option(name: .long, help: ArgumentHelp("Then submit a sample billing run of N mixed orders (SubmitBatch) on those service points.", valueName: "N"))
    var demoOrders: Int = 0

    func validate() throws {
        for (name, rate) in [("--transient-rate", transientRate), ("--permanent-rate", permanentRate), ("--unknown-rate", unknownRate),
                             ("--safety-rate", safetyRate), ("--not-done-rate", notDoneRate)] where !(0...1).contains(rate) {
            throw ValidationError("\(name) must be between 0 and 1")
        }
        guard transientRate + permanentRate + unknownRate + safetyRate <= 1 else {
            throw ValidationError("the failure rates add up to more than 1")
        }
        guard gatewayCount >= 0, crews >= 0, latencyMs >= 0, travelMs >= 0, workMs >= 0, reportEvery >= 0 else {
            throw ValidationError("counts, times and intervals must not be negative")
        }
        guard (1...10_000).contains(batch) else { throw ValidationError("--batch must be 1...10000") }
        _ = try latencyOverrides()
        guard demoDevices >= 0, demoOrders >= 0 else { throw ValidationError("--demo-devices and --demo-orders must not be negative") }
        if demoOrders > 0, demoDevices == 0 { throw ValidationError("--demo-orders needs --demo-devices (the orders go to those service points)") }
    }

    /// `--gateway-latency` as gateway id → ms.
    func latencyOverrides() throws -> [String: Int] {
        var overrides: [String: Int] = [:]
        for item in (gatewayLatency ?? "").split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let ms = Int(parts[1]), ms >= 0 else {
                throw ValidationError("--gateway-latency takes id=ms pairs, e.g. GW-01=500; got '\(item)'")
            }
            overrides[parts[0]] = ms
        }
        return overrides
    }

    var gatewayIDs: [String] {
        if let gateways { return gateways.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        return (1...max(gatewayCount, 1)).map { "GW-\(OrderNumberText.padded($0, 2))" }
    }

    func run() async throws {
        TaskExecutor.useEventLoops()
        let client = SOMClient(socketPath: socket)
        do {
            _ = try await client.health(options: .init(timeout: .seconds(5)))
        } catch {
            FileHandle.standardError.write(Data("somsim: cannot reach somd at \(socket): \(error)\n".utf8))
            throw ExitCode(1)
        }
        let profile = SimProfile(
            gatewayLatencyMs: latencyMs, transientRate: transientRate, permanentRate: permanentRate,
            unknownRate: unknownRate, safetyRate: safetyRate, travelMs: travelMs, workMs: workMs,
            notDoneRate: notDoneRate, batchSize: batch)
        let random = SimRandom(seed: seed)
        let stats = SimStats()
        let meters = MeterPopulation(client: client, random: random)
        let gatewayIDs = self.gatewayIDs
        let overrides = try latencyOverrides()
        if registerGateways { await register(gatewayIDs, client) }
        if demoDevices > 0 {
            let demo = DemoPopulation(servicePoints: demoDevices, gatewayIDs: gatewayIDs, random: random)
            do {
                log("loading \(demoDevices) sample service points and meters")
                let stored = try await demo.loadDevices(client)
                log("  \(stored) devices stored")
                if demoOrders > 0 {
                    let tag = "DEMO-\(seed)"
                    log("submitting a sample billing run of \(demoOrders) orders (\(tag))")
                    let (accepted, duplicates, rejected) = try await demo.submitRun(client, count: demoOrders, runTag: tag)
                    log("  accepted \(accepted), duplicates \(duplicates) (already submitted by an earlier run), rejected \(rejected)")
                }
            } catch {
                log("cannot load the sample data: \(error)")
                throw ExitCode(1)
            }
        }
        log("serving gateways \(gatewayIDs.joined(separator: ",")) and \(crews) crews on \(socket) (seed \(seed))")
        let interval = reportEvery
        await withTaskGroup(of: Void.self) { group in
            for id in gatewayIDs {
                var gatewayProfile = profile
                if let ms = overrides[id] { gatewayProfile.gatewayLatencyMs = ms }
                let own = gatewayProfile
                group.addTask {
                    await GatewaySimulator(gatewayID: id, client: client, meters: meters, profile: own, random: random, stats: stats).run()
                }
            }
            for crew in 0..<crews {
                group.addTask {
                    await FieldCrewSimulator(
                        crewID: "CREW-\(crew + 1)", gatewayIDs: gatewayIDs, client: client, meters: meters,
                        profile: profile, random: random, stats: stats
                    ).run()
                }
            }
            if interval > 0 {
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
                        log(stats.line)
                        if let server = try? await client.stats() { log(OrderProgress.line(server)) }
                    }
                }
            }
            // SIGINT/SIGTERM end the process; the server treats the dropped streams as lost leases.
            await group.waitForAll()
        }
    }
}

/// Zero-padded numbers for ids.
enum OrderNumberText {
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// One line on the orders the server holds: how many are finished and where the open ones stand.
enum OrderProgress {
    static func line(_ stats: StatsResponse) -> String {
        let open = stats.ordersByStatus.reduce(0) { $0 + Int($1.count) }
        let detail = stats.ordersByStatus.map { "\(shortName($0.status)) \($0.count)" }.joined(separator: ", ")
        return "orders \(stats.ordersTotal): finished \(Int(stats.ordersTotal) - open), open \(open)" + (detail.isEmpty ? "" : " (\(detail))")
    }

    static func shortName(_ status: OrderStatus) -> String {
        (status.protoName ?? "?").replacingOccurrences(of: "ORDER_STATUS_", with: "")
    }
}

extension SomsimCommand {
    /// Registers the simulated gateways, bound to somsim's own uid, as a deployment's admin would
    /// for a real head-end adapter. One already registered is left alone; a refusal (somsim not
    /// admin) is reported, and the pulls then show whether an admin registered them.
    func register(_ gatewayIDs: [String], _ client: SOMClient) async {
        for id in gatewayIDs {
            do {
                _ = try await client.addGateway(
                    GatewayDefinition(gatewayID: id, name: "somsim", uids: [UInt32(getuid())]),
                    note: "somsim registers the gateways it simulates", options: .init(timeout: .seconds(5)))
            } catch let error as RPCError where error.code == .alreadyExists {
                continue
            } catch {
                log("cannot register gateway \(id): \(error)")
            }
        }
    }
}

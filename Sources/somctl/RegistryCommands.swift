import ArgumentParser
import SOMClient
import SOMCodec

/// `somctl gateways`: the command queues (default) and the gateway registry.
struct GatewaysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateways",
        abstract: "Gateway command queues (default) and the gateway registry: list, add, set, remove.",
        discussion: """
            Examples:
              somctl gateways                                    # queue figures per gateway
              somctl gateways list --json                        # the registry
              somctl gateways add GW-NORTH --name "North head-end" --uid 1201 --rate 50 --max-in-flight 500
              somctl gateways set GW-NORTH --uid 1201 --gid 1200 --note "second adapter host"
              somctl gateways remove GW-OLD --note "decommissioned"
            """,
        subcommands: [GatewayQueues.self, GatewayList.self, GatewayAdd.self, GatewaySet.self, GatewayRemove.self, GatewayPull.self, GatewayReport.self, GatewayExtend.self],
        defaultSubcommand: GatewayQueues.self)
}

/// Options that define a gateway, shared by add and set.
struct GatewayDefinitionOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The gateway id.", valueName: "gateway-id"))
    var gatewayID: String

    @Option(help: "A human name (head-end product, site).")
    var name = ""

    @Option(name: .customLong("uid"), help: ArgumentHelp("A uid whose adapter may serve the gateway (repeatable).", valueName: "uid"))
    var uids: [UInt32] = []

    @Option(name: .customLong("gid"), help: ArgumentHelp("A group whose members may serve the gateway (repeatable).", valueName: "gid"))
    var gids: [UInt32] = []

    @Option(help: ArgumentHelp("Sustained commands per second the head-end takes; 0 = no limit.", valueName: "per-second"))
    var rate: Double = 0

    @Option(help: "Commands leased and not yet answered, at most; 0 = the server default.")
    var maxInFlight: UInt32 = 0

    @Option(help: "Why (recorded in the audit trail).")
    var note = ""

    func validate() throws {
        guard rate >= 0, rate.isFinite else { throw ValidationError("--rate must be 0 (no limit) or more") }
    }

    var definition: GatewayDefinition {
        GatewayDefinition(gatewayID: gatewayID, name: name, uids: uids, gids: gids, commandsPerSecond: rate, maxInFlight: maxInFlight)
    }

    /// `Gateways/Set` when `replacing`, else `Gateways/Add`.
    func send(replacing: Bool, _ connection: ConnectionOptions) async throws {
        try await reportingFailures {
            let stored = try await connection.client().using { client in
                replacing
                    ? try await client.setGateway(definition, note: note, options: connection.unary)
                    : try await client.addGateway(definition, note: note, options: connection.unary)
            }
            print("gateway \(stored.gatewayID) \(replacing ? "updated" : "registered")")
        }
    }
}

struct GatewayList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The gateway registry: who may serve each gateway, and its limits.")

    @Flag(help: "Print canonical proto3 JSON.")
    var json = false
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await reportingFailures {
            let response = try await connection.client().using { try await $0.registeredGateways(options: connection.unary) }
            let out = StandardOutput()
            if json {
                out.line(try response.jsonString())
            } else {
                var table = TextTable(headers: ["GATEWAY", "NAME", "UIDS", "GIDS", "RATE/S", "MAX IN FLIGHT"])
                let rows = response.gateways.map { gateway -> [String] in
                    [gateway.gatewayID, gateway.name.isEmpty ? "-" : gateway.name,
                     gateway.uids.isEmpty ? "-" : gateway.uids.map(String.init).joined(separator: ","),
                     gateway.gids.isEmpty ? "-" : gateway.gids.map(String.init).joined(separator: ","),
                     gateway.commandsPerSecond > 0 ? String(gateway.commandsPerSecond) : "-",
                     gateway.maxInFlight > 0 ? String(gateway.maxInFlight) : "-"]
                }
                table.fit(rows)
                out.line(table.headerLine)
                rows.forEach { out.line(table.render($0)) }
                out.line(response.enforced
                    ? "registry enforced: pulls and reports for other gateways are refused, their commands held"
                    : "registry not enforced (empty, and the access file does not require it): any gateway id is served")
            }
            out.flush()
        }
    }
}

struct GatewayAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Register a gateway (admin).")
    @OptionGroup var gateway: GatewayDefinitionOptions
    @OptionGroup var connection: ConnectionOptions

    func run() async throws { try await gateway.send(replacing: false, connection) }
}

struct GatewaySet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Replace a registered gateway's definition (admin).")
    @OptionGroup var gateway: GatewayDefinitionOptions
    @OptionGroup var connection: ConnectionOptions

    func run() async throws { try await gateway.send(replacing: true, connection) }
}

struct GatewayRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Forget a gateway (admin); its queued commands stay until it is registered again.")
    @Argument(help: ArgumentHelp("The gateway id.", valueName: "gateway-id"))
    var gatewayID: String
    @Option(help: "Why (recorded in the audit trail).")
    var note = ""
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await reportingFailures {
            try await connection.client().using { try await $0.removeGateway(gatewayID, note: note, options: connection.unary) }
            print("gateway \(gatewayID) removed")
        }
    }
}

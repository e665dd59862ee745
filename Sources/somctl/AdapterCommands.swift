import ArgumentParser
import SOMClient
import SOMCodec
import SOMRPC
import SOMTransport

/// `somctl gateways pull`: act as a head-end adapter by hand (lab and acceptance tests): lease one batch.
struct GatewayPull: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Lease one command batch of a gateway, as its adapter would, and print it (JSON); for labs and acceptance tests.",
        discussion: """
            The commands are leased to this caller: unanswered, they are delivered again when the \
            lease ends. Needs the gateway-adapter role and a binding to the gateway. Prints nothing \
            when no batch came within --wait.

            Example:
              somctl gateways pull GW-NORTH --wait 2 | jq -r '.commands[].commandId'
            """)

    @Argument(help: ArgumentHelp("The gateway id.", valueName: "gateway-id"))
    var gatewayID: String

    @Option(help: "Largest batch; 0 = the server's size.")
    var maxBatch: UInt32 = 0

    @Option(help: "Lease in milliseconds; 0 = the server's default.")
    var leaseMs: UInt32 = 0

    @OptionGroup var pull: PullWait
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await reportingFailures {
            let request = PullCommandsRequest(gatewayID: gatewayID, maxBatch: maxBatch, leaseMs: leaseMs)
            let batch = try await connection.firstMessage(within: pull.wait) { client, options in
                try await client.pullCommands(request, options: options)
            }
            if let batch { print(try batch.jsonString()) }
        }
    }
}

/// `somctl gateways report`: report command results by hand, as a gateway's adapter.
struct GatewayReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report command results for a gateway, as its adapter would; prints whether each was applied.",
        discussion: """
            Example:
              somctl gateways report GW-NORTH --result SO000000000042-A1=succeeded
            """)

    @Argument(help: ArgumentHelp("The gateway id.", valueName: "gateway-id"))
    var gatewayID: String

    @Option(name: .customLong("result"), help: ArgumentHelp("COMMAND-ID=KIND with KIND accepted, succeeded, failed or outcome-unknown (repeatable).", valueName: "id=kind"))
    var results: [String]

    @OptionGroup var connection: ConnectionOptions

    func validate() throws { _ = try parsed() }

    func parsed() throws -> [CommandResult] {
        let kinds: [String: CommandResultKind] = ["accepted": .accepted, "succeeded": .succeeded, "failed": .failed, "outcome-unknown": .outcomeUnknown]
        return try results.map { text in
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let kind = kinds[parts[1].lowercased()] else {
                throw ValidationError("--result \(text): expected COMMAND-ID=KIND with KIND one of \(kinds.keys.sorted().joined(separator: ", "))")
            }
            return CommandResult(commandID: parts[0], kind: kind, failureClass: kind == .failed ? .permanent : .unspecified)
        }
    }

    func run() async throws {
        try await reportingFailures {
            let request = ReportResultsRequest(gatewayID: gatewayID, results: try parsed())
            let response = try await connection.client().using { try await $0.reportResults(request, options: connection.unary) }
            for (result, applied) in zip(request.results, response.applied) {
                print("\(result.commandID) \(applied ? "applied" : "not applied")")
            }
        }
    }
}

/// `somctl gateways extend`: extend a leased batch's lease, as its adapter would.
struct GatewayExtend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend", abstract: "Extend the lease of a pulled batch (its batch id, e.g. L42); prints the new expiry.")

    @Argument(help: ArgumentHelp("The batch id from pull.", valueName: "batch-id"))
    var batchID: String

    @Option(help: "How much longer, in milliseconds; 0 = the server's default lease.")
    var leaseMs: UInt32 = 0

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await reportingFailures {
            let response = try await connection.client().using {
                try await $0.extendLease(ExtendLeaseRequest(batchID: batchID, leaseMs: leaseMs), options: connection.unary)
            }
            print("\(batchID) leased until \(TimeText.format(response.leaseExpiresAt))")
        }
    }
}

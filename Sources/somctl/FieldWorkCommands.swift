import ArgumentParser
import SOMClient
import SOMCodec
import SOMRPC
import SOMTransport

/// `somctl fieldwork`: the field-work queue (default), and acting as the workforce adapter by hand.
struct FieldWorkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldwork",
        abstract: "The field-work queue (default); pull and update items by hand as the workforce adapter would.",
        discussion: """
            Examples:
              somctl fieldwork                       # queue figures
              somctl fieldwork pull --pool NORTH --wait 2
              somctl fieldwork update SO000000000042-A1 --status on-site --crew CREW-7
            """,
        subcommands: [FieldWorkStats.self, FieldWorkPull.self, FieldWorkUpdate.self],
        defaultSubcommand: FieldWorkStats.self)
}

/// `somctl fieldwork pull`: lease the next field-work items, as the workforce adapter would.
struct FieldWorkPull: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Lease the next field-work items (of a crew pool) and print them (JSON); for labs and acceptance tests.",
        discussion: "The items are leased to this caller: not reported, they are delivered again when the lease ends. Prints nothing when none came within --wait.")

    @Option(help: "Crew pool; empty = every pool.")
    var pool = ""

    @Option(help: "Most items; 0 = the server's default.")
    var maxItems: UInt32 = 0

    @OptionGroup var pull: PullWait
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await reportingFailures {
            let request = PullFieldWorkRequest(pool: pool, maxItems: maxItems)
            let batch = try await connection.firstMessage(within: pull.wait) { client, options in
                try await client.pullFieldWork(request, options: options)
            }
            if let batch { print(try batch.jsonString()) }
        }
    }
}

/// `somctl fieldwork update`: tell som a crew's progress on an item.
struct FieldWorkUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Report a field item appointed, assigned or on site; prints whether it was applied.")

    @Argument(help: ArgumentHelp("The activity id.", valueName: "activity-id"))
    var activityID: String

    @Option(help: "appointed, assigned or on-site.")
    var status: String

    @Option(help: "The crew.")
    var crew = ""

    @OptionGroup var connection: ConnectionOptions

    func validate() throws { _ = try ActivityStatus(option: status, name: "--status") }

    func run() async throws {
        try await reportingFailures {
            let request = FieldWorkUpdateRequest(activityID: activityID, status: try ActivityStatus(option: status, name: "--status"), crewID: crew, at: .now())
            let response = try await connection.client().using { try await $0.updateFieldWork(request, options: connection.unary) }
            print("\(activityID) \(response.applied ? "applied" : "not applied")")
        }
    }
}

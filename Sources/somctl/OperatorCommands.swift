import ArgumentParser
import Foundation
import SOMClient
import SOMCodec

struct Holds: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List held orders with why they are held and when they are re-checked.",
        discussion: """
            Examples:
              somctl holds
              somctl holds --reason disconnect-calendar --json
            """)

    @Option(help: ArgumentHelp("Only this hold reason: \(HoldReason.optionValues.joined(separator: ", ")).", valueName: "reason"))
    var reason: String?

    @Option(help: "Show at most this many (0 = all).")
    var limit = 50

    @Flag(help: "Print each order as canonical proto3 JSON, one per line.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        _ = try reason.map { try HoldReason(option: $0, name: "--reason") }
        guard limit >= 0 else { throw ValidationError("--limit must not be negative") }
    }

    func run() async throws {
        try await reportingFailures {
            let holdReason = try reason.map { try HoldReason(option: $0, name: "--reason") } ?? .unspecified
            let orders = try await connection.client().using { client in
                var orders: [Order] = []
                var request = ListHoldsRequest(reason: holdReason, pageSize: 500)
                repeat {
                    let page = try await client.holds(request, options: connection.unary)
                    orders += page.orders
                    request.pageToken = page.nextPageToken
                } while !request.pageToken.isEmpty && (limit == 0 || orders.count < limit)
                return limit == 0 ? orders : Array(orders.prefix(limit))
            }
            let out = StandardOutput()
            if json {
                for order in orders { out.line(try order.jsonString()) }
            } else {
                var table = TextTable(headers: ["ID", "TYPE", "SERVICE POINT", "REASON", "RE-CHECK", "WHY"])
                let rows = orders.map { order in
                    [order.orderID, (order.request?.orderType ?? .unspecified).displayName, order.request?.servicePointID ?? "",
                     order.holdReason.displayName, TimeText.format(order.nextCheckAt), order.statusDetail]
                }
                table.fit(rows)
                out.line(table.headerLine)
                rows.forEach { out.line(table.render($0)) }
                if rows.isEmpty { out.line("no held orders") }
            }
            out.flush()
        }
    }
}

struct Release: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Release a held order, or every order held for a reason (e.g. the mass-disconnect guardrail).",
        discussion: """
            Examples:
              somctl release SO000000000042 --note "medical certificate expired, checked by phone"
              somctl release --reason mass-disconnect-guardrail --note "billing run verified"
            """)

    @Argument(help: "The order to release (or give --reason).")
    var orderID: String?

    @Option(help: ArgumentHelp("Release every order held for this reason: \(HoldReason.optionValues.joined(separator: ", ")).", valueName: "reason"))
    var reason: String?

    @Option(help: "Why the operator released it (kept on the order).")
    var note = ""

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard (orderID == nil) != (reason == nil) else { throw ValidationError("give an order id or --reason, not both") }
        _ = try reason.map { try HoldReason(option: $0, name: "--reason") }
    }

    func run() async throws {
        try await reportingFailures {
            let holdReason = try reason.map { try HoldReason(option: $0, name: "--reason") } ?? .unspecified
            let response = try await connection.client().using { client in
                try await client.releaseHold(ReleaseHoldRequest(orderID: orderID ?? "", reason: holdReason, operatorNote: note), options: connection.unary)
            }
            let released = response.released
            print("released \(released) order\(released == 1 ? "" : "s")")
            // An order a re-check held again at once was not released: say so, and why.
            for order in response.heldAgain {
                print("\(order.orderID) held again at once (\(order.holdReason.protoName ?? "?")): \(order.statusDetail)")
            }
            let unshown = Int(response.heldAgainCount) - response.heldAgain.count
            if unshown > 0 { print("… and \(unshown) more held again at once (somctl holds lists them)") }
        }
    }
}

struct MoratoriumCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moratorium",
        abstract: "Set, clear and list moratoria: periods in which non-payment cuts are held in a region.",
        subcommands: [Set.self, Clear.self, List.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set (or replace, with --id) a moratorium.",
            discussion: """
                Examples:
                  somctl moratorium set --region NORTH --from 2026-12-01T00:00:00Z --to 2026-12-04T00:00:00Z --description "cold snap"
                  somctl moratorium set --region SOUTH --from 2026-12-01T00:00:00Z --to 2026-12-02T00:00:00Z --reason storm-mode
                """)

        @Option(help: "Region (empty = every region).")
        var region = ""
        @Option(help: ArgumentHelp("Start, RFC 3339.", valueName: "time"))
        var from: String
        @Option(help: ArgumentHelp("End, RFC 3339.", valueName: "time"))
        var to: String
        @Option(help: ArgumentHelp("Hold reason: \(HoldReason.optionValues.joined(separator: ", ")).", valueName: "reason"))
        var reason = "moratorium"
        @Option(help: "What it is for.")
        var description = ""
        @Option(help: "Replace the moratorium with this id.")
        var id = ""
        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            _ = try TimeText.parse(from, option: "--from")
            _ = try TimeText.parse(to, option: "--to")
            _ = try HoldReason(option: reason, name: "--reason")
        }

        func run() async throws {
            try await reportingFailures {
                let moratorium = Moratorium(
                    moratoriumID: id, region: region, reason: try HoldReason(option: reason, name: "--reason"),
                    startsAt: try TimeText.parse(from, option: "--from"), endsAt: try TimeText.parse(to, option: "--to"),
                    description: description)
                let stored = try await connection.client().using { try await $0.setMoratorium(moratorium, options: connection.unary) }
                print("moratorium \(stored.moratoriumID) set")
            }
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Clear a moratorium; held cuts are re-checked at once.")
        @Argument(help: "The moratorium id (see `somctl moratorium list`).")
        var id: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await reportingFailures {
                try await connection.client().using { try await $0.clearMoratorium(id, options: connection.unary) }
                print("moratorium \(id) cleared")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List moratoria.")
        @Flag(help: "Print canonical proto3 JSON, one per line.")
        var json = false
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await reportingFailures {
                let all = try await connection.client().using { try await $0.moratoria(options: connection.unary) }
                let out = StandardOutput()
                if json {
                    for moratorium in all { out.line(try moratorium.jsonString()) }
                } else {
                    var table = TextTable(headers: ["ID", "REGION", "REASON", "FROM", "TO", "DESCRIPTION"])
                    let rows = all.map { [$0.moratoriumID, $0.region.isEmpty ? "(all)" : $0.region, $0.reason.displayName,
                                          TimeText.format($0.startsAt), TimeText.format($0.endsAt), $0.description] }
                    table.fit(rows)
                    out.line(table.headerLine)
                    rows.forEach { out.line(table.render($0)) }
                }
                out.flush()
            }
        }
    }
}

struct GatewayQueues: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queues",
        abstract: "Per-gateway command queues: depth, in flight, rate, lease expiries, success rate.")

    @Flag(help: "Print canonical proto3 JSON.")
    var json = false
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await reportingFailures {
            let response = try await connection.client().using { try await $0.gateways(options: connection.unary) }
            let out = StandardOutput()
            if json {
                out.line(try response.jsonString())
            } else {
                var table = TextTable(headers: ["GATEWAY", "QUEUED", "IN FLIGHT", "RATE/S", "LEASE EXPIRIES", "SUCCEEDED", "FAILED", "DEAD", "SUCCESS"])
                let rows = response.gateways.map { gateway -> [String] in
                    let finished = gateway.succeeded + gateway.failed
                    let rate = finished == 0 ? "-" : String(format: "%.1f%%", Double(gateway.succeeded) * 100 / Double(finished))
                    return [gateway.gatewayID, String(gateway.queued), String(gateway.inFlight), String(format: "%.1f", gateway.ratePerS),
                            String(gateway.leaseExpiries), String(gateway.succeeded), String(gateway.failed), String(gateway.deadLettered), rate]
                }
                table.fit(rows)
                out.line(table.headerLine)
                rows.forEach { out.line(table.render($0)) }
                if rows.isEmpty { out.line("no gateway has had commands yet") }
            }
            out.flush()
        }
    }
}

struct FieldWorkStats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "The field-work queue: queued, dispatched, completed, not done, lease expiries.")

    @Flag(help: "Print canonical proto3 JSON.")
    var json = false
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await reportingFailures {
            let stats = try await connection.client().using { try await $0.fieldWorkStats(options: connection.unary) }
            let out = StandardOutput()
            if json {
                out.line(try stats.jsonString())
            } else {
                var view = LabelledLines()
                view.add("queued", String(stats.queued))
                view.add("dispatched", String(stats.dispatched))
                view.add("completed", String(stats.completed))
                view.add("not done", String(stats.notDone))
                view.add("lease expiries", String(stats.leaseExpiries))
                view.lines.forEach(out.line)
            }
            out.flush()
        }
    }
}

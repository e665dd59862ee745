import ArgumentParser

/// `somctl`: query and operate a running somd.
@main
struct Somctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "somctl",
        abstract: "Query and operate the service order management server.",
        discussion: """
            Every command talks to somd over its Unix socket: --socket PATH, or the SOM_SOCKET \
            environment variable, or ./var/som.sock. Errors print "error: CODE: message" and exit 1. \
            JSON input and output follow protobuf's canonical proto3 JSON mapping.

            Examples:
              somctl health
              somctl submit --file run-2025-06.jsonl
              somctl list --status in-progress --service-point SP-000123
              somctl get SO000000000042 --json
              somctl watch --from 1 --count 10
              somctl cancel SO000000000042 --reason "customer paid"
              somctl devices import --file meters.csv
              somctl holds                 # held orders, why, and when they are re-checked
              somctl gateways              # command queues per gateway
              somctl gateways list         # the gateway registry (add, set, remove: admin)
              somctl audit --since 2026-12-01T00:00:00Z   # who released, cancelled, set moratoria
              SOM_SOCKET=/run/som/som.sock somctl stats --json
            """,
        version: "0.1.0",
        subcommands: [
            Submit.self, GetOrder.self, ListOrders.self, WatchOrders.self, CancelOrder.self, Devices.self, Stats.self, Health.self,
            Holds.self, Release.self, MoratoriumCommand.self, GatewaysCommand.self, FieldWorkCommand.self, AuditCommand.self, CanI.self, Backup.self, Archive.self,
        ])
}

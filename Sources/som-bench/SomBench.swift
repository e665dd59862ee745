import ArgumentParser

/// `som-bench`: the load generator. Each subcommand is one benchmark group, in its own file;
/// a new group is a new `AsyncParsableCommand` added to `subcommands`.
@main
struct SomBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "som-bench",
        abstract: "Load generator for somd: latency and throughput against a real server over its Unix socket.",
        discussion: """
            By default every run starts its own somd (the one next to som-bench, so both come from the same build) \
            with a socket and data directory in a fresh temporary directory, waits for Health to say SERVING, \
            and stops it with SIGTERM at the end. --socket PATH measures a server that is already running instead.

            tools/bench builds release, runs a group and compares it with the raw baselines.

            Examples:
              som-bench echo
              som-bench echo --seconds 5 --json > echo.json
            """,
        subcommands: [EchoBench.self, OrdersBench.self, SchedulerBench.self, EndToEndBench.self, RestartBench.self])
}

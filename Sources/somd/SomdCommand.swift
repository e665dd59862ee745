import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SOMMetrics
import SOMServer
import SOMRPC
import SOMStore
import SOMOrchestration
import SOMTransport
import UnixSignals

/// `somd`: the service order management server; serving is the default subcommand.
@main
struct SomdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "somd",
        abstract: "The service order management server.",
        discussion: "Without a subcommand, somd serves (`somd serve --help` lists its options).",
        version: SOMVersion.current,
        subcommands: [ServeCommand.self, CheckCommand.self, RestoreCommand.self, ConfigCommand.self],
        defaultSubcommand: ServeCommand.self)

    /// Serve's settings come from `--config-file`, then `SOM_*` variables, then flags (ConfigSources).
    static func main() async {
        do {
            let arguments = try ConfigSources.arguments(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let invalid as ConfigSources.Invalid {
            exit(withError: ValidationError(invalid.description))
        } catch {
            exit(withError: error)
        }
    }
}

/// `somd serve`: takes service orders over the socket and drives them to completion.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "The service order management server: takes service orders over a Unix socket, keeps them in LMDB, and drives them to completion through gateways and field crews.",
        discussion: """
            Stops gracefully on SIGTERM or SIGINT: no new calls, in-flight calls get --drain-timeout to finish.

            Gateway and field-work adapters (or the bundled simulator, somsim) connect to the same socket.

            Examples:
              somd                                  # ./var/som.sock, data in ./var/data
              SOM_SOCKET=/run/som/som.sock somd --data /var/lib/som --config /etc/som/rules.json
              tools/run                             # somd with somsim attached and sample data
            """,
        version: SOMVersion.current)

    @Option(name: .long, help: ArgumentHelp("Settings file (JSON): serve's flags without the dashes as keys, e.g. {\"data\": \"/var/lib/som\", \"max-connections\": 512}. Environment variables SOM_<FLAG> (SOM_MAX_CONNECTIONS) override it, flags override both. `somd config check FILE` shows the result.", valueName: "file"))
    var configFile: String?

    @Option(name: .long, help: "Log format: text (one line per entry) or json (one JSON object per line: timestamp, level, label, message, metadata).")
    var logFormat: String = "text"

    @Option(name: .long, help: ArgumentHelp("Serve Prometheus metrics at http://ADDRESS/metrics, e.g. 127.0.0.1:9464 (off by default; no authentication, so keep it on loopback).", valueName: "host:port"))
    var metricsListen: String?

    @Option(name: .long, help: ArgumentHelp("Unix socket path (env SOM_SOCKET).", valueName: "path"))
    var socket: String = ProcessInfo.processInfo.environment["SOM_SOCKET"] ?? "./var/som.sock"

    @Option(name: .long, help: ArgumentHelp("Data directory for the LMDB environment.", valueName: "dir"))
    var data: String = "./var/data"

    @Option(name: .long, help: ArgumentHelp("Business-rules file (JSON: disconnect calendars, guardrail); see docs/operations.md.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Access file (JSON: roles by uid and gid, gateways); see docs/operations.md. Without it everyone allowed on the socket is admin.", valueName: "file"))
    var access: String?

    @Option(name: .long, help: "Socket file permission bits, octal.")
    var socketMode: String = "660"

    @Option(name: .long, help: "Seconds in-flight calls may run after shutdown starts.")
    var drainTimeout: Int = 10

    @Option(name: .long, help: "Maximum concurrent connections.")
    var maxConnections: Int = 256

    @Option(name: .long, help: ArgumentHelp("Close a connection with no open call and no traffic after this many seconds; 0 never closes it.", valueName: "seconds"))
    var idleTimeout: Int = 300

    @Option(name: .long, help: ArgumentHelp("Close a connection that has not sent its preface and SETTINGS within this many seconds.", valueName: "seconds"))
    var handshakeTimeout: Int = 5

    @Option(name: .long, help: "Only these uids may call (comma-separated); the server's own uid and root are always allowed.")
    var allowUids: String?

    @Option(name: .long, help: "Members of these gids (primary group of the caller, comma-separated) may also call.")
    var allowGids: String?

    @Option(name: .long, help: ArgumentHelp("Largest size the database may grow to, in MiB (default: no limit but the disk).", valueName: "MiB"))
    var maxStoreMib: Int?

    @Option(name: .long, help: "Most records one group commit may carry.")
    var maxCommitRecords: Int = 100_000

    @Option(name: .long, help: "Open orders (and devices) the writer keeps decoded between steps; 0 decodes every read. About 2 KiB each.")
    var decodedRecords: Int = 8_192

    @Flag(name: .customLong("init"), help: "Start an empty store even though the data directory shows a store lived there (its data.mdb is empty or missing).")
    var initialize = false

    @Flag(name: .long, help: "Do not fsync commits. Acknowledged orders can be lost on power failure: for throw-away demos only.")
    var unsafeNoSync = false

    @Option(name: .long, help: ArgumentHelp("Archive finished orders (and events) older than this many days into --archive-dir; 0 keeps everything in the store.", valueName: "days"))
    var retainFinishedDays: Int = 90

    @Option(name: .long, help: ArgumentHelp("Where archive files go (default: <data>/archive).", valueName: "dir"))
    var archiveDir: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        if let maxStoreMib, maxStoreMib < 1 { throw ValidationError("--max-store-mib must be at least 1") }
        guard drainTimeout >= 0 else { throw ValidationError("--drain-timeout must be 0 or more seconds") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        guard retainFinishedDays >= 0 else { throw ValidationError("--retain-finished-days must be 0 (keep everything) or more") }
        guard idleTimeout >= 0 else { throw ValidationError("--idle-timeout must be 0 (never) or more seconds") }
        guard handshakeTimeout >= 1 else { throw ValidationError("--handshake-timeout must be at least 1 second") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        guard maxCommitRecords >= 1 else { throw ValidationError("--max-commit-records must be at least 1") }
        guard decodedRecords >= 0 else { throw ValidationError("--decoded-records must be 0 (off) or more") }
        guard let mode = UInt16(socketMode, radix: 8) else { throw ValidationError("--socket-mode must be octal, e.g. 660") }
        // Set-uid, set-gid and sticky bits mean nothing on a socket and hint at a typo.
        guard mode <= 0o777 else { throw ValidationError("--socket-mode \(socketMode): only permission bits (at most 777) are allowed") }
        if let metricsListen, MetricsHTTPServer.address(metricsListen) == nil {
            throw ValidationError("--metrics-listen \(metricsListen): give HOST:PORT, e.g. 127.0.0.1:9464")
        }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format is text or json, not \(logFormat)") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        if let config, !FileManager.default.fileExists(atPath: config) {
            throw ValidationError("--config \(config): no such file")
        }
        for (flag, list) in [("--allow-uids", allowUids), ("--allow-gids", allowGids)] {
            if let list, list.split(separator: ",").contains(where: { UInt32($0.trimmingCharacters(in: .whitespaces)) == nil }) {
                throw ValidationError("\(flag) must be a comma-separated list of numeric ids")
            }
        }
    }

    static func ids(_ list: String?) -> Set<UInt32> {
        Set((list ?? "").split(separator: ",").compactMap { UInt32($0.trimmingCharacters(in: .whitespaces)) })
    }

    func run() async throws {
        TaskExecutor.useEventLoops()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        // Lines logged while serving a call carry its request id, method and peer uid.
        let json = logFormat == "json"
        LoggingSystem.bootstrap({ label, provider in
            var handler: any LogHandler = json
                ? JSONLogHandler(label: label, metadataProvider: provider)
                : StreamLogHandler.standardError(label: label, metadataProvider: provider)
            handler.logLevel = level
            return handler
        }, metadataProvider: .callScope)
        let logger = Logger(label: "somd")
        // Before the store opens: its instruments bind to the backend when they are made.
        let registry = metricsListen.map { _ in PrometheusSetup.bootstrap() }

        var configuration = ServerConfiguration(socketPath: socket)
        configuration.socketMode = UInt16(socketMode, radix: 8) ?? 0o660
        configuration.drainTimeout = .seconds(drainTimeout)
        configuration.maxConnections = maxConnections
        configuration.limits.idleTimeout = idleTimeout > 0 ? .seconds(idleTimeout) : nil
        configuration.handshakeTimeout = .seconds(handshakeTimeout)
        configuration.agent = "somd/\(SOMVersion.current)"
        do {
            configuration.inheritedListener = try SocketActivation.listener()
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode(2)
        }
        let notifier = SystemdNotifier(logger: logger)
        if allowUids != nil || allowGids != nil {
            let uids = Self.ids(allowUids).union([0, UInt32(getuid())])
            let gids = Self.ids(allowGids)
            configuration.authorize = { peer, method in
                uids.contains(peer.uid) || gids.contains(peer.gid)
                    ? nil : "uid \(peer.uid) (gid \(peer.gid)) may not call \(method.path)"
            }
        }

        var storeOptions = OrderStore.Options()
        storeOptions.maxMapSize = maxStoreMib.map { $0 << 20 }
        storeOptions.maxRecordsPerCommit = maxCommitRecords
        storeOptions.decodedRecordsKept = decodedRecords
        storeOptions.durable = !unsafeNoSync
        storeOptions.initializeEmpty = initialize
        let store: OrderStore
        do {
            store = try OrderStore(directory: data, options: storeOptions, logger: logger)
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode(2)
        }
        defer { store.close() }
        logger.info("store open", metadata: ["data": "\(data)", "events_head": "\(store.head.current)"])

        let server: SOMServer
        do {
            let accessConfiguration = try access.map { try AccessFile.load($0, serverUID: UInt32(getuid())) }
            for line in (accessConfiguration?.policy ?? .unconfigured(serverUID: UInt32(getuid()))).describeMapping() {
                logger.info("access: \(line)")
            }
            let (rules, policy) = try config.map(BusinessRulesFile.load) ?? (BusinessInputs(), .standard)
            let retention = RetentionPolicy(
                finishedAge: retainFinishedDays > 0 ? .seconds(Int64(retainFinishedDays) * 86_400) : nil,
                archiveDirectory: archiveDir ?? (data as NSString).appendingPathComponent("archive"))
            server = try SOMServer(
                configuration: configuration, store: store, rules: rules, policy: policy, retention: retention,
                access: accessConfiguration, logger: logger, onReady: { Task { await notifier.ready() } })
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode(2)
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: server)]
        if let registry, let metricsListen, let address = MetricsHTTPServer.address(metricsListen) {
            let exporter = FiguresExporter()
            services.append(.init(service: MetricsHTTPServer(host: address.host, port: address.port, logger: logger) {
                do {
                    exporter.export(try await server.figures())
                } catch {
                    logger.error("metrics: cannot read the server's figures", metadata: ["error": "\(error)"])
                }
                return registry.render()
            }))
        }
        services.append(.init(service: RulesReloadService(path: config, engine: server.engine, logger: logger)))
        services.append(.init(service: SystemdService(notifier: notifier)))
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as ServerStartError {
            logger.critical("cannot start: \(error)")
            throw ExitCode(2)
        }
    }
}

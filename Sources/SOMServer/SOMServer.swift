public import SOMEngine
import Foundation
public import Logging
import NIOConcurrencyHelpers
public import ServiceLifecycle
import SOMCodec
public import SOMOrchestration
import SOMRPC
public import SOMScheduler
public import SOMStore
public import SOMTransport

/// The som server: the RPC transport with every service registered, as a `Service` for ServiceGroup.
public final class SOMServer: Service, Sendable {
    private let transport: RPCServer
    private let draining: NIOLockedValueBox<Bool>
    private let onReady: @Sendable () -> Void
    /// Drives orders; background work (first evaluations, timers) runs beside the transport.
    public let engine: OrderEngine
    private let evaluations: EvaluationQueue
    private let recovery: StrandedOrderRecovery
    /// Archive runs: on the retention timer and on request.
    public let archivist: Archivist
    private let schedulerConfiguration: SchedulerConfiguration
    /// Why rebuilding the queues at start failed, if it did; `run` throws it after the drain.
    private let restoreFailure = NIOLockedValueBox<StoreError?>(nil)
    /// The gateway registry's service, which also writes the access file's gateways at start.
    private let registry: GatewayRegistryService
    private let configuredGateways: [GatewayDefinition]
    private let logger: Logger
    /// Every method the server answers, for tests that check each one has its roles.
    public let methods: [String]

    /// Creates the server; `run` rebuilds the command and field-work queues from the store.
    /// - Throws: `StoreError` when the store cannot be read.
    /// - Parameters:
    ///   - configuration: socket path, limits and the allow-list.
    ///   - store: the open order store; the caller closes it after `run` returns.
    ///   - orderLimits: per-call bounds of the Orders service.
    ///   - rules: the disconnect calendar (from `--config`); moratoria come from the store.
    ///   - policy: retries, deadlines and the mass-disconnect guardrail (from `--config`).
    ///   - scheduler: batching, leases and transient retries of the command queues.
    ///   - retention: when finished orders move to archive files (nil: only on request, into `<data>/archive`).
    ///   - access: roles, gateways and registry enforcement (`--access`); nil: everyone allowed on the socket is admin.
    ///   - logger: where the server logs.
    ///   - onReady: called once the socket accepts connections.
    public init(
        configuration: ServerConfiguration, store: OrderStore, orderLimits: OrdersService.Limits = .init(),
        rules: BusinessInputs = BusinessInputs(), policy: OrchestrationPolicy = .standard,
        scheduler schedulerConfiguration: SchedulerConfiguration = SchedulerConfiguration(),
        retention: RetentionPolicy? = nil, access accessConfiguration: AccessConfiguration? = nil,
        logger: Logger, onReady: @escaping @Sendable () -> Void = {}
    ) throws {
        let access = accessConfiguration ?? .unconfigured(serverUID: UInt32(getuid()))
        let registered = try store.registeredGateways()
        var schedulerConfiguration = schedulerConfiguration
        for gateway in registered where gateway.rateLimit != nil || gateway.inFlightLimit != nil {
            schedulerConfiguration.gatewayLimits[GatewayID(gateway.gatewayID)] = schedulerConfiguration.defaultGatewayLimits.overriding(
                commandsPerSecond: gateway.rateLimit, maxInFlight: gateway.inFlightLimit)
        }
        let known = KnownGateways(registered, alwaysEnforced: access.requireRegisteredGateways)
        var inputs = rules
        inputs.moratoria = try store.moratoria()
        inputs.registeredGateways = known.registeredIDs
        // The queues start empty and are rebuilt from the open orders once the socket listens (see
        // `run`): reads and intake are served at once; steps, timers and adapters wait for the rebuild.
        let engine = OrderEngine(
            store: store, scheduler: Scheduler(configuration: schedulerConfiguration, fieldWorkConfiguration: FieldWorkConfiguration()),
            policy: policy, inputs: inputs, logger: logger, restoring: true)
        self.schedulerConfiguration = schedulerConfiguration
        let evaluations = EvaluationQueue(engine: engine)
        self.engine = engine
        self.evaluations = evaluations
        self.recovery = StrandedOrderRecovery(store: store, evaluations: evaluations, logger: logger)
        var retentionPolicy = retention ?? RetentionPolicy(finishedAge: nil, archiveDirectory: store.directory + "/archive")
        retentionPolicy.keepRecentEvents = max(retentionPolicy.keepRecentEvents, policy.guardrail.window)
        let archivist = Archivist(store: store, policy: retentionPolicy, logger: logger)
        self.archivist = archivist
        var router = Router()
        let draining = NIOLockedValueBox(false)
        self.draining = draining
        AdminService(version: SOMVersion.current) {
            draining.withLockedValue { $0 } ? .draining : .serving
        }.register(in: &router)
        var orders = OrdersService(store: store, limits: orderLimits, engine: engine, evaluations: evaluations)
        orders.access = access.policy
        orders.register(in: &router)
        DevicesService(store: store, engine: engine).register(in: &router)
        GatewaysService(engine: engine, access: access.policy, known: known).register(in: &router)
        FieldWorkService(engine: engine, access: access.policy).register(in: &router)
        OperatorService(engine: engine, store: store).register(in: &router)
        MaintenanceService(store: store, archivist: archivist).register(in: &router)
        AuditService(store: store).register(in: &router)
        let registry = GatewayRegistryService(store: store, engine: engine, known: known)
        registry.register(in: &router)
        self.registry = registry
        self.configuredGateways = access.gateways
        self.logger = logger
        // The transport is built from the finished router, so Stats reaches it through a box.
        let transportBox = NIOLockedValueBox<RPCServer?>(nil)
        StatsService(
            store: store, connections: { transportBox.withLockedValue { $0?.connectionCount ?? 0 } },
            calls: { transportBox.withLockedValue { $0?.callsStarted ?? 0 } }
        ).register(in: &router)
        self.methods = router.methods.map(\.path)
        var configuration = configuration
        if access.policy.configured {
            // The socket's allow-list first (who may connect at all), then the roles.
            let allowList = configuration.authorize, policy = access.policy
            configuration.authorize = { peer, method in
                allowList?(peer, method) ?? policy.refusal(peer, method.path)
            }
        }
        // Every call counted and timed by method and status (swift-metrics; no backend, no cost but a
        // lookup), inside its CallScope so the debug line per call names its request id.
        let rpcMetrics = RPCMetrics(logger: logger)
        let transport = RPCServer(configuration: configuration, router: router.observing(rpcMetrics.observe).scopingCalls(), logger: logger)
        transportBox.withLockedValue { $0 = transport }
        self.transport = transport
        self.onReady = onReady
    }

    /// Open connections.
    public var connectionCount: Int { transport.connectionCount }

    /// Serves until graceful shutdown (SIGTERM/SIGINT through ServiceGroup) or task cancellation.
    public func run() async throws {
        try await registerConfiguredGateways()
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                let engine = self.engine, evaluations = self.evaluations
                let configuration = schedulerConfiguration, logger = self.logger
                group.addTask { [self] in
                    let started = ContinuousClock.now
                    let restored: OrderEngine.RestoredWork
                    do throws(StoreError) {
                        restored = try await engine.restore(configuration: configuration)
                    } catch {
                        logger.critical("cannot rebuild the queues from the store; stopping", metadata: ["error": "\(error)"])
                        restoreFailure.withLockedValue { $0 = error }
                        beginGracefulShutdown()
                        return
                    }
                    logger.info("queues rebuilt", metadata: [
                        "open_orders": "\(restored.openOrders)", "commands": "\(restored.commands.count)",
                        "field_activities": "\(restored.fieldActivities.count)", "to_evaluate": "\(engine.store.openCounts[.received] ?? 0)",
                        "seconds": "\(ContinuousClock.now - started)"])
                    // Orders received but never evaluated: the queue reads them from the store by pages.
                    evaluations.submitAllReceived()
                    // Owed from before the restart: unknown outcomes to verify, lost wake-ups, and
                    // orders held for a gateway the access file has just registered.
                    await engine.step(restored.steps)
                    if !configuredGateways.isEmpty { await recheckHeld(engine: engine, store: registry.store, reason: .unknownGateway) }
                    await evaluations.run()
                }
                group.addTask { await engine.runTimers() }
                group.addTask { [recovery] in await recovery.run() }
                group.addTask { [archivist] in await archivist.run() }
                // The transport ends after a graceful drain; the background work stops with it.
                try await transport.run(onReady: onReady)
                group.cancelAll()
            }
            if let failure = restoreFailure.withLockedValue({ $0 }) { throw failure }
        } onGracefulShutdown: { [self] in
            beginGracefulShutdown()
        }
    }

    /// Writes the access file's gateways into the registry (audited as somd's own action) before
    /// the socket opens, so the first pull already finds them.
    private func registerConfiguredGateways() async throws {
        let me = PeerCredentials(uid: UInt32(getuid()), gid: UInt32(getgid()), pid: getpid())
        for gateway in configuredGateways {
            // No re-check of held orders here: steps wait for the queues' rebuild, which comes
            // after this (see `run`), and the rebuild's task re-checks them.
            try await registry.apply(.put(gateway), .by(me, .setGateway, note: GatewayRegistryService.note("from the access file", gateway)), recheck: false)
        }
        if !configuredGateways.isEmpty {
            logger.info("gateways from the access file registered", metadata: ["gateways": "\(configuredGateways.map(\.gatewayID))"])
        }
    }

    /// Stops accepting calls and drains the ones in flight.
    public func beginGracefulShutdown() {
        draining.withLockedValue { $0 = true }
        transport.beginGracefulShutdown()
    }
}

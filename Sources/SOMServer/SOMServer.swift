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
    /// Steps owed from before a restart (unknown outcomes to verify, lost wake-ups), run first.
    private let restartSteps: [(orderID: String, event: OrchestratorEvent)]

    /// Creates the server, rebuilding the command and field-work queues from the store.
    /// - Throws: `StoreError` when the store cannot be read.
    /// - Parameters:
    ///   - configuration: socket path, limits and the allow-list.
    ///   - store: the open order store; the caller closes it after `run` returns.
    ///   - orderLimits: per-call bounds of the Orders service.
    ///   - rules: the disconnect calendar (from `--config`); moratoria come from the store.
    ///   - policy: retries, deadlines and the mass-disconnect guardrail (from `--config`).
    ///   - scheduler: batching, leases and transient retries of the command queues.
    ///   - retention: when finished orders move to archive files (nil: only on request, into `<data>/archive`).
    ///   - logger: where the server logs.
    ///   - onReady: called once the socket accepts connections.
    public init(
        configuration: ServerConfiguration, store: OrderStore, orderLimits: OrdersService.Limits = .init(),
        rules: BusinessInputs = BusinessInputs(), policy: OrchestrationPolicy = .standard,
        scheduler schedulerConfiguration: SchedulerConfiguration = SchedulerConfiguration(),
        retention: RetentionPolicy? = nil,
        logger: Logger, onReady: @escaping @Sendable () -> Void = {}
    ) throws {
        let restored = try OrderEngine.restoredScheduler(
            store: store, configuration: schedulerConfiguration, fieldWork: FieldWorkConfiguration(), crewPools: rules)
        var inputs = rules
        inputs.moratoria = try store.moratoria()
        let engine = OrderEngine(store: store, scheduler: restored.scheduler, policy: policy, inputs: inputs, logger: logger)
        // Before any order is stepped: cuts queued before the restart still count.
        try engine.restoreGuardrailWindow()
        let evaluations = EvaluationQueue(engine: engine)
        evaluations.submit(restored.unevaluated)
        if !restored.unevaluated.isEmpty { logger.info("orders to evaluate after restart", metadata: ["count": "\(restored.unevaluated.count)"]) }
        self.restartSteps = restored.steps
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
        OrdersService(store: store, limits: orderLimits, clock: Timestamp.now, engine: engine, evaluations: evaluations).register(in: &router)
        DevicesService(store: store, engine: engine).register(in: &router)
        GatewaysService(engine: engine).register(in: &router)
        FieldWorkService(engine: engine).register(in: &router)
        OperatorService(engine: engine, store: store).register(in: &router)
        MaintenanceService(store: store, archivist: archivist).register(in: &router)
        // The transport is built from the finished router, so Stats reaches it through a box.
        let transportBox = NIOLockedValueBox<RPCServer?>(nil)
        StatsService(
            store: store, connections: { transportBox.withLockedValue { $0?.connectionCount ?? 0 } },
            calls: { transportBox.withLockedValue { $0?.callsStarted ?? 0 } }
        ).register(in: &router)
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
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                let engine = self.engine, evaluations = self.evaluations, restartSteps = self.restartSteps
                group.addTask {
                    await engine.step(restartSteps)
                    await evaluations.run()
                }
                group.addTask { await engine.runTimers() }
                group.addTask { [recovery] in await recovery.run() }
                group.addTask { [archivist] in await archivist.run() }
                // The transport ends after a graceful drain; the background work stops with it.
                try await transport.run(onReady: onReady)
                group.cancelAll()
            }
        } onGracefulShutdown: { [self] in
            beginGracefulShutdown()
        }
    }

    /// Stops accepting calls and drains the ones in flight.
    public func beginGracefulShutdown() {
        draining.withLockedValue { $0 = true }
        transport.beginGracefulShutdown()
    }
}

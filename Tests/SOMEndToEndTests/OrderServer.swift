import Logging
import SOMClient
import SOMCodec
import SOMEngine
import SOMRPC
import SOMScheduler
import SOMServer
import SOMStore
import SOMTestSupport
import SOMTransport

/// Runs a real server with a real store (LMDB in a temp directory) on a real socket for `body`:
/// the Orders and Devices services over a real engine whose evaluation worker does not run, so
/// accepted orders stay RECEIVED (queued for a first evaluation) while a test looks at intake,
/// queries and the event log; cancels and device updates still step orders through the engine.
func withOrderServer<R: Sendable>(
    limits: OrdersService.Limits = OrdersService.Limits(),
    _ body: @Sendable (_ socketPath: String, _ store: OrderStore) async throws -> R
) async throws -> R {
    let directory = try TemporaryDirectory(prefix: "som-orders")
    defer { directory.remove() }
    var logger = Logger(label: "test-store")
    logger.logLevel = .warning
    let store = try OrderStore(directory: directory.appending("data"), logger: logger)
    defer { store.close() }
    var router = Router()
    AdminService(version: "test") { .serving }.register(in: &router)
    let engine = OrderEngine(store: store, scheduler: Scheduler(), logger: logger)
    OrdersService(store: store, limits: limits, engine: engine, evaluations: EvaluationQueue(engine: engine)).register(in: &router)
    DevicesService(store: store, engine: engine).register(in: &router)
    return try await withTestServer(router: router) { socket, _ in try await body(socket, store) }
}

/// A valid request for service point `servicePoint` with source id `key`.
func orderRequest(_ key: String, servicePoint: String = "SP-1", type: OrderType = .enableService, notes: String = "") -> ServiceOrderRequest {
    ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: key, orderType: type, servicePointID: servicePoint, notes: notes)
}

import Logging
import SOMClient
import SOMCodec
import SOMRPC
import SOMServer
import SOMStore
import SOMTestSupport
import SOMTransport

/// Runs a real server with a real store (LMDB in a temp directory) on a real socket for `body`.
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
    OrdersService(store: store, limits: limits).register(in: &router)
    DevicesService(store: store).register(in: &router)
    return try await withTestServer(router: router) { socket, _ in try await body(socket, store) }
}

/// A valid request for service point `servicePoint` with source id `key`.
func orderRequest(_ key: String, servicePoint: String = "SP-1", type: OrderType = .enableService, notes: String = "") -> ServiceOrderRequest {
    ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: key, orderType: type, servicePointID: servicePoint, notes: notes)
}

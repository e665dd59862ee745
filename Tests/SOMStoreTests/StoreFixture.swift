import Logging
import SOMCodec
import SOMStore
import SOMTestSupport

/// A wall clock tests move by hand.
final class TestClock: Sendable {
    private let box = LockedBox(Timestamp(seconds: 1_800_000_000))
    var now: Timestamp { box.withValue { $0 } }
    func advance(seconds: Int64) { box.withValue { $0.seconds += seconds } }
    var reading: @Sendable () -> Timestamp { { [self] in now } }
}

/// Opens a store in a fresh temp directory, runs `body`, closes and removes it whatever happens.
func withStore<R>(
    options: OrderStore.Options = OrderStore.Options(),
    clock: TestClock = TestClock(),
    _ body: (OrderStore, TemporaryDirectory) async throws -> R
) async throws -> R {
    try await withTemporaryDirectory(prefix: "som-store") { directory in
        let store = try OrderStore(directory: directory.appending("data"), options: options, logger: quietLogger, clock: clock.reading)
        defer { store.close() }
        return try await body(store, directory)
    }
}

let quietLogger: Logger = {
    var logger = Logger(label: "store-test")
    logger.logLevel = .critical
    return logger
}()

/// A valid order template for `servicePoint` with source request id `key`.
func template(
    _ key: String, servicePoint: String = "SP-1", type: OrderType = .enableService,
    source: SourceSystem = .cis, notes: String = ""
) -> Order {
    Order(
        request: ServiceOrderRequest(
            sourceSystem: source, sourceRequestID: key, orderType: type, servicePointID: servicePoint, notes: notes),
        status: .received)
}

extension IntakeOutcome {
    var order: Order? {
        switch self {
        case .accepted(let order), .duplicate(let order): return order
        case .conflict: return nil
        }
    }

    var isAccepted: Bool { if case .accepted = self { true } else { false } }
}

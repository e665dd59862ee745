import Logging
import SOMScheduler
import SOMStore
import SOMTestSupport

/// A real store in a fresh temp directory and a quiet logger, for engine tests without a socket;
/// the store is closed and the directory removed whatever `body` does.
func withEngineStore<R>(prefix: String, _ body: (OrderStore, Logger) async throws -> R) async throws -> R {
    try await withTemporaryDirectory(prefix: prefix) { directory in
        var logger = Logger(label: "engine-test")
        logger.logLevel = .critical
        let store = try OrderStore(directory: directory.appending("data"), logger: logger)
        defer { store.close() }
        return try await body(store, logger)
    }
}

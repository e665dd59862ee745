import CoreMetrics
import Logging
import NIOConcurrencyHelpers
import SOMRPC

/// Calls by method and status code, and their latency, as swift-metrics instruments; fed by
/// `Router.observing` so the transport knows nothing of metrics.
final class RPCMetrics: Sendable {
    private struct Key: Hashable {
        let path: String
        let code: RPCStatus.Code
    }

    /// Instruments made once per method and code: a call costs a lock and a dictionary lookup.
    private let instruments = NIOLockedValueBox<[Key: (calls: Counter, duration: Timer)]>([:])
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func observe(_ method: MethodDescriptor, _ code: RPCStatus.Code, _ duration: Duration) {
        let key = Key(path: method.path, code: code)
        let (calls, timer) = instruments.withLockedValue { cache in
            if let made = cache[key] { return made }
            let made = (
                calls: Counter(label: "som_rpc_calls_total", dimensions: [("method", method.path), ("code", code.name)]),
                duration: Timer(label: "som_rpc_call_duration_seconds", dimensions: [("method", method.path)]))
            cache[key] = made
            return made
        }
        calls.increment()
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        timer.recordNanoseconds(nanoseconds)
        // The access log, at debug level; the metadata provider adds the request id.
        logger.debug("call", metadata: ["code": "\(code.name)", "duration_us": "\(nanoseconds / 1000)"])
    }
}

/// Watch streams open now and how far behind the head each page finds them.
enum WatchMetrics {
    static let watchers = Meter(label: "som_watchers")
    /// Events between a watcher's position and the head, sampled at every page it reads.
    static let lag = Recorder(label: "som_watcher_lag_events", aggregate: true)
}

import CoreMetrics
import Prometheus

/// Makes swift-prometheus the process's swift-metrics backend, with buckets that suit som.
public enum PrometheusSetup {
    /// Bootstraps `MetricsSystem` once per process (before the store opens, so its instruments are
    /// real) and returns the registry a scrape emits.
    public static func bootstrap() -> MetricsText {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // From a point read (~20 µs) to a slow fsync or a long stream; the library's default starts at 5 ms.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .microseconds(2_500_000), .seconds(5), .seconds(10),
        ]
        factory.valueHistogramBuckets["som_store_commit_records"] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 100_000]
        factory.valueHistogramBuckets["som_watcher_lag_events"] = [0, 1, 10, 100, 1000, 10_000, 100_000]
        MetricsSystem.bootstrap(factory)
        return MetricsText(registry: registry)
    }
}

/// Renders the registry in Prometheus text format (version 0.0.4), for one scrape.
public struct MetricsText: Sendable {
    let registry: PrometheusCollectorRegistry

    /// The scrape's bytes.
    public func render() -> [UInt8] { registry.emitToBuffer() }
}

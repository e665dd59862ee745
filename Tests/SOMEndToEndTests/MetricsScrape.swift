import Foundation
import NIOCore
import NIOPosix
import SOMTestSupport
import Testing

/// One scrape of somd's `/metrics`, fetched by Python's urllib and parsed by prometheus_client's
/// reference parser (Tests/scripts/scrape_metrics.py in the venv tools/test makes).
struct MetricsScrape: Decodable {
    struct Sample: Decodable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    let contentType: String
    /// Family name (without `_total` for counters) → type.
    let families: [String: String]
    let samples: [Sample]

    /// The venv's Python, or nil when tools/test has not made it.
    static let python: String? = {
        let path = PackagePaths.path(".build/test-venv/bin/python3")
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()

    static let missingPython: Comment = "no .build/test-venv with prometheus_client: run tools/test (som_test_venv in tools/lib.sh)"

    /// Scrapes `url`; throws when the fetch or the parse fails.
    static func fetch(_ url: String) throws -> MetricsScrape {
        let output = try ProcessRunner.run(python!, [PackagePaths.path("Tests/scripts/scrape_metrics.py"), url])
        guard output.status == 0 else {
            throw SomdProcessError(description: "scrape of \(url) failed (\(output.status)): \(output.stderr)")
        }
        return try JSONDecoder().decode(MetricsScrape.self, from: Data(output.stdout))
    }

    /// The sum of the samples named `name` whose labels include `labels`.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
            .reduce(0) { $0 + $1.value }
    }

    /// A TCP port on loopback nobody listens on now (bound to port 0, then released).
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}

// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "som",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        // Metrics: the swift-metrics API throughout, exported in Prometheus text format (issue 14).
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // C libraries: exactly one Swift module imports each.
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        .target(
            name: "SOMProto",
            path: "Sources/SOMProto",
            cSettings: [.headerSearchPath("include")],
            linkerSettings: [.linkedLibrary("protobuf-c")]
        ),

        // Thin, safe wrappers: the only Swift code with unsafe pointers.
        .target(name: "SOMLMDB", dependencies: ["CLMDB"], swiftSettings: swiftSettings),
        .target(name: "SOMCodec", dependencies: ["SOMProto"], swiftSettings: swiftSettings),

        // The wire: frames, statuses and stream rules as plain values (no sockets, no orders).
        .target(
            name: "SOMRPC",
            dependencies: ["SOMCodec", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),

        // Server and client over Unix sockets (SwiftNIO).
        .target(
            name: "SOMTransport",
            dependencies: [
                "SOMRPC", "SOMCodec",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // The domain: validation, order lifecycle, decision tables. Pure: no I/O, clock injected.
        .target(name: "SOMOrchestration", dependencies: ["SOMCodec"], swiftSettings: swiftSettings),

        // Per-gateway command queues and field-work leases: a plain state machine over a clock.
        .target(name: "SOMScheduler", dependencies: ["SOMCodec", .product(name: "DequeModule", package: "swift-collections")], swiftSettings: swiftSettings),

        // The persistent model on LMDB: schema, indexes, idempotency, event log, group commit.
        .target(
            name: "SOMStore",
            dependencies: [
                "SOMLMDB", "SOMCodec",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                // gzip for archive files (zlib from Debian's zlib1g-dev).
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),

        // The application core: drives orders through the store and the queues (steps, timers, the
        // adapters' results, restart). No sockets, no RPC; one injected clock.
        .target(
            name: "SOMEngine",
            dependencies: [
                "SOMCodec", "SOMStore", "SOMOrchestration", "SOMScheduler",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),

        // Services: where RPC meets the domain; the one place errors become statuses.
        .target(
            name: "SOMServer",
            dependencies: [
                "SOMRPC", "SOMCodec", "SOMTransport", "SOMStore", "SOMOrchestration", "SOMScheduler", "SOMEngine",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),

        // Operations: the Prometheus exporter on NIO's HTTP/1, gauges sampled from the server at scrape time.
        .target(
            name: "SOMMetrics",
            dependencies: [
                "SOMServer", "SOMEngine", "SOMStore", "SOMScheduler", "SOMRPC",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SOMClient",
            dependencies: ["SOMRPC", "SOMCodec", "SOMTransport"],
            swiftSettings: swiftSettings
        ),

        // Executables: thin mains over the libraries.
        .executableTarget(
            name: "somd",
            dependencies: [
                "SOMServer", "SOMTransport", "SOMRPC", "SOMStore", "SOMOrchestration", "SOMMetrics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "somctl",
            dependencies: [
                "SOMClient", "SOMCodec", "SOMRPC", "SOMTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "somsim",
            dependencies: [
                "SOMClient", "SOMCodec", "SOMRPC", "SOMTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "som-bench",
            dependencies: [
                "SOMClient", "SOMCodec", "SOMRPC", "SOMTransport", "SOMScheduler",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: swiftSettings
        ),

        // Tests.
        .target(name: "SOMTestSupport", path: "Tests/SOMTestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "SOMLMDBTests", dependencies: ["SOMLMDB", "SOMTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SOMCodecTests",
            dependencies: ["SOMCodec", "SOMTestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SOMRPCTests",
            dependencies: ["SOMRPC", "SOMTestSupport", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SOMTransportTests",
            dependencies: [
                "SOMTransport", "SOMRPC", "SOMCodec",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SOMOrchestrationTests",
            dependencies: ["SOMOrchestration", "SOMCodec", "SOMTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SOMSchedulerTests",
            dependencies: ["SOMScheduler", "SOMCodec"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SOMStoreTests",
            dependencies: ["SOMStore", "SOMLMDB", "SOMCodec", "SOMTestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SOMEndToEndTests",
            dependencies: [
                "SOMServer", "SOMEngine", "SOMClient", "SOMTransport", "SOMRPC", "SOMCodec", "SOMStore", "SOMOrchestration", "SOMScheduler", "SOMTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

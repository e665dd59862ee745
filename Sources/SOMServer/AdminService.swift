import Foundation
public import SOMCodec
public import SOMRPC

/// The `som.v1.Admin` methods that exist today: health and the echo family used by tests and benchmarks.
public struct AdminService: Sendable {
    /// The service name on the wire.
    public static let name = "som.v1.Admin"

    private let version: String
    private let startedAt: ContinuousClock.Instant
    private let startedAtWall: Date
    private let serving: @Sendable () -> ServingStatus

    /// Creates the service.
    /// - Parameters:
    ///   - version: the server's version string.
    ///   - serving: the current serving status (DRAINING during shutdown).
    public init(version: String, serving: @escaping @Sendable () -> ServingStatus) {
        self.version = version
        self.startedAt = .now
        self.startedAtWall = Date()
        self.serving = serving
    }

    /// Adds the methods to `router`.
    public func register(in router: inout Router) {
        router.unaryInline(Self.name, "Health") { (_: HealthRequest, _) in health().encoded() }
        router.unary(Self.name, "Echo") { (message: EchoMessage, _) in message }
        router.serverStreaming(Self.name, "EchoStream") { (message: EchoMessage, writer: MessageWriter<EchoMessage>, _) in
            let copies = message.repeat == 0 ? 1 : Int(message.repeat)
            var reply = message
            reply.repeat = 0
            for _ in 0..<copies {
                try Task.checkCancellation()
                try await writer.write(reply)
            }
        }
        router.clientStreaming(Self.name, "EchoCollect") { (messages: MessageStream<EchoMessage>, _) -> EchoMessage in
            var collected = EchoMessage()
            for try await message in messages {
                collected.payload += message.payload
                collected.repeat += 1
            }
            return collected
        }
        router.bidirectional(Self.name, "EchoBidi") { (messages: MessageStream<EchoMessage>, writer: MessageWriter<EchoMessage>, _) in
            for try await message in messages { try await writer.write(message) }
        }
    }

    private func health() -> HealthResponse {
        let uptime = ContinuousClock.now - startedAt
        let seconds = startedAtWall.timeIntervalSince1970
        return HealthResponse(
            status: serving(),
            version: version,
            uptimeMs: UInt64(uptime.components.seconds) * 1000 + UInt64(uptime.components.attoseconds / 1_000_000_000_000_000),
            startedAt: Timestamp(seconds: Int64(seconds), nanos: Int32((seconds - seconds.rounded(.down)) * 1e9)),
            pid: UInt32(ProcessInfo.processInfo.processIdentifier))
    }
}

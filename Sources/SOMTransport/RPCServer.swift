import Foundation
public import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
public import SOMRPC

/// The RPC server: listens on a Unix socket and runs the `Router`'s methods for every connection.
///
/// `run()` serves until `beginGracefulShutdown()`; then it stops accepting, sends every
/// connection a GOAWAY, lets in-flight calls finish for up to `drainTimeout`, and returns.
public final class RPCServer: Sendable {
    private let configuration: ServerConfiguration
    private let router: Router
    private let logger: Logger
    private let group: any EventLoopGroup
    private let state = NIOLockedValueBox(State())

    private struct State {
        var listener: (any Channel)?
        var connections: [ObjectIdentifier: any Channel] = [:]
        var shuttingDown = false
        var drained: [CheckedContinuation<Void, Never>] = []
    }

    /// Creates a server; nothing happens until `run()`.
    public init(configuration: ServerConfiguration, router: Router, logger: Logger) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.group = MultiThreadedEventLoopGroup.singleton
    }

    /// The number of open connections.
    public var connectionCount: Int { state.withLockedValue { $0.connections.count } }

    /// Calls started since the server was created (for Stats).
    public var callsStarted: UInt64 { calls.withLockedValue { $0 } }
    private let calls = NIOLockedValueBox<UInt64>(0)

    /// Binds and serves until shut down.
    ///
    /// - Parameter onReady: called once the socket accepts connections.
    /// - Throws: `ServerStartError` when the socket cannot be taken (another live server, a bad path).
    public func run(onReady: @Sendable () -> Void = {}) async throws {
        try ensureSocketDirectory(configuration.socketPath)
        let lock = try SocketLock(socketPath: configuration.socketPath)
        defer { lock.release() }
        try await removeStaleSocket(configuration.socketPath, group: group)

        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelInitializer { [self] channel in
                accept(channel)
            }
            .bind(unixDomainSocketPath: configuration.socketPath, cleanupExistingSocketFile: false)
            .get()
        try setSocketMode(configuration.socketPath, configuration.socketMode)
        let stopAtOnce = state.withLockedValue { state -> Bool in
            state.listener = listener
            return state.shuttingDown
        }
        if stopAtOnce { listener.close(promise: nil) }
        logger.info("listening", metadata: ["socket": "\(configuration.socketPath)"])
        onReady()

        try? await listener.closeFuture.get()
        await drainConnections()
        removeOwnSocket(configuration.socketPath)
        logger.info("stopped", metadata: ["socket": "\(configuration.socketPath)"])
    }

    /// Starts a graceful shutdown: no new connections or calls; in-flight calls get `drainTimeout` to finish.
    public func beginGracefulShutdown() {
        let (listener, connections) = state.withLockedValue { state -> ((any Channel)?, [any Channel]) in
            state.shuttingDown = true
            return (state.listener, Array(state.connections.values))
        }
        listener?.close(promise: nil)
        for connection in connections {
            connection.pipeline.fireUserInboundEventTriggered(GoAwayEvent(reason: "server shutting down"))
        }
    }

    private func accept(_ channel: any Channel) -> EventLoopFuture<Void> {
        let refusal = state.withLockedValue { state -> (RPCStatus.Code, String)? in
            if state.shuttingDown { return (.unavailable, "server shutting down") }
            guard state.connections.count < configuration.maxConnections else {
                return (.resourceExhausted, "too many connections (limit \(configuration.maxConnections))")
            }
            state.connections[ObjectIdentifier(channel)] = channel
            return nil
        }
        channel.closeFuture.whenComplete { [self] _ in connectionClosed(channel) }
        if let (code, reason) = refusal {
            // Say why before closing, in the protocol's own terms.
            var out = channel.allocator.buffer(capacity: 64)
            out.writeBytes(Preface.bytes)
            FrameEncoder.encode(.goAway(lastStreamID: 0, code: code, reason: reason), into: &out)
            return channel.writeAndFlush(out).flatMap { channel.close() }
        }
        return PeerCredentials.of(channel).flatMap { [self] peer in
            channel.eventLoop.makeCompletedFuture {
                let sync = channel.pipeline.syncOperations
                if let idle = configuration.limits.idleTimeout {
                    try sync.addHandler(IdleStateHandler(allTimeout: .nanoseconds(Int64(idle.components.seconds) * 1_000_000_000)))
                }
                let calls = self.calls
                try sync.addHandler(ServerConnectionHandler(
                    router: router, configuration: configuration, peer: peer,
                    logger: logger, onCall: { calls.withLockedValue { $0 &+= 1 } }))
            }
        }
    }

    private func connectionClosed(_ channel: any Channel) {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.connections[ObjectIdentifier(channel)] = nil
            guard state.connections.isEmpty else { return [] }
            defer { state.drained.removeAll() }
            return state.drained
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits for connections to finish their calls, then closes whatever is left after the drain time-out.
    private func drainConnections() async {
        beginGracefulShutdown()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                await withCheckedContinuation { continuation in
                    let done = state.withLockedValue { state -> Bool in
                        if state.connections.isEmpty { return true }
                        state.drained.append(continuation)
                        return false
                    }
                    if done { continuation.resume() }
                }
            }
            group.addTask { [self] in
                try? await Task.sleep(for: configuration.drainTimeout)
            }
            await group.next()
            group.cancelAll()
            // Past the time-out: closing the rest empties the list, which releases the waiter above.
            let leftovers = state.withLockedValue { Array($0.connections.values) }
            if !leftovers.isEmpty {
                logger.warning("drain time-out: closing connections with calls still running", metadata: ["count": "\(leftovers.count)"])
            }
            for channel in leftovers { try? await channel.close() }
        }
    }
}

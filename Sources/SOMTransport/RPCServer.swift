import Foundation
#if canImport(Glibc)
import Glibc
#endif
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
        var connections: [ObjectIdentifier: Connection] = [:]
        /// Accept order, so eviction takes the oldest.
        var accepted: UInt64 = 0
        var shuttingDown = false
        var drained: [CheckedContinuation<Void, Never>] = []
    }

    /// One admitted connection.
    private struct Connection {
        let channel: any Channel
        let order: UInt64
        let budget: OutboundBudget
        /// Preface and SETTINGS received: from then on it is never evicted.
        var handshakeDone = false
    }

    /// What `admit` decided for a new connection.
    private enum Admission {
        case admit(evicting: (any Channel)?)
        case refuse(RPCStatus.Code, String)
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

    /// Response bytes the server holds for its clients: queued by handlers and buffered in the
    /// channels (the figure that must stay bounded however slowly clients read).
    public func bufferedOutboundBytes() async -> Int {
        let connections = state.withLockedValue { Array($0.connections.values) }
        var total = 0
        for connection in connections {
            total += connection.budget.queued
            total += (try? await connection.channel.getOption(.bufferedWritableBytes).get()) ?? 0
        }
        return total
    }

    /// Calls started since the server was created (for Stats).
    public var callsStarted: UInt64 { calls.withLockedValue { $0 } }
    private let calls = NIOLockedValueBox<UInt64>(0)

    /// Binds and serves until shut down.
    ///
    /// - Parameter onReady: called once the socket accepts connections.
    /// - Throws: `ServerStartError` when the socket cannot be taken (another live server, a bad path).
    public func run(onReady: @Sendable () -> Void = {}) async throws {
        if let inherited = configuration.inheritedListener {
            // systemd owns the path: no lock, no stale-socket removal, no chmod, no removal at exit.
            let listener = try await bootstrap().withBoundSocket(inherited).get()
            try await serve(listener, onReady: onReady)
            logger.info("stopped", metadata: ["socket": "\(configuration.socketPath)"])
            return
        }
        try ensureSocketDirectory(configuration.socketPath)
        let lock = try SocketLock(socketPath: configuration.socketPath)
        defer { lock.release() }
        try await removeStaleSocket(configuration.socketPath, group: group)

        let listener = try await bootstrap()
            .bind(unixDomainSocketPath: configuration.socketPath, cleanupExistingSocketFile: false)
            .get()
        try setSocketMode(configuration.socketPath, configuration.socketMode)
        try await serve(listener, onReady: onReady)
        removeOwnSocket(configuration.socketPath)
        logger.info("stopped", metadata: ["socket": "\(configuration.socketPath)"])
    }

    private func bootstrap() -> ServerBootstrap {
        ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.writeBufferWaterMark, value: .init(
                low: configuration.writeBufferLowWaterMark, high: configuration.writeBufferHighWaterMark))
            .childChannelInitializer { [self] channel in
                accept(channel)
            }
    }

    /// Accepts on `listener` until shut down, then drains.
    private func serve(_ listener: any Channel, onReady: @Sendable () -> Void) async throws {
        let stopAtOnce = state.withLockedValue { state -> Bool in
            state.listener = listener
            return state.shuttingDown
        }
        if stopAtOnce { listener.close(promise: nil) }
        logger.info("listening", metadata: [
            "socket": "\(configuration.socketPath)", "activated": "\(configuration.inheritedListener != nil)",
        ])
        onReady()

        try? await listener.closeFuture.get()
        await drainConnections()
    }

    /// Starts a graceful shutdown: no new connections or calls; in-flight calls get `drainTimeout` to finish.
    public func beginGracefulShutdown() {
        let (listener, connections) = state.withLockedValue { state -> ((any Channel)?, [Connection]) in
            state.shuttingDown = true
            return (state.listener, Array(state.connections.values))
        }
        listener?.close(promise: nil)
        for connection in connections {
            connection.channel.pipeline.fireUserInboundEventTriggered(GoAwayEvent(reason: "server shutting down"))
        }
    }

    private func accept(_ channel: any Channel) -> EventLoopFuture<Void> {
        channel.closeFuture.whenComplete { [self] _ in connectionClosed(channel) }
        return PeerCredentials.of(channel).flatMap { [self] peer in
            let budget = OutboundBudget(limit: configuration.maxQueuedResponseBytes)
            let admission = admit(channel, peer: peer, budget: budget)
            return channel.eventLoop.makeCompletedFuture {
                let sync = channel.pipeline.syncOperations
                switch admission {
                case .refuse(let code, let reason):
                    try sync.addHandler(RefusalHandler(code: code, reason: reason))
                    return
                case .admit(let evicted):
                    evicted?.pipeline.fireUserInboundEventTriggered(EvictEvent(
                        reason: "evicted: no handshake yet and the server is at its connection limit (\(configuration.maxConnections))"))
                }
                if let idle = configuration.limits.idleTimeout {
                    try sync.addHandler(IdleStateHandler(allTimeout: TimeAmount(idle)))
                }
                let calls = self.calls
                let id = ObjectIdentifier(channel)
                try sync.addHandler(ServerConnectionHandler(
                    router: router, configuration: configuration, peer: peer, logger: logger, budget: budget,
                    onCall: { calls.withLockedValue { $0 &+= 1 } },
                    onHandshake: { [self] in state.withLockedValue { $0.connections[id]?.handshakeDone = true } }))
            }
        }
    }

    /// Decides whether a new connection is served. At the limit, a privileged peer takes one of
    /// the reserved slots; anyone else takes the place of the oldest connection that has not
    /// finished its handshake (it has not been able to make a call yet); otherwise it is refused.
    private func admit(_ channel: any Channel, peer: PeerCredentials, budget: OutboundBudget) -> Admission {
        let privileged = configuration.isPrivileged?(peer) ?? (peer.uid == 0 || peer.uid == UInt32(getuid()))
        return state.withLockedValue { state -> Admission in
            if state.shuttingDown { return .refuse(.unavailable, "server shutting down") }
            var evicted: (any Channel)?
            let count = state.connections.count
            if count >= configuration.maxConnections, !(privileged && count < configuration.maxConnections + configuration.reservedConnections) {
                guard let oldest = state.connections.filter({ !$0.value.handshakeDone }).min(by: { $0.value.order < $1.value.order }) else {
                    return .refuse(.resourceExhausted, "too many connections (limit \(configuration.maxConnections))")
                }
                state.connections[oldest.key] = nil
                evicted = oldest.value.channel
            }
            state.accepted += 1
            state.connections[ObjectIdentifier(channel)] = Connection(channel: channel, order: state.accepted, budget: budget)
            return .admit(evicting: evicted)
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
            let leftovers = state.withLockedValue { $0.connections.values.map(\.channel) }
            if !leftovers.isEmpty {
                logger.warning("drain time-out: closing connections with calls still running", metadata: ["count": "\(leftovers.count)"])
            }
            for channel in leftovers { try? await channel.close() }
        }
    }
}

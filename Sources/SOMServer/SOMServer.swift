import Foundation
public import Logging
import NIOConcurrencyHelpers
public import ServiceLifecycle
public import SOMCodec
import SOMRPC
public import SOMTransport

/// The som server: the RPC transport with every service registered, as a `Service` for ServiceGroup.
public final class SOMServer: Service, Sendable {
    private let transport: RPCServer
    private let draining = NIOLockedValueBox(false)
    private let onReady: @Sendable () -> Void

    /// Creates the server.
    /// - Parameters:
    ///   - configuration: socket path, limits and the allow-list.
    ///   - logger: where the server logs.
    ///   - onReady: called once the socket accepts connections.
    public init(configuration: ServerConfiguration, logger: Logger, onReady: @escaping @Sendable () -> Void = {}) {
        var router = Router()
        let draining = self.draining
        AdminService(version: SOMVersion.current) {
            draining.withLockedValue { $0 } ? .draining : .serving
        }.register(in: &router)
        self.transport = RPCServer(configuration: configuration, router: router, logger: logger)
        self.onReady = onReady
    }

    /// Serves until graceful shutdown (SIGTERM/SIGINT through ServiceGroup) or task cancellation.
    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await transport.run(onReady: onReady)
        } onGracefulShutdown: { [self] in
            beginGracefulShutdown()
        }
    }

    /// Stops accepting calls and drains the ones in flight.
    public func beginGracefulShutdown() {
        draining.withLockedValue { $0 = true }
        transport.beginGracefulShutdown()
    }
}

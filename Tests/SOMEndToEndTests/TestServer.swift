import Logging
import SOMCodec
import SOMRPC
import SOMServer
import SOMTestSupport
import SOMTransport

/// The test server returned before it was ready, without an error.
struct ServerStartFailed: Error {}

/// Runs a real server on a fresh socket in a temp directory for the duration of `body`, then
/// shuts it down gracefully and waits for it, whatever `body` did.
func withTestServer<R: Sendable>(
    router: Router? = nil,
    configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: @Sendable (_ socketPath: String, _ server: RPCServer) async throws -> R
) async throws -> R {
    let directory = try TemporaryDirectory(prefix: "som-e2e")
    defer { directory.remove() }
    var configuration = ServerConfiguration(socketPath: directory.appending("som.sock"))
    configuration.drainTimeout = .seconds(5)
    // A raw-socket test's task can wait seconds for a thread between connecting and sending its
    // SETTINGS in a full parallel run; tests of the handshake time-out set their own.
    configuration.handshakeTimeout = .seconds(60)
    configure(&configuration)
    var logger = Logger(label: "test-server")
    logger.logLevel = .warning
    let server: RPCServer
    if let router {
        server = RPCServer(configuration: configuration, router: router, logger: logger)
    } else {
        var admin = Router()
        AdminService(version: "test") { .serving }.register(in: &admin)
        server = RPCServer(configuration: configuration, router: admin, logger: logger)
    }
    let (ready, readyContinuation) = AsyncStream<Void>.makeStream()
    return try await withThrowingTaskGroup(of: R?.self) { group in
        group.addTask {
            // Ready or failed: a server that cannot start ends the stream, so the test fails at once.
            defer { readyContinuation.finish() }
            try await server.run { readyContinuation.yield() }
            return nil
        }
        var isReady = false
        for await _ in ready { isReady = true; break }
        guard isReady else {
            // run() returned or threw before serving: surface its error.
            while try await group.next() != nil {}
            throw ServerStartFailed()
        }
        do {
            let result = try await body(configuration.socketPath, server)
            server.beginGracefulShutdown()
            while let next = try await group.next() { if next != nil { break } }
            return result
        } catch {
            server.beginGracefulShutdown()
            group.cancelAll()
            throw error
        }
    }
}

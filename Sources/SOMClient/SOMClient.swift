public import SOMCodec
import SOMRPC
public import SOMTransport

/// The typed client for somd: one method per RPC, used by somctl, tests and benchmarks.
public struct SOMClient: Sendable {
    /// The transport underneath; open calls of any shape with it directly.
    public let rpc: RPCClient

    /// A client for the server listening on `socketPath`.
    public init(socketPath: String) {
        self.rpc = RPCClient(socketPath: socketPath)
    }

    /// Closes the connection.
    public func close() async { await rpc.close() }

    /// `som.v1.Admin/Health`.
    public func health(options: CallOptions = CallOptions()) async throws -> HealthResponse {
        try await rpc.unary("/som.v1.Admin/Health", HealthRequest(), options: options)
    }

    /// `som.v1.Admin/Echo`.
    public func echo(_ message: EchoMessage, options: CallOptions = CallOptions()) async throws -> EchoMessage {
        try await rpc.unary("/som.v1.Admin/Echo", message, options: options)
    }
}

import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
public import SOMCodec
public import SOMRPC

/// Options of one call.
public struct CallOptions: Sendable {
    /// The call fails with DEADLINE_EXCEEDED after this long (enforced by both sides); nil means none.
    public var timeout: Duration?
    /// Metadata sent in the call header.
    public var metadata: [String: String]

    /// Creates options.
    public init(timeout: Duration? = nil, metadata: [String: String] = [:]) {
        self.timeout = timeout
        self.metadata = metadata
    }
}

/// A client for the som RPC protocol over a Unix socket. Calls share one connection; when it
/// closes (server restart, GOAWAY) the next call opens a new one.
public final class RPCClient: Sendable {
    /// The socket path.
    public let socketPath: String
    private let limits: ConnectionLimits
    private let group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    private let current = NIOLockedValueBox<Current?>(nil)

    /// The connection calls use: the future it comes from (which identifies it) and, once it is
    /// up, the connection itself, so a call does not wait on a completed future (a hop each time).
    private struct Current {
        let future: EventLoopFuture<Connection>
        var resolved: Connection?
    }

    struct Connection: Sendable {
        let channel: any Channel
        let handler: NIOLoopBound<ClientConnectionHandler>
        /// Our inbound credit window per stream.
        let window: Int
    }

    /// Creates a client; it connects on the first call.
    public init(socketPath: String, limits: ConnectionLimits = ConnectionLimits()) {
        self.socketPath = socketPath
        self.limits = limits
    }

    /// Closes the connection; calls in flight fail with UNAVAILABLE.
    public func close() async {
        let connection = current.withLockedValue { value in
            defer { value = nil }
            return value
        }
        if let channel = try? await connection?.future.get().channel { try? await channel.close() }
    }

    /// Opens a call of any shape; send with `send`, end with `finishSending`, read `responses`.
    public func open(_ method: String, shape: CallShape, options: CallOptions = CallOptions()) async throws -> ClientCall {
        try await open(method, shape: shape, options: options, firstMessage: nil, endStream: false)
    }

    /// Opens a call and sends its first message with the header in one write.
    func open(
        _ method: String, shape: CallShape, options: CallOptions, firstMessage: [UInt8]?, endStream: Bool
    ) async throws -> ClientCall {
        var header = CallHeader(method: method)
        if let timeout = options.timeout {
            let micros = timeout.components.seconds * 1_000_000 + timeout.components.attoseconds / 1_000_000_000_000
            header.timeoutUs = UInt64(max(1, micros))
        }
        header.metadata = options.metadata.sorted { $0.key < $1.key }.map { MetadataEntry(key: $0.key, value: $0.value) }
        let request = header
        // One hop to the event loop per call. A connection found closed there (server restart,
        // GOAWAY) is replaced once; the liveness check is part of that hop, not a hop of its own.
        for attempt in 0..<2 {
            let (connection, future) = try await connection()
            let handler = connection.handler
            do {
                let (id, responses, gate) = try await withCheckedThrowingContinuation { continuation in
                    connection.channel.eventLoop.execute {
                        do {
                            continuation.resume(returning: try handler.value.open(
                                header: request, shape: shape, timeout: options.timeout, firstMessage: firstMessage, endStream: endStream))
                        } catch {
                            continuation.resume(throwing: error)
                        }
                    }
                }
                return ClientCall(streamID: id, connection: connection, responses: responses, gate: gate)
            } catch let error as RPCError where error.code == .unavailable && attempt == 0 {
                current.withLockedValue { if isSame($0?.future, future) { $0 = nil } }
            }
        }
        throw RPCError(.unavailable, "cannot open a call on \(socketPath): the connection keeps closing")
    }

    /// A unary call with raw bytes.
    public func unary(_ method: String, request: [UInt8], options: CallOptions = CallOptions()) async throws -> [UInt8] {
        let call = try await open(method, shape: .unary, options: options, firstMessage: request, endStream: true)
        return try await withTaskCancellationHandler {
            var response: [UInt8]?
            for try await message in call.responses where response == nil { response = message }
            guard let response else { throw RPCError(.internal, "the server ended a unary call without a response") }
            return response
        } onCancel: {
            call.cancel()
        }
    }

    /// A unary call with messages.
    public func unary<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, _ request: Request, as: Response.Type = Response.self, options: CallOptions = CallOptions()
    ) async throws -> Response {
        let bytes = try await unary(method, request: request.encoded(), options: options)
        do { return try Response(decoding: bytes) } catch {
            throw RPCError(.internal, "cannot decode the \(Response.protoName) response: \(error)", cause: error)
        }
    }

    /// The current connection (made on first use) and the future it came from, which identifies it.
    private func connection() async throws -> (Connection, EventLoopFuture<Connection>) {
        let (future, resolved) = current.withLockedValue { value -> (EventLoopFuture<Connection>, Connection?) in
            if let existing = value { return (existing.future, existing.resolved) }
            let made = makeConnection()
            value = Current(future: made)
            return (made, nil)
        }
        if let resolved { return (resolved, future) }
        do {
            let connection = try await future.get()
            current.withLockedValue { if isSame($0?.future, future) { $0?.resolved = connection } }
            return (connection, future)
        } catch {
            current.withLockedValue { if isSame($0?.future, future) { $0 = nil } }
            throw RPCError(.unavailable, "cannot connect to \(socketPath): \(error) (is somd running?)", cause: error)
        }
    }

    private func makeConnection() -> EventLoopFuture<Connection> {
        let limits = self.limits
        return ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ClientConnectionHandler(limits: limits))
                }
            }
            .connect(unixDomainSocketPath: socketPath)
            .flatMap { channel in
                channel.pipeline.handler(type: ClientConnectionHandler.self).map { handler in
                    Connection(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop), window: limits.initialStreamCredit)
                }
            }
    }
}

/// True when `current` still holds `future` (so a failed connection is dropped only once).
private func isSame<T>(_ current: EventLoopFuture<T>?, _ future: EventLoopFuture<T>) -> Bool {
    guard let current else { return false }
    return ObjectIdentifier(current) == ObjectIdentifier(future)
}

/// One open call: send messages, read responses; the status ends `responses` (throwing `RPCError` unless OK).
public final class ClientCall: Sendable {
    let streamID: UInt32
    let connection: RPCClient.Connection
    /// Responses in order; taking one returns credit to the server.
    public let responses: RequestStream

    private let gate: OutboundGate

    init(streamID: UInt32, connection: RPCClient.Connection, responses: AsyncThrowingStream<[UInt8], any Error>, gate: OutboundGate) {
        self.streamID = streamID
        self.connection = connection
        self.gate = gate
        let handler = connection.handler
        let loop = connection.channel.eventLoop
        let consumption = ConsumptionBatcher(window: connection.window)
        self.responses = RequestStream(responses) {
            guard let count = consumption.take() else { return }
            loop.execute { handler.value.consumed(streamID: streamID, count: count) }
        }
    }

    /// Sends one message, waiting while the server has granted no credit.
    public func send(_ bytes: [UInt8], endStream: Bool = false) async throws {
        let handler = connection.handler
        let id = streamID
        // Like the server's handlers: run ahead of the socket only while the connection is
        // writable and its queued bytes are under the budget; otherwise wait for this one to go.
        let loop = connection.channel.eventLoop
        if !endStream {
            switch gate.enqueue(bytes) {
            case .closed(let error):
                throw error
            case .queued(let scheduleDrain):
                // Credit left: the loop sends it in order; waiting for the hop would only add latency.
                if scheduleDrain { loop.execute { handler.value.sendQueued(streamID: id) } }
                return
            case .wait:
                break
            }
        }
        let promise = loop.makePromise(of: Void.self)
        loop.execute { handler.value.send(bytes, streamID: id, endStream: endStream, promise: promise) }
        try await promise.futureResult.get()
    }

    /// Half-closes: tells the server no more messages follow.
    public func finishSending() {
        let handler = connection.handler
        let id = streamID
        connection.channel.eventLoop.execute { handler.value.finishSending(streamID: id) }
    }

    /// Abandons the call; the server cancels its handler.
    public func cancel() {
        let handler = connection.handler
        let id = streamID
        connection.channel.eventLoop.execute { handler.value.cancel(streamID: id) }
    }
}

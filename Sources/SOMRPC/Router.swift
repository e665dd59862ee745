public import SOMCodec

/// The method table: path → shape and handler. Typed registration decodes requests and encodes
/// responses with SOMCodec, so handlers see messages, not bytes.
public struct Router: Sendable {
    /// A registered method.
    public struct Route: Sendable {
        /// The method.
        public var descriptor: MethodDescriptor
        /// Its handler.
        public var handler: any ServerCallHandler
        /// For a unary method registered with `unaryInline`: request bytes in, response bytes out,
        /// run synchronously by the transport on the connection's thread.
        public var inline: InlineUnaryHandler?
    }

    /// A synchronous unary handler the transport may run without starting a task.
    public typealias InlineUnaryHandler = @Sendable ([UInt8], ServerContext) throws -> [UInt8]

    /// Internal, not private: `observing(_:)` (Router+Observing.swift) rewraps every route.
    var routes: [String: Route] = [:]

    /// An empty table.
    public init() {}

    /// The route for a path from a call header.
    public func route(for path: String) -> Route? { routes[path] }

    /// Every registered method, sorted by path.
    public var methods: [MethodDescriptor] { routes.values.map(\.descriptor).sorted { $0.path < $1.path } }

    /// Registers a byte-level handler.
    public mutating func register(_ descriptor: MethodDescriptor, handler: any ServerCallHandler) {
        precondition(routes[descriptor.path] == nil, "method \(descriptor.path) registered twice")
        routes[descriptor.path] = Route(descriptor: descriptor, handler: handler, inline: nil)
    }

    /// Registers a unary method whose work is short, synchronous and never blocks on I/O (a point
    /// read from the memory-mapped store, a health answer). The transport runs it as soon as the
    /// request arrives, on the connection's event loop: no task, no thread hops, which is most of
    /// a small call's latency. Anything that may wait (a commit, a scan) must use `unary` instead.
    public mutating func unaryInline<Request: ProtoMessage>(
        _ service: String, _ method: String,
        _ body: @escaping @Sendable (Request, ServerContext) throws -> [UInt8]
    ) {
        let inline: InlineUnaryHandler = { bytes, context in
            let request: Request = try decodeRequest(bytes)
            return try body(request, context)
        }
        let descriptor = MethodDescriptor(service: service, method: method, shape: .unary)
        precondition(routes[descriptor.path] == nil, "method \(descriptor.path) registered twice")
        let fallback = ClosureHandler { requests, responses, context in
            let request: [UInt8] = try await Self.singleBytes(requests)
            try await responses.write(try inline(request, context))
        }
        routes[descriptor.path] = Route(descriptor: descriptor, handler: fallback, inline: inline)
    }

    /// Registers a unary method.
    public mutating func unary<Request: ProtoMessage, Response: ProtoMessage>(
        _ service: String, _ method: String,
        _ body: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        register(MethodDescriptor(service: service, method: method, shape: .unary), handler: ClosureHandler { requests, responses, context in
            let request: Request = try await Self.single(requests)
            try await responses.write(try await body(request, context).encoded())
        })
    }

    /// Registers a server-streaming method that writes encoded responses itself, for handlers that
    /// splice stored bytes into a response instead of decoding and re-encoding them.
    public mutating func serverStreamingEncoded<Request: ProtoMessage>(
        _ service: String, _ method: String,
        _ body: @escaping @Sendable (Request, ResponseWriter, ServerContext) async throws -> Void
    ) {
        register(MethodDescriptor(service: service, method: method, shape: .serverStreaming), handler: ClosureHandler { requests, responses, context in
            let request: Request = try await Self.single(requests)
            try await body(request, responses, context)
        })
    }

    /// Registers a server-streaming method.
    public mutating func serverStreaming<Request: ProtoMessage, Response: ProtoMessage>(
        _ service: String, _ method: String,
        _ body: @escaping @Sendable (Request, MessageWriter<Response>, ServerContext) async throws -> Void
    ) {
        register(MethodDescriptor(service: service, method: method, shape: .serverStreaming), handler: ClosureHandler { requests, responses, context in
            let request: Request = try await Self.single(requests)
            try await body(request, MessageWriter(responses), context)
        })
    }

    /// Registers a client-streaming method.
    public mutating func clientStreaming<Request: ProtoMessage, Response: ProtoMessage>(
        _ service: String, _ method: String,
        _ body: @escaping @Sendable (MessageStream<Request>, ServerContext) async throws -> Response
    ) {
        register(MethodDescriptor(service: service, method: method, shape: .clientStreaming), handler: ClosureHandler { requests, responses, context in
            try await responses.write(try await body(MessageStream(requests), context).encoded())
        })
    }

    /// Registers a bidirectional-streaming method.
    public mutating func bidirectional<Request: ProtoMessage, Response: ProtoMessage>(
        _ service: String, _ method: String,
        _ body: @escaping @Sendable (MessageStream<Request>, MessageWriter<Response>, ServerContext) async throws -> Void
    ) {
        register(MethodDescriptor(service: service, method: method, shape: .bidirectional), handler: ClosureHandler { requests, responses, context in
            try await body(MessageStream(requests), MessageWriter(responses), context)
        })
    }

    private static func singleBytes(_ requests: RequestStream) async throws -> [UInt8] {
        var iterator = requests.makeAsyncIterator()
        guard let bytes = try await iterator.next() else {
            throw RPCError(.invalidArgument, "the call ended without its request message")
        }
        return bytes
    }

    private static func single<Request: ProtoMessage>(_ requests: RequestStream) async throws -> Request {
        try decodeRequest(try await singleBytes(requests))
    }
}

/// Decodes a request, turning a codec failure into INVALID_ARGUMENT for the caller.
func decodeRequest<Request: ProtoMessage>(_ bytes: [UInt8]) throws(RPCError) -> Request {
    do {
        return try Request(decoding: bytes)
    } catch {
        throw RPCError(.invalidArgument, "cannot decode \(Request.protoName): \(error)", cause: error)
    }
}

/// Typed requests of a streaming call.
public struct MessageStream<Message: ProtoMessage>: AsyncSequence, Sendable {
    public typealias Element = Message
    let base: RequestStream

    /// Wraps a byte stream.
    public init(_ base: RequestStream) { self.base = base }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestStream.AsyncIterator
        public mutating func next() async throws -> Message? {
            guard let bytes = try await base.next() else { return nil }
            return try decodeRequest(bytes)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator()) }
}

/// Typed responses of a streaming call.
public struct MessageWriter<Message: ProtoMessage>: Sendable {
    let base: ResponseWriter

    /// Wraps a byte writer.
    public init(_ base: ResponseWriter) { self.base = base }

    /// Sends one message, waiting for credit.
    public func write(_ message: Message) async throws { try await base.write(message.encoded()) }
}

struct ClosureHandler: ServerCallHandler {
    let body: @Sendable (RequestStream, ResponseWriter, ServerContext) async throws -> Void
    func handle(requests: RequestStream, responses: ResponseWriter, context: ServerContext) async throws {
        try await body(requests, responses, context)
    }
}

/// The messages a peer sends on one stream, in order; ends when the peer half-closes.
///
/// Taking a message from the stream is what returns credit to the peer, so a handler that
/// stops reading stops the sender after one window: memory stays bounded.
public struct RequestStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    private let base: AsyncThrowingStream<[UInt8], any Error>
    private let onConsume: @Sendable () -> Void

    /// Creates a stream over `base`; `onConsume` runs after each message is taken.
    public init(_ base: AsyncThrowingStream<[UInt8], any Error>, onConsume: @escaping @Sendable () -> Void) {
        self.base = base
        self.onConsume = onConsume
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator
        let onConsume: @Sendable () -> Void

        public mutating func next() async throws -> [UInt8]? {
            let element = try await base.next()
            if element != nil { onConsume() }
            return element
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), onConsume: onConsume)
    }
}

/// Sends messages on one stream; `write` waits while the peer has granted no credit.
public struct ResponseWriter: Sendable {
    private let writeBody: @Sendable ([UInt8]) async throws -> Void

    /// Creates a writer from the transport's send function.
    public init(_ write: @escaping @Sendable ([UInt8]) async throws -> Void) {
        self.writeBody = write
    }

    /// Sends one message, suspending until the peer has credit for it.
    public func write(_ message: [UInt8]) async throws {
        try await writeBody(message)
    }
}

/// Runs one call on the server: reads requests, writes responses, returns or throws for the status.
public protocol ServerCallHandler: Sendable {
    /// Handles the call. Returning ends it with OK; throwing ends it with the error's status.
    func handle(requests: RequestStream, responses: ResponseWriter, context: ServerContext) async throws
}

public import SOMCodec
import SOMRPC
public import SOMTransport

/// An open streaming call with typed messages: send requests, read responses.
public struct TypedCall<Request: ProtoMessage, Response: ProtoMessage>: Sendable {
    /// The byte-level call underneath.
    public let call: ClientCall

    /// Wraps an open call.
    public init(_ call: ClientCall) { self.call = call }

    /// Sends one request, waiting while the server has granted no credit.
    public func send(_ request: Request) async throws { try await call.send(request.encoded()) }

    /// Tells the server no more requests follow.
    public func finishSending() { call.finishSending() }

    /// Abandons the call.
    public func cancel() { call.cancel() }

    /// The responses in order; the call's status ends the sequence (a non-OK status throws `RPCError`).
    public var responses: TypedResponses<Response> { TypedResponses(base: call.responses) }
}

/// Decoded responses of a call.
public struct TypedResponses<Response: ProtoMessage>: AsyncSequence, Sendable {
    public typealias Element = Response
    let base: RequestStream

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestStream.AsyncIterator

        public mutating func next() async throws -> Response? {
            guard let bytes = try await base.next() else { return nil }
            do { return try Response(decoding: bytes) } catch {
                throw RPCError(.internal, "cannot decode the \(Response.protoName) response: \(error)", cause: error)
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator()) }
}

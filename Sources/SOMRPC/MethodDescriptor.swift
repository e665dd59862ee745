/// The four call shapes of gRPC.
public enum CallShape: Sendable, Hashable {
    /// One request, one response.
    case unary
    /// One request, a stream of responses.
    case serverStreaming
    /// A stream of requests, one response.
    case clientStreaming
    /// Streams both ways.
    case bidirectional

    /// True when the client sends exactly one message.
    public var clientSendsOne: Bool { self == .unary || self == .serverStreaming }
    /// True when the server sends exactly one message before an OK status.
    public var serverSendsOne: Bool { self == .unary || self == .clientStreaming }
}

/// A method: its path on the wire, `/som.v1.Service/Method`, and its shape.
public struct MethodDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// The service, e.g. `som.v1.Orders`.
    public var service: String
    /// The method, e.g. `Submit`.
    public var method: String
    /// The call shape.
    public var shape: CallShape

    /// Creates a descriptor.
    public init(service: String, method: String, shape: CallShape) {
        self.service = service
        self.method = method
        self.shape = shape
    }

    /// The path carried in the call header.
    public var path: String { "/\(service)/\(method)" }

    public var description: String { path }
}

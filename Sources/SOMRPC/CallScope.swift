import Foundation

/// The call a piece of work belongs to, as a task-local: set around every handler by
/// `Router.scopingCalls()`, read by the log metadata provider so each log line a handler
/// writes names its request.
public struct CallScope: Sendable {
    /// The caller's `request-id` metadata when it sent one, else an id made for this call.
    public var requestID: String
    /// The method called.
    public var method: String
    /// The caller's uid.
    public var peerUID: UInt32

    /// The call being served by the current task, if any.
    @TaskLocal public static var current: CallScope?

    /// The metadata key a caller may set to carry its own request id through to the server's logs.
    public static let metadataKey = "request-id"

    init(_ context: ServerContext) {
        let given = context.metadata[Self.metadataKey].flatMap { $0.isEmpty || $0.utf8.count > 128 ? nil : $0 }
        requestID = given ?? Self.makeID()
        method = context.method.path
        peerUID = context.peer.uid
    }

    /// 16 hex digits: unique enough to find one call's lines in a day of logs.
    static func makeID() -> String {
        let value = UInt64.random(in: 0...UInt64.max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension Router {
    /// The same table with every handler run inside its call's `CallScope`.
    public func scopingCalls() -> Router {
        var scoped = self
        for (path, route) in routes {
            var wrapped = route
            wrapped.handler = ScopedHandler(base: route.handler)
            if let inline = route.inline {
                wrapped.inline = { bytes, context in
                    try CallScope.$current.withValue(CallScope(context)) { try inline(bytes, context) }
                }
            }
            scoped.routes[path] = wrapped
        }
        return scoped
    }
}

/// A handler run with its `CallScope` bound.
struct ScopedHandler: ServerCallHandler {
    let base: any ServerCallHandler

    func handle(requests: RequestStream, responses: ResponseWriter, context: ServerContext) async throws {
        try await CallScope.$current.withValue(CallScope(context)) {
            try await base.handle(requests: requests, responses: responses, context: context)
        }
    }
}

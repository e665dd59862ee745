/// An error a call ends with: a status code and a message for the caller, and an optional cause for the log.
public struct RPCError: Error, Sendable, CustomStringConvertible {
    /// The status code sent to the caller.
    public var code: RPCStatus.Code
    /// The message sent to the caller.
    public var message: String
    /// Machine-readable details sent with the status.
    public var details: [String: String]
    /// The underlying error; logged by the server, never sent.
    public var cause: (any Error)?

    /// Creates an error.
    public init(_ code: RPCStatus.Code, _ message: String, details: [String: String] = [:], cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.details = details
        self.cause = cause
    }

    /// Creates an error from a status received from the peer.
    public init(status: RPCStatus) {
        self.init(status.code, status.message, details: status.details)
    }

    /// The status this error is sent as.
    public var status: RPCStatus { RPCStatus(code: code, message: message, details: details) }

    public var description: String { status.description }
}

/// An error that knows which wire status it is. The server maps errors to statuses through this
/// protocol only; anything else goes out as `INTERNAL` with its cause logged.
public protocol RPCStatusConvertible: Error {
    /// The status the caller receives for this error.
    var rpcStatus: RPCStatus { get }
}

extension RPCError: RPCStatusConvertible {
    public var rpcStatus: RPCStatus { status }
}

extension RPCStatus {
    /// The status a call ends with when its handler throws `error`.
    ///
    /// Errors say their own status through `RPCStatusConvertible`; a cancelled task is
    /// CANCELLED; anything else is INTERNAL with a generic message (its cause is for the log only).
    public init(handlerError error: any Error) {
        if let convertible = error as? any RPCStatusConvertible {
            self = convertible.rpcStatus
        } else if error is CancellationError {
            self = RPCStatus(code: .cancelled, message: "the call was cancelled")
        } else {
            self = RPCStatus(code: .internal, message: "internal error")
        }
    }
}

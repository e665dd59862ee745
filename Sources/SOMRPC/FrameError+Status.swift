// Frame errors end a connection, but their GOAWAY code comes from the same mapping every other
// error uses, so a client author finds each code in one table (docs/protocol.md §9).
extension FrameError: RPCStatusConvertible {
    public var rpcStatus: RPCStatus {
        switch self {
        case .tooLarge: RPCStatus(code: .resourceExhausted, message: description)
        case .unsupportedVersion: RPCStatus(code: .unimplemented, message: description)
        default: RPCStatus(code: .invalidArgument, message: description)
        }
    }
}

extension StreamViolation: RPCStatusConvertible {
    public var rpcStatus: RPCStatus { status }
}

public import SOMOrchestration
public import SOMRPC
public import SOMStore

// The one place domain and storage errors become wire statuses; each case has exactly one code.

extension StoreError: RPCStatusConvertible {
    public var rpcStatus: RPCStatus {
        switch self {
        case .dataDirectoryInUse, .schemaTooNew, .cannotOpen, .damaged, .dataMissing, .closed:
            return RPCStatus(code: .unavailable, message: description)
        case .storageFull:
            return RPCStatus(code: .resourceExhausted, message: description)
        case .notFound:
            return RPCStatus(code: .notFound, message: description)
        case .idempotencyConflict(let existing):
            return RPCStatus(code: .alreadyExists, message: description, details: ["order_id": existing])
        case .alreadyExists:
            return RPCStatus(code: .alreadyExists, message: description)
        case .failedPrecondition:
            return RPCStatus(code: .failedPrecondition, message: description)
        case .invalidPageToken:
            return RPCStatus(code: .invalidArgument, message: description, details: ["field": "page_token"])
        case .belowRetentionFloor(_, let floor):
            return RPCStatus(code: .outOfRange, message: description, details: ["floor": String(floor)])
        case .storage:
            // The cause (liblmdb's words, paths) is in the server log; callers learn only that it failed.
            return RPCStatus(code: .internal, message: "storage error; the server log has the cause")
        }
    }
}

extension FieldViolation: RPCStatusConvertible {
    public var rpcStatus: RPCStatus {
        RPCStatus(code: .invalidArgument, message: description, details: ["field": field])
    }
}

extension CancelTargetError: RPCStatusConvertible {
    public var rpcStatus: RPCStatus {
        switch self {
        case .unknown(_, let field):
            return RPCStatus(code: .notFound, message: description, details: ["field": field])
        case .finished(let orderID, _, let field):
            return RPCStatus(code: .failedPrecondition, message: description, details: ["field": field, "order_id": orderID])
        }
    }
}

extension AccessDenied: RPCStatusConvertible {
    public var rpcStatus: RPCStatus {
        RPCStatus(code: .permissionDenied, message: description)
    }
}

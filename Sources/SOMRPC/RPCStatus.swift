/// How a call ended: a gRPC status code and a human message (the STATUS frame).
public struct RPCStatus: Sendable, Hashable, CustomStringConvertible {
    /// gRPC's status codes, with gRPC's numbers and meanings.
    public enum Code: UInt32, Sendable, Hashable, CaseIterable {
        case ok = 0
        case cancelled = 1
        case unknown = 2
        case invalidArgument = 3
        case deadlineExceeded = 4
        case notFound = 5
        case alreadyExists = 6
        case permissionDenied = 7
        case resourceExhausted = 8
        case failedPrecondition = 9
        case aborted = 10
        case outOfRange = 11
        case unimplemented = 12
        case `internal` = 13
        case unavailable = 14
        case dataLoss = 15
        case unauthenticated = 16

        /// The upper-case name gRPC uses, e.g. `DEADLINE_EXCEEDED`.
        public var name: String {
            switch self {
            case .ok: "OK"
            case .cancelled: "CANCELLED"
            case .unknown: "UNKNOWN"
            case .invalidArgument: "INVALID_ARGUMENT"
            case .deadlineExceeded: "DEADLINE_EXCEEDED"
            case .notFound: "NOT_FOUND"
            case .alreadyExists: "ALREADY_EXISTS"
            case .permissionDenied: "PERMISSION_DENIED"
            case .resourceExhausted: "RESOURCE_EXHAUSTED"
            case .failedPrecondition: "FAILED_PRECONDITION"
            case .aborted: "ABORTED"
            case .outOfRange: "OUT_OF_RANGE"
            case .unimplemented: "UNIMPLEMENTED"
            case .internal: "INTERNAL"
            case .unavailable: "UNAVAILABLE"
            case .dataLoss: "DATA_LOSS"
            case .unauthenticated: "UNAUTHENTICATED"
            }
        }

        /// Reads a wire number; numbers outside gRPC's table become `.unknown`, as gRPC specifies.
        public init(wireValue: UInt32) {
            self = Code(rawValue: wireValue) ?? .unknown
        }
    }

    /// The code.
    public var code: Code
    /// A message for people; never an internal error's cause.
    public var message: String
    /// Machine-readable details (e.g. `field` → the path of an invalid field).
    public var details: [String: String]

    /// Creates a status.
    public init(code: Code, message: String = "", details: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.details = details
    }

    /// The status of a successful call.
    public static let ok = RPCStatus(code: .ok)

    public var description: String {
        message.isEmpty ? code.name : "\(code.name): \(message)"
    }
}

/// Why bytes could not be decoded into a message.
public enum CodecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// protobuf-c rejected the bytes: truncated, a bad tag or wire type, or a length past the end.
    case malformed(message: String)
    /// The input is larger than the codec accepts.
    case tooLarge(size: Int, limit: Int)
    /// A string field is not valid UTF-8, as proto3 requires.
    case invalidUTF8(field: String)

    public var description: String {
        switch self {
        case .malformed(let message):
            "malformed \(message): protobuf-c could not unpack the bytes"
        case .tooLarge(let size, let limit):
            "message of \(size) bytes exceeds the \(limit)-byte limit"
        case .invalidUTF8(let field):
            "field \(field) is not valid UTF-8"
        }
    }
}

/// A violation of the framing rules; each closes the connection with a GOAWAY naming it.
public enum FrameError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The first bytes were not the `SOMRPC` magic.
    case badPreface
    /// The magic matched but the protocol major version is not one this side speaks.
    case unsupportedVersion(major: UInt8, minor: UInt8)
    /// The length prefix announced more than the receiver's maximum frame size.
    case tooLarge(length: Int, limit: Int)
    /// The type byte names no known frame type.
    case unknownType(UInt8)
    /// A frame that needs stream 0 came on another stream, or the reverse.
    case wrongStream(type: FrameType, streamID: UInt32)
    /// A payload that does not parse (e.g. a CREDIT frame that is not 4 bytes).
    case badPayload(type: FrameType, reason: String)
    /// A frame the peer may not send in this state (e.g. HEADERS reusing a stream id).
    case protocolViolation(String)

    public var description: String {
        switch self {
        case .badPreface: "bad connection preface: not a som RPC client (expected the 8 bytes 53 4F 4D 52 50 43 01 00: \"SOMRPC\", version 1.0)"
        case .unsupportedVersion(let major, let minor): "unsupported protocol version \(major).\(minor); this server speaks \(Preface.majorVersion).x"
        case .tooLarge(let length, let limit): "frame of \(length) bytes exceeds the maximum frame size \(limit)"
        case .unknownType(let type): "unknown frame type 0x\(String(type, radix: 16))"
        case .wrongStream(let type, let streamID): "\(type) frame not allowed on stream \(streamID)"
        case .badPayload(let type, let reason): "bad \(type) payload: \(reason)"
        case .protocolViolation(let reason): "protocol violation: \(reason)"
        }
    }
}

/// The kind of a frame: the fifth byte of every frame header (docs/protocol.md).
public enum FrameType: UInt8, Sendable, CaseIterable {
    /// Opens a stream (client → server); payload `som.v1.CallHeader`.
    case headers = 0x01
    /// One message of a stream, either direction; flag `endStream` half-closes after it.
    case message = 0x02
    /// Half-closes the sender's side of a stream without a message; empty payload.
    case end = 0x03
    /// Ends a call (server → client); payload `som.v1.CallStatus`.
    case status = 0x04
    /// Abandons a stream (client → server); empty payload. The server stops the handler and sends nothing more.
    case cancel = 0x05
    /// Grants the peer more messages on a stream; payload a 4-byte big-endian count.
    case credit = 0x06
    /// Liveness check on stream 0; 8 opaque bytes, echoed with flag `ack`.
    case ping = 0x07
    /// The sender is closing the connection; stream 0, payload `som.v1.GoAway`.
    case goAway = 0x08
    /// Connection parameters, once after the preface; stream 0, payload `som.v1.ConnectionSettings`.
    case settings = 0x09

    /// True for frames that belong to stream 0 (the connection itself).
    public var isConnectionLevel: Bool {
        switch self {
        case .ping, .goAway, .settings: true
        default: false
        }
    }
}

/// Flag bits, the sixth byte of a frame header.
public struct FrameFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// On `message`: the sender sends nothing more on this stream after this message.
    public static let endStream = FrameFlags(rawValue: 0x01)
    /// On `ping`: this is the reply.
    public static let ack = FrameFlags(rawValue: 0x01)
}

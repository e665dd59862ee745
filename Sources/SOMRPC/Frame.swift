public import NIOCore

/// One unit on the wire: a 10-byte header and a payload.
///
/// ```
///  0               1               2               3
///  0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7
/// +---------------------------------------------------------------+
/// |                  payload length (u32, big-endian)             |
/// +---------------+---------------+-------------------------------+
/// |  type (u8)    |  flags (u8)   |   stream id (u32, big-endian) |
/// +---------------+---------------+-------------------------------+
/// |  stream id (continued)        |   payload ...                 |
/// +-------------------------------+-------------------------------+
/// ```
public struct Frame: Sendable, Equatable {
    /// Bytes in the fixed header.
    public static let headerSize = 10

    /// The kind of frame.
    public var type: FrameType
    /// Flag bits; their meaning depends on `type`.
    public var flags: FrameFlags
    /// The stream the frame belongs to; 0 for connection-level frames.
    public var streamID: UInt32
    /// The payload bytes (a protobuf message for most types).
    public var payload: ByteBuffer

    /// Creates a frame.
    public init(type: FrameType, flags: FrameFlags = [], streamID: UInt32, payload: ByteBuffer = ByteBuffer()) {
        self.type = type
        self.flags = flags
        self.streamID = streamID
        self.payload = payload
    }
}

extension Frame: CustomStringConvertible {
    public var description: String {
        "\(type)(stream: \(streamID), flags: 0x\(String(flags.rawValue, radix: 16)), \(payload.readableBytes) bytes)"
    }
}

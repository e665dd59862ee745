public import NIOCore

/// Writes frames: the 10-byte header then the payload.
public enum FrameEncoder {
    /// Appends `frame` to `buffer`.
    public static func encode(_ frame: Frame, into buffer: inout ByteBuffer) {
        buffer.reserveCapacity(minimumWritableBytes: Frame.headerSize + frame.payload.readableBytes)
        buffer.writeInteger(UInt32(frame.payload.readableBytes), endianness: .big)
        buffer.writeInteger(frame.type.rawValue)
        buffer.writeInteger(frame.flags.rawValue)
        buffer.writeInteger(frame.streamID, endianness: .big)
        var payload = frame.payload
        buffer.writeBuffer(&payload)
    }

    /// Appends a frame whose payload is `bytes`, without building a `Frame` first (the hot path).
    public static func encode(type: FrameType, flags: FrameFlags = [], streamID: UInt32, payload bytes: [UInt8], into buffer: inout ByteBuffer) {
        buffer.reserveCapacity(minimumWritableBytes: Frame.headerSize + bytes.count)
        buffer.writeInteger(UInt32(bytes.count), endianness: .big)
        buffer.writeInteger(type.rawValue)
        buffer.writeInteger(flags.rawValue)
        buffer.writeInteger(streamID, endianness: .big)
        buffer.writeBytes(bytes)
    }
}

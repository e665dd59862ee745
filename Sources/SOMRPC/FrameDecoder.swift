public import NIOCore

/// Cuts frames out of a byte stream, incrementally.
///
/// The length prefix is checked against `maxFrameSize` as soon as the 10-byte header is
/// present, before any payload is buffered, so a peer announcing 2 GiB costs nothing.
public struct FrameDecoder: Sendable {
    /// The largest payload accepted.
    public var maxFrameSize: Int

    /// Creates a decoder with the receiver's limit.
    public init(maxFrameSize: Int) {
        self.maxFrameSize = maxFrameSize
    }

    /// Returns the next whole frame, or nil when more bytes are needed. Consumes only whole frames.
    ///
    /// - Throws: `FrameError.tooLarge` or `.unknownType`; the connection cannot continue after either.
    public mutating func next(from buffer: inout ByteBuffer) throws(FrameError) -> Frame? {
        guard buffer.readableBytes >= Frame.headerSize,
            let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self),
            let typeByte = buffer.getInteger(at: buffer.readerIndex + 4, as: UInt8.self),
            let flags = buffer.getInteger(at: buffer.readerIndex + 5, as: UInt8.self),
            let streamID = buffer.getInteger(at: buffer.readerIndex + 6, endianness: .big, as: UInt32.self)
        else { return nil }
        guard Int(length) <= maxFrameSize else { throw .tooLarge(length: Int(length), limit: maxFrameSize) }
        guard let type = FrameType(rawValue: typeByte) else { throw .unknownType(typeByte) }
        guard buffer.readableBytes >= Frame.headerSize + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: Frame.headerSize)
        let payload = buffer.readSlice(length: Int(length))!
        return Frame(type: type, flags: FrameFlags(rawValue: flags), streamID: streamID, payload: payload)
    }
}

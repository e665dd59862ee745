import NIOCore
public import SOMCodec

// Building and reading the control frames, whose payloads are fixed by docs/protocol.md.
extension Frame {
    /// A HEADERS frame opening `streamID`.
    public static func headers(streamID: UInt32, _ header: CallHeader) -> Frame {
        Frame(type: .headers, streamID: streamID, payload: ByteBuffer(bytes: header.encoded()))
    }

    /// A MESSAGE frame.
    public static func message(streamID: UInt32, _ bytes: [UInt8], endStream: Bool = false) -> Frame {
        Frame(type: .message, flags: endStream ? .endStream : [], streamID: streamID, payload: ByteBuffer(bytes: bytes))
    }

    /// A STATUS frame ending `streamID`.
    public static func status(streamID: UInt32, _ status: RPCStatus) -> Frame {
        Frame(type: .status, streamID: streamID, payload: ByteBuffer(bytes: status.callStatus.encoded()))
    }

    /// A CREDIT frame granting `count` messages on `streamID`.
    public static func credit(streamID: UInt32, _ count: UInt32) -> Frame {
        var payload = ByteBuffer()
        payload.writeInteger(count, endianness: .big)
        return Frame(type: .credit, streamID: streamID, payload: payload)
    }

    /// A GOAWAY frame.
    public static func goAway(lastStreamID: UInt32, code: RPCStatus.Code, reason: String) -> Frame {
        let message = GoAway(lastStreamID: lastStreamID, code: code.rawValue, reason: reason)
        return Frame(type: .goAway, streamID: 0, payload: ByteBuffer(bytes: message.encoded()))
    }

    /// A SETTINGS frame announcing `limits`.
    public static func settings(_ limits: ConnectionLimits, agent: String) -> Frame {
        let settings = ConnectionSettings(
            maxFrameSize: UInt32(limits.maxFrameSize),
            maxConcurrentStreams: UInt32(limits.maxConcurrentStreams),
            initialStreamCredit: UInt32(limits.initialStreamCredit),
            idleTimeoutMs: limits.idleTimeout.map { UInt32(clamping: $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) } ?? 0,
            agent: agent)
        return Frame(type: .settings, streamID: 0, payload: ByteBuffer(bytes: settings.encoded()))
    }

    /// A PING (or its ACK) carrying 8 opaque bytes.
    public static func ping(_ data: UInt64, ack: Bool = false) -> Frame {
        var payload = ByteBuffer()
        payload.writeInteger(data, endianness: .big)
        return Frame(type: .ping, flags: ack ? .ack : [], streamID: 0, payload: payload)
    }

    /// The payload decoded as a protobuf message of type `M`.
    public func decodePayload<M: ProtoMessage>(as type: M.Type) throws(FrameError) -> M {
        do {
            return try M(decoding: payload.readableBytesView)
        } catch {
            throw .badPayload(type: self.type, reason: error.description)
        }
    }

    /// The count of a CREDIT frame.
    public func decodeCredit() throws(FrameError) -> UInt32 {
        guard payload.readableBytes == 4, let count = payload.getInteger(at: payload.readerIndex, endianness: .big, as: UInt32.self), count > 0
        else { throw .badPayload(type: .credit, reason: "expected a 4-byte count above zero") }
        return count
    }

    /// The 8 bytes of a PING frame.
    public func decodePing() throws(FrameError) -> UInt64 {
        guard payload.readableBytes == 8, let data = payload.getInteger(at: payload.readerIndex, endianness: .big, as: UInt64.self)
        else { throw .badPayload(type: .ping, reason: "expected 8 bytes") }
        return data
    }
}

extension RPCStatus {
    /// The wire form.
    public var callStatus: CallStatus {
        CallStatus(
            code: code.rawValue, message: message,
            details: details.sorted { $0.key < $1.key }.map { MetadataEntry(key: $0.key, value: $0.value) })
    }

    /// Reads the wire form.
    public init(_ status: CallStatus) {
        var details: [String: String] = [:]
        for entry in status.details { details[entry.key] = entry.value }
        self.init(code: Code(wireValue: status.code), message: status.message, details: details)
    }
}

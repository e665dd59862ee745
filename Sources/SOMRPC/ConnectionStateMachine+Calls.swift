import NIOCore
public import SOMCodec

// Opening calls: HEADERS checked in the order of docs/protocol.md §7 (server), or written (client).
extension ConnectionStateMachine {
    mutating func openStream(_ frame: Frame) throws(FrameError) -> ConnectionEvent {
        let id = frame.streamID
        guard id % 2 == 1 else {
            throw .protocolViolation("HEADERS on stream \(id): clients open odd-numbered streams")
        }
        guard id > highestStreamID else {
            throw .protocolViolation("HEADERS reuses stream id \(id) (highest so far \(highestStreamID))")
        }
        highestStreamID = id
        guard state == .open else {
            return refuse(id, RPCStatus(code: .unavailable, message: "server is shutting down; retry on a new connection"))
        }
        guard frame.payload.readableBytes <= limits.maxHeaderSize else {
            return refuse(id, RPCStatus(
                code: .resourceExhausted, message: "call header of \(frame.payload.readableBytes) bytes exceeds \(limits.maxHeaderSize)"))
        }
        let header: CallHeader
        do { header = try frame.decodePayload(as: CallHeader.self) } catch {
            return refuse(id, RPCStatus(code: .invalidArgument, message: "\(error)"))
        }
        guard streams.count < limits.maxConcurrentStreams else {
            return refuse(id, RPCStatus(
                code: .resourceExhausted, message: "too many concurrent calls on this connection (limit \(limits.maxConcurrentStreams))"))
        }
        guard let route = router.route(for: header.method) else {
            return refuse(id, RPCStatus(code: .unimplemented, message: "unknown method \(header.method)"))
        }
        // The one place a call is authorized: a refused call never reaches a handler.
        if let authorize, let refusal = authorize(route.descriptor) {
            return refuse(id, RPCStatus(code: .permissionDenied, message: refusal))
        }
        streams[id] = StreamStateMachine(
            shape: route.descriptor.shape, role: .server, inboundWindow: limits.initialStreamCredit, outboundWindow: peerInitialCredit)
        return .callOpened(streamID: id, header: header, route: route)
    }

    private mutating func refuse(_ id: UInt32, _ status: RPCStatus) -> ConnectionEvent {
        writeStatus(streamID: id, status)
        return .callRefused(streamID: id, status: status)
    }

    /// Client: opens a stream, writing its HEADERS and, if given, its first message (a unary call
    /// is then one write).
    /// - Returns: the new stream's id.
    /// - Throws: UNAVAILABLE when the connection takes no new calls; RESOURCE_EXHAUSTED when the
    ///   first message is larger than the server accepts (nothing is written then).
    public mutating func openStream(
        _ header: CallHeader, shape: CallShape, firstMessage: [UInt8]? = nil, endStream: Bool = false
    ) throws(RPCError) -> UInt32 {
        precondition(role == .client, "only clients open streams")
        if let refusal { throw refusal }
        guard state != .closed else { throw RPCError(.unavailable, "connection to the server closed") }
        if let firstMessage, let error = tooLarge(firstMessage.count) { throw error }
        let id = highestStreamID == 0 ? 1 : highestStreamID + 2
        highestStreamID = id
        streams[id] = StreamStateMachine(
            shape: shape, role: .client, inboundWindow: limits.initialStreamCredit, outboundWindow: peerInitialCredit)
        write(.headers(streamID: id, header))
        if let firstMessage {
            // Every stream starts with at least one credit, and a new stream accepts a message.
            _ = sendMessage(streamID: id, firstMessage, endStream: endStream)
        }
        return id
    }

    /// The error for a message of `size` bytes the peer would not accept, if it is too large.
    func tooLarge(_ size: Int) -> RPCError? {
        guard size > peerMaxFrameSize else { return nil }
        let (what, peer) = role == .server ? ("response", "client") : ("message", "server")
        return RPCError(.resourceExhausted, "\(what) of \(size) bytes exceeds the \(peer)'s maximum frame size \(peerMaxFrameSize)")
    }
}

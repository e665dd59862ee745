import NIOCore
import SOMCodec

// One frame read: the rules of docs/protocol.md §3, §4 and §9 for each frame type and side.
extension ConnectionStateMachine {
    mutating func handle(_ frame: Frame) throws(FrameError) -> ConnectionEvent {
        if frame.type.isConnectionLevel {
            guard frame.streamID == 0 else { throw .wrongStream(type: frame.type, streamID: frame.streamID) }
        } else if frame.streamID == 0 {
            throw .wrongStream(type: frame.type, streamID: 0)
        }
        switch frame.type {
        case .settings:
            return try receiveSettings(frame)
        case .ping:
            let data = try frame.decodePing()
            if !frame.flags.contains(.ack) { write(.ping(data, ack: true)) }
            return .handled
        case .goAway:
            return try receiveGoAway(frame)
        case .headers:
            guard role == .server else { throw .protocolViolation("servers do not send HEADERS frames") }
            return try openStream(frame)
        case .status:
            guard role == .client else { throw .protocolViolation("clients do not send STATUS frames") }
            return try receiveStatus(frame)
        case .end, .cancel:
            guard role == .server else { throw .protocolViolation("servers do not send \(frame.type) frames") }
            return try receiveStreamFrame(frame)
        case .message, .credit:
            return try receiveStreamFrame(frame)
        }
    }

    private mutating func receiveSettings(_ frame: Frame) throws(FrameError) -> ConnectionEvent {
        let settings = try frame.decodePayload(as: ConnectionSettings.self)
        if settings.initialStreamCredit > 0 {
            // Capped: the credit is how far this side may run ahead of a peer that does not read.
            peerInitialCredit = min(Int(settings.initialStreamCredit), ConnectionLimits.maxInitialStreamCredit)
        }
        if settings.maxFrameSize > 0 {
            guard settings.maxFrameSize >= ConnectionLimits.minFrameSize else {
                throw .protocolViolation("max_frame_size \(settings.maxFrameSize) is below the minimum \(ConnectionLimits.minFrameSize)")
            }
            peerMaxFrameSize = Int(settings.maxFrameSize)
        }
        guard !handshakeComplete else { return .handled }
        handshakeComplete = true
        return .handshakeComplete
    }

    private mutating func receiveGoAway(_ frame: Frame) throws(FrameError) -> ConnectionEvent {
        guard role == .client else {
            // The client's reason is not read: it is going away, whatever it says.
            beginDraining(code: .ok, reason: "client is going away")
            return .handled
        }
        let away = try frame.decodePayload(as: GoAway.self)
        let code = RPCStatus.Code(wireValue: away.code)
        let error = RPCError(code == .ok ? .unavailable : code, "server closed the connection: \(away.reason)")
        refusal = error
        // Streams above last_stream_id were never seen by the server and may be retried.
        let refused = streams.keys.filter { $0 > away.lastStreamID }.sorted()
        for id in refused { streams[id] = nil }
        return refused.isEmpty ? .handled : .streamsRefused(refused, error: error)
    }

    private mutating func receiveStatus(_ frame: Frame) throws(FrameError) -> ConnectionEvent {
        guard streams[frame.streamID] != nil else { return .handled }
        let status = RPCStatus(try frame.decodePayload(as: CallStatus.self))
        streams[frame.streamID] = nil
        return .streamClosed(streamID: frame.streamID, error: status.code == .ok ? nil : RPCError(status: status))
    }

    /// MESSAGE, END, CANCEL or CREDIT.
    private mutating func receiveStreamFrame(_ frame: Frame) throws(FrameError) -> ConnectionEvent {
        let id = frame.streamID
        guard streams[id] != nil else {
            // Frames racing a stream's end are expected; a stream never opened is a broken client.
            // The client ignores every frame for a stream it does not have.
            if role == .server, id > highestStreamID {
                throw .protocolViolation("\(frame.type) frame for stream \(id), which was never opened")
            }
            return .handled
        }
        switch frame.type {
        case .message:
            let endStream = frame.flags.contains(.endStream)
            do { try streams[id]!.receiveMessage(endStream: endStream) } catch { return streamViolation(id, error) }
            return .message(streamID: id, payload: frame.payload, endStream: endStream)
        case .end:
            do { try streams[id]!.receiveEnd() } catch { return streamViolation(id, error) }
            return .inboundEnded(streamID: id)
        case .cancel:
            streams[id] = nil
            closeIfDrained()
            return .streamClosed(streamID: id, error: RPCError(.cancelled, "cancelled by the client"))
        default:
            let count = Int(try frame.decodeCredit())
            do { try streams[id]!.receiveCredit(count) } catch {
                // The client treats any broken rule of the server as fatal (§9).
                guard role == .server else { throw .protocolViolation("\(error)") }
                return streamViolation(id, error)
            }
            return .creditGranted(streamID: id, count: count)
        }
    }

    /// The peer broke a stream rule: the server ends the stream with the rule's STATUS; the client
    /// cancels it and fails the call with INTERNAL. The connection lives on.
    private mutating func streamViolation(_ id: UInt32, _ violation: StreamViolation) -> ConnectionEvent {
        streams[id] = nil
        switch role {
        case .server:
            let status = violation.rpcStatus
            writeStatus(streamID: id, status)
            closeIfDrained()
            return .streamClosed(streamID: id, error: RPCError(status: status))
        case .client:
            write(Frame(type: .cancel, streamID: id))
            return .streamClosed(streamID: id, error: RPCError(.internal, "server broke the stream rules: \(violation)"))
        }
    }

    /// A connection error: the server says GOAWAY with the error's status; the client just closes.
    mutating func connectionError(_ error: FrameError) -> ConnectionEvent {
        let failure: RPCError
        switch role {
        case .server:
            let status = error.rpcStatus
            writeGoAway(code: status.code, reason: status.message)
            failure = RPCError(.unavailable, "connection closed: \(status.message)")
        case .client:
            failure = RPCError(.unavailable, "protocol error from the server: \(error)")
            refusal = failure
        }
        state = .closed
        streams.removeAll()
        return .connectionClosed(error: failure)
    }
}

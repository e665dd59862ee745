import NIOCore
import SOMCodec

// What the local side does on an open stream: send, consume, finish, cancel, time out.
extension ConnectionStateMachine {
    /// The outcome of `sendMessage`.
    public enum SendOutcome: Sendable {
        /// The MESSAGE frame is in the outbound bytes; one credit was spent.
        case sent
        /// No credit: keep the message and try again after `creditGranted`.
        case waitForCredit
        /// The message cannot be sent on this stream (too large, or the stream rules forbid it);
        /// the stream stays open, the caller decides what ends.
        case refused(RPCError)
        /// The stream is not open (ended, cancelled, or the connection closed).
        case streamClosed
    }

    /// Sends one message on an open stream if the peer's credit allows.
    public mutating func sendMessage(streamID id: UInt32, _ bytes: [UInt8], endStream: Bool = false) -> SendOutcome {
        guard state != .closed else { return .streamClosed }
        if let error = tooLarge(bytes.count) { return streams[id] == nil ? .streamClosed : .refused(error) }
        let permission: StreamStateMachine.SendPermission?
        do {
            permission = try streams[id]?.requestSend()  // one lookup on the hot path
        } catch {
            // A server handler that writes twice on a unary call is a bug (INTERNAL); a client
            // caller doing it misused the call (INVALID_ARGUMENT).
            return .refused(RPCError(role == .server ? .internal : .invalidArgument, "\(error)", cause: error))
        }
        switch permission {
        case nil: return .streamClosed
        case .waitForCredit: return .waitForCredit
        case .granted:
            FrameEncoder.encode(type: .message, flags: endStream ? .endStream : [], streamID: id, payload: bytes, into: &outbound)
            if endStream { streams[id]?.closeOutbound() }
            return .sent
        }
    }

    /// The local reader took `count` messages; returns credit in half-window batches (§5).
    public mutating func consumed(streamID id: UInt32, count: Int) {
        guard streams[id] != nil, let granted = streams[id]!.consumeInbound(count, window: limits.initialStreamCredit) else { return }
        write(.credit(streamID: id, UInt32(granted)))
    }

    /// Server: ends a call with STATUS; with `response` (a single-response call's message, kept by
    /// the handler until it returned) the MESSAGE goes first, in the same write.
    /// - Returns: whether the stream was open (false: it ended already, e.g. cancelled).
    @discardableResult
    public mutating func finishCall(streamID id: UInt32, response: [UInt8]? = nil, status: RPCStatus) -> Bool {
        precondition(role == .server, "only servers send STATUS")
        guard state != .closed, streams[id] != nil else { return false }
        var status = status
        if let response, status.code == .ok {
            switch sendMessage(streamID: id, response) {
            case .sent: break
            case .refused(let error): status = error.status
            // Every client grants at least one message of credit per stream, which is all one response needs.
            case .waitForCredit: status = RPCStatus(code: .internal, message: "the client granted no credit for the response")
            case .streamClosed: return false
            }
        }
        streams[id] = nil
        writeStatus(streamID: id, status)
        closeIfDrained()
        return true
    }

    /// Client: no more messages on the stream (an END frame). The caller sends queued messages first.
    public mutating func finishSending(streamID id: UInt32) {
        guard state != .closed, streams[id]?.outboundOpen == true else { return }
        streams[id]!.closeOutbound()
        write(Frame(type: .end, streamID: id))
    }

    /// Client: abandons a stream (a CANCEL frame). Returns whether it was open.
    @discardableResult
    public mutating func cancel(streamID id: UInt32) -> Bool {
        precondition(role == .client, "only clients cancel")
        guard state != .closed, streams.removeValue(forKey: id) != nil else { return false }
        write(Frame(type: .cancel, streamID: id))
        return true
    }

    /// This side ends an open stream with `error`: the server answers STATUS with its status; the
    /// client cancels (the server's work is wasted now). Returns whether the stream was open.
    @discardableResult
    public mutating func endStream(streamID id: UInt32, error: RPCError) -> Bool {
        switch role {
        case .server: finishCall(streamID: id, status: error.status)
        case .client: cancel(streamID: id)
        }
    }

    /// A stream's deadline passed (`timeout` after it opened); both sides end it (§6).
    /// - Returns: the error to end the stream with, or nil when it had ended already.
    public mutating func deadlineExpired(streamID id: UInt32, timeout: Duration) -> RPCError? {
        let error = RPCError(.deadlineExceeded, "deadline of \(timeout) exceeded")
        return endStream(streamID: id, error: error) ? error : nil
    }

    /// Client: a PING; the server answers with an ACK.
    public mutating func ping(_ data: UInt64) {
        guard state != .closed else { return }
        write(.ping(data))
    }
}

// The end of a connection: GOAWAY and drain, time-outs, close (docs/protocol.md §6).
extension ConnectionStateMachine {
    /// Server: GOAWAY; no new calls (they get UNAVAILABLE); the connection closes when its last
    /// stream ends, at once if none is open.
    public mutating func beginDraining(code: RPCStatus.Code, reason: String) {
        guard role == .server, state == .open || state == .awaitingPreface else { return }
        state = .draining
        writeGoAway(code: code, reason: reason)
        closeIfDrained()
    }

    mutating func closeIfDrained() {
        if state == .draining, streams.isEmpty { state = .closed }
    }

    /// Server: GOAWAY and close without waiting for calls (they are stopped, without STATUS).
    /// - Returns: the error the open streams end with, or nil when the connection was closed already.
    public mutating func closeNow(code: RPCStatus.Code, reason: String) -> RPCError? {
        guard role == .server, state != .closed else { return nil }
        writeGoAway(code: code, reason: reason)
        state = .closed
        streams.removeAll()
        return RPCError(.unavailable, "connection closed: \(reason)")
    }

    /// Server: the handshake timer fired (`timeout` after the connection was accepted).
    /// - Returns: the error for open streams when the connection closes now, else nil.
    public mutating func handshakeTimedOut(after timeout: Duration) -> RPCError? {
        guard !handshakeComplete else { return nil }
        return closeNow(code: .deadlineExceeded, reason: "no preface and SETTINGS within \(timeout) of connecting")
    }

    /// Server: nothing was read or written for the idle time-out. Only a connection without open
    /// streams goes (GOAWAY OK); a long call is not idleness.
    public mutating func idleTimeoutFired() {
        guard streams.isEmpty else { return }
        beginDraining(code: .ok, reason: "idle timeout")
    }

    /// The channel closed: nothing more is read or written; every open stream is gone.
    public mutating func connectionClosed() {
        state = .closed
        streams.removeAll()
        if role == .client, refusal == nil { refusal = RPCError(.unavailable, "connection to the server closed") }
    }
}

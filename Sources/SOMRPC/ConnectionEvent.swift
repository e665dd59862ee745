public import NIOCore
public import SOMCodec

/// What reading one frame (or the preface) means for the transport, from
/// `ConnectionStateMachine.nextEvent()`. Frames the machine answers itself (PING, SETTINGS,
/// refused HEADERS, stream-rule STATUS) are already in its outbound bytes when this comes back.
public enum ConnectionEvent: Sendable {
    /// Nothing for the transport to do beyond writing the machine's outbound bytes.
    case handled
    /// The peer's preface and first SETTINGS are in (the server cancels its handshake timer).
    case handshakeComplete
    /// Server: a call passed every check of docs/protocol.md §7 and is open; start its handler.
    case callOpened(streamID: UInt32, header: CallHeader, route: Router.Route)
    /// Server: a call was answered with STATUS on its HEADERS alone and never opened.
    case callRefused(streamID: UInt32, status: RPCStatus)
    /// A message for an open stream; with `endStream` the peer sends no more.
    case message(streamID: UInt32, payload: ByteBuffer, endStream: Bool)
    /// Server: the client half-closed with END.
    case inboundEnded(streamID: UInt32)
    /// The peer granted `count` more messages on the stream: send what waits.
    case creditGranted(streamID: UInt32, count: Int)
    /// The stream is over and gone from the table. Client: nil is an OK STATUS, else the error the
    /// call fails with. Server: the handler is stopped with `error` (no STATUS follows one sent already).
    case streamClosed(streamID: UInt32, error: RPCError?)
    /// Client: a GOAWAY named these streams as never seen by the server; they fail with `error`.
    case streamsRefused([UInt32], error: RPCError)
    /// The connection is over (a GOAWAY, if any, is in the outbound bytes): close the channel,
    /// fail or stop every stream with `error`.
    case connectionClosed(error: RPCError)
}

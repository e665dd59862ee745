import NIOCore
import SOMRPC

/// Answers a connection the server will not serve: its preface and a GOAWAY saying why, then
/// close. It acts once the channel is active (writes before that are never flushed).
final class RefusalHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let code: RPCStatus.Code
    private let reason: String
    private var done = false

    init(code: RPCStatus.Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        refuse(context)
        context.fireChannelActive()
    }

    /// Whatever the client sends is not read.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    private func refuse(_ context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        var out = context.channel.allocator.buffer(capacity: 80)
        out.writeBytes(Preface.bytes)
        // The client's SETTINGS are never read, so the default max_frame_size applies (the reason is short).
        FrameEncoder.encode(.goAway(lastStreamID: 0, code: code, reason: reason), into: &out)
        // Closed whether or not the write succeeds: the descriptor must not outlive the refusal.
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(out)).whenComplete { _ in channel.close(promise: nil) }
    }
}

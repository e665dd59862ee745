import SOMRPC
import Testing

@Suite("Stream rules for the four call shapes", .timeLimit(.minutes(1)))
struct StreamStateMachineTests {
    func server(_ shape: CallShape, window: Int = 4) -> StreamStateMachine {
        StreamStateMachine(shape: shape, role: .server, inboundWindow: window, outboundWindow: window)
    }

    @Test("unary: one request, one response; a second request is refused")
    func unary() throws {
        var stream = server(.unary)
        try stream.receiveMessage(endStream: true)
        #expect(!stream.inboundOpen)
        #expect(try stream.requestSend() == .granted)
        #expect(throws: StreamViolation.tooManyMessages(.unary)) { try stream.requestSend() }
        stream.closeOutbound()
        #expect(stream.isClosed)

        var twice = server(.unary)
        try twice.receiveMessage(endStream: false)
        #expect(throws: StreamViolation.tooManyMessages(.unary)) { try twice.receiveMessage(endStream: true) }
    }

    @Test("unary half-closed without its request is refused")
    func unaryMissingRequest() {
        var stream = server(.unary)
        #expect(throws: StreamViolation.missingMessage(.unary)) { try stream.receiveEnd() }
    }

    @Test("server streaming: many responses, bounded by credit")
    func serverStreaming() throws {
        var stream = server(.serverStreaming, window: 2)
        try stream.receiveMessage(endStream: true)
        #expect(try stream.requestSend() == .granted)
        #expect(try stream.requestSend() == .granted)
        #expect(try stream.requestSend() == .waitForCredit)
        try stream.receiveCredit(1)
        #expect(try stream.requestSend() == .granted)
        #expect(stream.sent == 3)
    }

    @Test("client streaming and bidirectional: the peer is held to its credit")
    func inboundCredit() throws {
        for shape in [CallShape.clientStreaming, .bidirectional] {
            var stream = server(shape, window: 2)
            try stream.receiveMessage(endStream: false)
            try stream.receiveMessage(endStream: false)
            #expect(throws: StreamViolation.creditExceeded) { try stream.receiveMessage(endStream: false) }
            stream.grantInbound(1)
            try stream.receiveMessage(endStream: false)
            try stream.receiveEnd()
            #expect(throws: StreamViolation.messageAfterEnd) { try stream.receiveMessage(endStream: false) }
        }
    }

    @Test("client side mirrors the server: a unary client sends one message")
    func clientRole() throws {
        var stream = StreamStateMachine(shape: .unary, role: .client, inboundWindow: 4, outboundWindow: 4)
        #expect(try stream.requestSend() == .granted)
        #expect(throws: StreamViolation.tooManyMessages(.unary)) { try stream.requestSend() }
        try stream.receiveMessage(endStream: false)
        #expect(throws: StreamViolation.tooManyMessages(.unary)) { try stream.receiveMessage(endStream: false) }
    }

    @Test("consumed messages return credit in half-window batches")
    func creditBatches() throws {
        var stream = server(.clientStreaming, window: 4)
        try stream.receiveMessage(endStream: false)
        try stream.receiveMessage(endStream: false)
        #expect(stream.consumeInbound(window: 4) == nil)
        #expect(stream.consumeInbound(window: 4) == 2)
        #expect(stream.inboundCredit == 4)
        try stream.receiveEnd()
        #expect(stream.consumeInbound(window: 4) == nil)  // nothing to grant once the peer is done
    }

    @Test("violations map to statuses")
    func violationStatuses() {
        #expect(StreamViolation.creditExceeded.status.code == .resourceExhausted)
        #expect(StreamViolation.tooManyMessages(.unary).status.code == .invalidArgument)
        #expect(throws: StreamViolation.badCredit(0)) {
            var stream = server(.bidirectional)
            try stream.receiveCredit(0)
        }
    }
}

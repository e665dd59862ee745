import NIOCore
import SOMRPC

/// One stream's messages waiting for the peer's credit, in order, each with the promise its writer
/// awaits (nil when nobody waits: the gate already counted it). Client and server streams share it.
struct Outbox {
    struct Entry {
        var bytes: [UInt8]
        var endStream: Bool
        var promise: EventLoopPromise<Void>?
    }

    private var entries: [Entry] = []

    var isEmpty: Bool { entries.isEmpty }

    mutating func append(_ bytes: [UInt8], endStream: Bool = false, promise: EventLoopPromise<Void>?) {
        entries.append(Entry(bytes: bytes, endStream: endStream, promise: promise))
    }

    /// Ends the request side with the last queued message instead of a separate END frame.
    mutating func endWithLast() {
        guard !entries.isEmpty else { return }
        entries[entries.count - 1].endStream = true
    }

    /// Sends what the credit allows, in order, while `canWrite()` holds (the channel is writable):
    /// each message becomes a MESSAGE frame handed to `write`. A message the state machine refuses
    /// fails its promise with `refusal(error)`. `removed` hears the size of each message that leaves.
    /// - Returns: whether anything was written (the caller then owes a flush).
    mutating func drain(
        streamID: UInt32, machine: inout StreamStateMachine, allocator: ByteBufferAllocator,
        canWrite: () -> Bool = { true }, removed: (Int) -> Void = { _ in },
        refusal: (any Error) -> RPCError, write: (ByteBuffer) -> Void
    ) -> Bool {
        var wrote = false
        while let next = entries.first, canWrite() {
            let permission: StreamStateMachine.SendPermission
            do { permission = try machine.requestSend() } catch {
                entries.removeFirst()
                removed(next.bytes.count)
                next.promise?.fail(refusal(error))
                continue
            }
            guard permission == .granted else { break }
            entries.removeFirst()
            removed(next.bytes.count)
            var out = allocator.buffer(capacity: Frame.headerSize + next.bytes.count)
            FrameEncoder.encode(type: .message, flags: next.endStream ? .endStream : [], streamID: streamID, payload: next.bytes, into: &out)
            if next.endStream { machine.closeOutbound() }
            write(out)
            wrote = true
            next.promise?.succeed()
        }
        return wrote
    }

    /// Fails every waiting writer; the stream is over. `removed` hears the size of each message dropped.
    mutating func failAll(_ error: any Error, removed: (Int) -> Void = { _ in }) {
        for entry in entries {
            removed(entry.bytes.count)
            entry.promise?.fail(error)
        }
        entries.removeAll()
    }
}

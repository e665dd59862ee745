import NIOCore
import SOMRPC

/// One stream's messages waiting for the peer's credit or the channel's writability, in order,
/// each with the promise its writer awaits (nil when nobody waits: the gate already counted it).
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

    /// Hands messages to `send` in order while `canWrite()` holds and `send` takes them. A message
    /// `send` refuses fails its writer; one nobody waits for is returned instead, for the caller
    /// to end the stream with. `removed` hears, once, the bytes of the messages that left.
    mutating func drain(
        canWrite: () -> Bool, removed: (Int) -> Void,
        send: ([UInt8], Bool) -> ConnectionStateMachine.SendOutcome
    ) -> RPCError? {
        var sent = 0
        var bytes = 0
        defer {
            entries.removeFirst(sent)
            removed(bytes)
        }
        while sent < entries.count, canWrite() {
            let next = entries[sent]
            let outcome = send(next.bytes, next.endStream)
            switch outcome {
            case .waitForCredit:
                return nil
            case .sent:
                sent += 1
                bytes += next.bytes.count
                next.promise?.succeed()
            case .refused(let error):
                sent += 1
                bytes += next.bytes.count
                guard let promise = next.promise else { return error }
                promise.fail(error)
            case .streamClosed:
                sent += 1
                bytes += next.bytes.count
                next.promise?.fail(RPCError(.cancelled, "the call has ended"))
            }
        }
        return nil
    }

    /// Fails every waiting writer; the stream is over. `removed` hears the size of each message dropped.
    mutating func failAll(_ error: any Error, removed: (Int) -> Void) {
        for entry in entries {
            removed(entry.bytes.count)
            entry.promise?.fail(error)
        }
        entries.removeAll()
    }
}

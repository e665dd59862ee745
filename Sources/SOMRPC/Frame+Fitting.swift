import NIOCore
import SOMCodec

// A peer that announces a small `max_frame_size` must never receive a larger frame, not even a
// STATUS or GOAWAY whose text the server wrote: the text gives way, the code never does.
extension Frame {
    /// A STATUS frame whose payload fits in `maxPayload` bytes: details go first, then the message
    /// is cut (on a character boundary).
    public static func status(streamID: UInt32, _ status: RPCStatus, fitting maxPayload: Int) -> Frame {
        var wire = status.callStatus
        var bytes = wire.encoded()
        if bytes.count > maxPayload, !wire.details.isEmpty {
            wire.details = []
            bytes = wire.encoded()
        }
        while bytes.count > maxPayload, !wire.message.isEmpty {
            wire.message = wire.message.truncatedUTF8(dropping: bytes.count - maxPayload)
            bytes = wire.encoded()
        }
        return Frame(type: .status, streamID: streamID, payload: ByteBuffer(bytes: bytes))
    }

    /// A GOAWAY frame whose payload fits in `maxPayload` bytes: the reason is cut to fit.
    public static func goAway(lastStreamID: UInt32, code: RPCStatus.Code, reason: String, fitting maxPayload: Int) -> Frame {
        var wire = GoAway(lastStreamID: lastStreamID, code: code.rawValue, reason: reason)
        var bytes = wire.encoded()
        while bytes.count > maxPayload, !wire.reason.isEmpty {
            wire.reason = wire.reason.truncatedUTF8(dropping: bytes.count - maxPayload)
            bytes = wire.encoded()
        }
        return Frame(type: .goAway, streamID: 0, payload: ByteBuffer(bytes: bytes))
    }
}

extension String {
    /// The longest prefix at least `count` UTF-8 bytes shorter, cut between characters.
    func truncatedUTF8(dropping count: Int) -> String {
        let limit = max(0, utf8.count - count)
        var used = 0
        var end = startIndex
        for index in indices {
            let size = self[index].utf8.count
            guard used + size <= limit else { break }
            used += size
            end = self.index(after: index)
        }
        return String(self[..<end])
    }
}

import Synchronization

/// Running totals of an upload.
struct UploadCounts: Sendable {
    /// Records read from the file (blank and comment lines not counted).
    var records = 0
    /// Records sent to the server.
    var sent = 0
    var accepted = 0
    var duplicates = 0
    /// Refused by the server or, before sending, by parsing.
    var rejected = 0
    var rejectedLocally = 0
    var bytesRead: Int64 = 0

    /// Records whose fate is known.
    var settled: Int { accepted + duplicates + rejected }
}

/// What the sending side and the answer-reading side of an upload share: the totals, the lines of
/// each chunk still awaiting its answer (so a rejection maps back to its line), and the rejects file.
final class UploadLedger: Sendable {
    /// One sent record's place in the input, kept until the server answers for it.
    struct SentLine: Sendable {
        let number: Int
        let text: [UInt8]
    }

    private struct State {
        var counts = UploadCounts()
        var awaiting: [UInt64: [SentLine]] = [:]
        var rejects: RejectsFile
        var failure: (any Error)?
    }

    private let state: Mutex<State>

    init(rejects: RejectsFile) {
        state = Mutex(State(rejects: rejects))
    }

    var counts: UploadCounts { state.withLock { $0.counts } }

    /// Chunks sent whose answer has not come.
    var unanswered: Int { state.withLock { $0.awaiting.count } }

    /// The first failure of the answer side, which the sending side reports instead of its own.
    var failure: (any Error)? { state.withLock { $0.failure } }

    var rejectsPath: String { state.withLock { $0.rejects.path } }

    func noteRead(bytes: Int64) {
        state.withLock {
            $0.counts.records += 1
            $0.counts.bytesRead = bytes
        }
    }

    func rejectLocally(line: Int, text: [UInt8], error: RecordError) throws {
        try state.withLock { state throws in
            state.counts.rejected += 1
            state.counts.rejectedLocally += 1
            try state.rejects.add(line: line, field: error.field, reason: error.reason, input: text)
        }
    }

    /// Called before the chunk goes out, so its answer always finds its lines.
    func sending(chunkID: UInt64, lines: [SentLine]) {
        state.withLock {
            $0.awaiting[chunkID] = lines
            $0.counts.sent += lines.count
        }
    }

    func settle(_ answer: ChunkAnswer) throws {
        try state.withLock { state throws in
            guard let lines = state.awaiting.removeValue(forKey: answer.chunkID) else {
                throw CLIError("the server answered chunk \(answer.chunkID), which was not sent or was answered before")
            }
            guard answer.items.count == lines.count else {
                throw CLIError("the server answered \(answer.items.count) items for chunk \(answer.chunkID) of \(lines.count)")
            }
            for (index, outcome) in answer.items {
                guard lines.indices.contains(index) else { throw CLIError("the server answered for item \(index) of chunk \(answer.chunkID), which has \(lines.count)") }
                switch outcome {
                case .accepted: state.counts.accepted += 1
                case .duplicate: state.counts.duplicates += 1
                case .rejected(let field, let reason):
                    state.counts.rejected += 1
                    try state.rejects.add(line: lines[index].number, field: field, reason: reason, input: lines[index].text)
                }
            }
        }
    }

    func recordFailure(_ error: any Error) {
        state.withLock { if $0.failure == nil { $0.failure = error } }
    }

    func closeRejects() throws {
        try state.withLock { state throws in try state.rejects.close() }
    }
}

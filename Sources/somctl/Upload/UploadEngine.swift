import SOMClient
import SOMCodec

/// Streams a file's records to the server over one bidirectional call: this task reads, parses and
/// sends chunks as fast as the call's credit allows, while a child task reads the answers.
///
/// Memory stays bounded without a limit of our own: the server stops taking chunks when too many
/// await their commit, its credit then stops our sends, and so at most about a credit window of
/// chunks is ever waiting in the ledger.
struct UploadEngine<Target: UploadTarget> {
    let target: Target
    let chunkSize: Int
    /// Far below the 4 MiB frame limit, whatever the records' size.
    static var maxChunkBytes: Int { 1 << 20 }

    func run(_ source: inout RecordSource<Target.Record>, client: SOMClient, ledger: UploadLedger) async throws {
        let call = try await target.open(client)
        let target = self.target
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await result in call.responses { try ledger.settle(target.answer(result)) }
                } catch {
                    ledger.recordFailure(error)
                    call.cancel()
                    throw error
                }
            }
            do {
                try await send(&source, call: call, ledger: ledger)
                call.finishSending()
            } catch {
                call.cancel()
                throw ledger.failure ?? error
            }
            try await group.waitForAll()
        }
        let unanswered = ledger.unanswered
        if unanswered > 0 { throw CLIError("the server ended the upload with \(unanswered) chunks unanswered") }
    }

    private func send(
        _ source: inout RecordSource<Target.Record>, call: TypedCall<Target.Chunk, Target.ChunkResult>, ledger: UploadLedger
    ) async throws {
        var records: [Target.Record] = []
        var lines: [UploadLedger.SentLine] = []
        var bytes = 0
        var chunkID: UInt64 = 0

        func flush() async throws {
            guard !records.isEmpty else { return }
            if let failure = ledger.failure { throw failure }
            chunkID += 1
            ledger.sending(chunkID: chunkID, lines: lines)
            try await call.send(target.chunk(id: chunkID, records: records))
            records.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
            bytes = 0
        }

        while let input = try source.next() {
            ledger.noteRead(bytes: source.bytesRead)
            switch input.result {
            case .failure(let error):
                try ledger.rejectLocally(line: input.line, text: input.text, error: error)
            case .success(let record):
                records.append(record)
                lines.append(UploadLedger.SentLine(number: input.line, text: input.text))
                // The input text is a fair upper bound of the encoded size (JSON and CSV spell names out).
                bytes += input.text.count + 64
                if records.count >= chunkSize || bytes >= Self.maxChunkBytes { try await flush() }
            }
        }
        try await flush()
    }
}

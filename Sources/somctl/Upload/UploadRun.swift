import ArgumentParser
import Foundation
import SOMClient

/// Exit status of an upload in which the server or the parser refused some records.
let exitSomeRejected = ExitCode(2)

/// Everything `submit` and `devices import` do: open the file, stream it, report, pick the exit status.
func runUpload<Target: UploadTarget>(_ target: Target, options: UploadOptions, connection: ConnectionOptions) async throws {
    try await reportingFailures {
        var source = try RecordSource<Target.Record>(path: options.file, format: options.inputFormat)
        let size = (try? FileManager.default.attributesOfItem(atPath: options.file)[.size] as? NSNumber)?.int64Value
        let ledger = UploadLedger(rejects: try RejectsFile(path: options.rejectsPath))
        let started = ContinuousClock.now
        let progress = UploadProgress(ledger: ledger, totalBytes: size, started: started)
        let engine = UploadEngine(target: target, chunkSize: options.chunkSize)
        let client = connection.client()
        var failure: (any Error)?
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await progress.run() }
            do {
                try await engine.run(&source, client: client, ledger: ledger)
            } catch {
                failure = error
            }
            group.cancelAll()
        }
        await client.close()
        progress.finish()
        try ledger.closeRejects()
        let summary = UploadSummary(counts: ledger.counts, seconds: seconds(since: started), rejectsPath: options.rejectsPath)
        if let failure {
            // What got through before the failure is still worth knowing (and is in the rejects file).
            if summary.counts.records > 0 { StandardError.write("stopped: " + summary.text.joined(separator: "\n") + "\n") }
            throw failure
        }
        let out = StandardOutput()
        if options.json { out.line(summary.json) } else { summary.text.forEach(out.line) }
        out.flush()
        if summary.counts.rejected > 0 { throw exitSomeRejected }
    }
}

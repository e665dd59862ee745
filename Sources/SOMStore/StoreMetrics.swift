import CoreMetrics
import SOMCodec

/// The store's swift-metrics instruments (exported by whatever backend somd bootstraps; without
/// one they do nothing). Made once per store, after the backend is in place.
struct StoreMetrics: Sendable {
    let commits = Counter(label: "som_store_commits_total")
    let records = Counter(label: "som_store_records_total")
    /// Records per commit, as a histogram: how well group commit batches.
    let recordsPerCommit = Recorder(label: "som_store_commit_records", aggregate: true)
    /// The whole group commit: applying the writes, then LMDB's commit.
    let commitDuration = Timer(label: "som_store_commit_duration_seconds")
    /// LMDB's commit alone (`mdb_txn_commit`): writing the dirty pages and the fsync.
    let syncDuration = Timer(label: "som_store_commit_sync_seconds")
    let failedCommits = Counter(label: "som_store_commit_failures_total")

    /// Orders that reached a final status, by outcome (COMPLETED, CANCELLED, FAILED).
    func finished(_ byStatus: [Int32: Int]) {
        for (raw, count) in byStatus where count > 0 {
            let outcome = OrderStatus(rawValue: raw).protoName ?? "\(raw)"
            Counter(label: "som_orders_finished_total", dimensions: [("outcome", outcome)]).increment(by: count)
        }
    }
}

extension Duration {
    /// Whole nanoseconds, for `Timer.recordNanoseconds`.
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

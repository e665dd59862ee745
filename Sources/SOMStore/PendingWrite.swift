import SOMLMDB

/// One caller's write waiting for the writer thread, type-erased so writes of every kind share a queue.
struct PendingWrite: Sendable {
    /// How many records it writes; bounds the size of one transaction.
    let weight: Int
    /// New orders (intake): taken into the next transaction ahead of queued background work, so a
    /// caller waiting for its acknowledgement waits for at most the transaction in progress.
    var urgent = false
    /// Applies the write inside the group's transaction and returns what to do once it is durable.
    /// May run more than once (LMDB map growth reruns the transaction), so it has no outside effects.
    let apply: @Sendable (inout WriteTransaction, Tables, inout WriteContext) throws -> @Sendable () -> Void
    /// Reports that the whole transaction failed and nothing of this write was kept.
    let fail: @Sendable (StoreError) -> Void
}

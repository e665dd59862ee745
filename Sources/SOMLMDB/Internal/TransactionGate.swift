#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A readers-writer lock that keeps map remapping away from live transactions in this process.
///
/// Every transaction (read or write) holds the gate *shared* for its whole life. Remapping
/// (`mdb_env_set_mapsize`, for growth or to adopt another process's size) and `mdb_env_close` take it
/// *exclusively*, because lmdb.h says `mdb_env_set_mapsize` "may be called at later times if no
/// transactions are active in this process ... the caller must ensure it explicitly": a remap under a
/// live read transaction would leave it reading unmapped memory.
///
/// glibc's default rwlock prefers readers, so a nested `read` inside a `read` on one thread cannot
/// deadlock even while growth waits; the cost is that a steady stream of overlapping readers can delay
/// growth. (Darwin's rwlock may prefer writers; avoid nested reads there.)
///
/// `~Copyable` so there is exactly one owner (the ``Environment``) and one `deinit` that destroys the lock.
/// Its thread safety is what ``Environment``'s `@unchecked Sendable` relies on.
struct TransactionGate: ~Copyable {
    // Lifetime: allocated in init, destroyed in deinit, which runs when the owning Environment is
    // deallocated (so no thread can still be inside withShared/withExclusive). A pthread_rwlock_t
    // must not move, hence the heap allocation instead of an inline stored value.
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        let rc = pthread_rwlock_init(lock, nil)
        precondition(rc == 0, "pthread_rwlock_init failed: \(rc)")
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deinitialize(count: 1)
        lock.deallocate()
    }

    /// Runs `body` while holding the gate shared (many at once).
    func withShared<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        let rc = pthread_rwlock_rdlock(lock)
        // EAGAIN (too many readers) or EDEADLK are programmer errors here, not input-driven.
        precondition(rc == 0, "pthread_rwlock_rdlock failed: \(rc)")
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    /// Runs `body` while holding the gate exclusively (no transaction of this process is live).
    func withExclusive<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        let rc = pthread_rwlock_wrlock(lock)
        precondition(rc == 0, "pthread_rwlock_wrlock failed: \(rc)")
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}

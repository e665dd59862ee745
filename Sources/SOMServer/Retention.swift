public import Logging
import NIOConcurrencyHelpers
import SOMCodec
public import SOMStore

/// How long finished orders stay in the store, and where they go after that.
public struct RetentionPolicy: Sendable {
    /// Finished orders (and events) older than this are archived; nil keeps everything.
    public var finishedAge: Duration?
    /// Where archive files are written.
    public var archiveDirectory: String
    /// How often the background run looks for old orders.
    public var interval: Duration = .seconds(600)
    /// Events younger than this always stay in the log, whatever the age asked for: the
    /// mass-disconnect guardrail rebuilds its window from them at start.
    public var keepRecentEvents: Duration = .zero

    /// A policy archiving into `archiveDirectory` after `finishedAge` (nil: never on its own).
    public init(finishedAge: Duration?, archiveDirectory: String) {
        self.finishedAge = finishedAge
        self.archiveDirectory = archiveDirectory
    }
}

/// Runs archive passes, one at a time: on a timer per the policy, and on request (`somctl archive`).
public final class Archivist: Sendable {
    let store: OrderStore
    let policy: RetentionPolicy
    let logger: Logger
    private let running = NIOLockedValueBox(false)

    /// Creates the archivist; nothing runs until `run()` or `archive(olderThan:)`.
    public init(store: OrderStore, policy: RetentionPolicy, logger: Logger) {
        self.store = store
        self.policy = policy
        self.logger = logger
    }

    /// Archives finished orders older than `age` now.
    /// - Throws: `StoreError.failedPrecondition` while another run is going on.
    public func archive(olderThan age: Duration) async throws(StoreError) -> ArchiveRun {
        let free = running.withLockedValue { running -> Bool in
            defer { running = true }
            return !running
        }
        guard free else { throw .failedPrecondition("an archive run is already in progress; try again when it ends") }
        defer { running.withLockedValue { $0 = false } }
        let now = Timestamp.now()
        let run = try await store.archive(
            finishedBefore: now.adding(.zero - age), eventsBefore: now.adding(.zero - policy.keepRecentEvents),
            into: policy.archiveDirectory)
        if run.file != nil {
            logger.notice("archived finished orders", metadata: [
                "orders": "\(run.ordersArchived)", "events": "\(run.eventsTrimmed)", "file": "\(run.file ?? "")",
                "event_floor": "\(run.eventFloor)", "seconds": "\(run.duration)",
            ])
        }
        return run
    }

    /// The background pass: every `interval` (the first one after start), archive what is older than `finishedAge`.
    func run() async {
        guard let age = policy.finishedAge else { return }
        while !Task.isCancelled {
            // First wait: a start has enough to do (queues, first evaluations) without an archive pass.
            try? await Task.sleep(for: policy.interval)
            guard !Task.isCancelled else { return }
            do {
                _ = try await archive(olderThan: age)
            } catch .failedPrecondition {
                // A run requested by an operator is going on; the next tick tries again.
            } catch {
                logger.error("archive run failed", metadata: ["error": "\(error)"])
            }
        }
    }
}

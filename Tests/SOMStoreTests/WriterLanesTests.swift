import Foundation
import NIOConcurrencyHelpers
import SOMCodec
@testable import SOMStore
import SOMTestSupport
import Testing

@Suite("The writer's two lanes: intake ahead of background work", .timeLimit(.minutes(2)))
struct WriterLanesTests {
    @Test("a new order queued behind 300 background writes commits ahead of them, and they all commit after")
    func intakeGoesFirst() async throws {
        try await withStore { store, _ in
            // Hold the writer inside one transaction until everything else is queued behind it.
            let release = DispatchSemaphore(value: 0)
            await withCheckedContinuation { (started: CheckedContinuation<Void, Never>) in
                store.enqueue(weight: 1, { _, _, _ in
                    started.resume()
                    release.wait()
                }, completion: { _ in })
            }
            // Each background write notes the sequence number the next event would take. They are
            // queued here, synchronously, before the intake is.
            let seen = NIOLockedValueBox<[UInt64]>([])
            let committed = DispatchGroup()
            for _ in 0..<300 {
                committed.enter()
                store.enqueue(weight: 1, { _, _, context in
                    seen.withLockedValue { $0.append(context.nextSequence) }
                }, completion: { _ in committed.leave() })
            }
            let intake: Result<[IntakeOutcome], StoreError> = await withCheckedContinuation { answered in
                store.enqueueSubmit([IntakeItem(template("L-NEW"))]) { answered.resume(returning: $0) }
                release.signal()
            }
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                committed.notify(queue: .global()) { done.resume() }
            }
            let order = try #require(try intake.get().first?.order)
            let before = seen.withLockedValue { $0.filter { $0 <= order.lastEventSeq }.count }
            #expect(seen.withLockedValue { $0.count } == 300)
            #expect(before == 0, "\(before) background writes queued before the intake were applied ahead of it")
        }
    }
}

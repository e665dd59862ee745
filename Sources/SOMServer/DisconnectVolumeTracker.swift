import DequeModule
import NIOConcurrencyHelpers
import SOMCodec
import SOMOrchestration

/// Counts remote cuts for non-payment sent per gateway in a sliding window, the input of the
/// mass-disconnect guardrail. Kept in memory: after a restart the window starts empty, which can
/// let at most one window's worth of extra cuts through (documented in docs/domain.md).
final class DisconnectVolumeTracker: Sendable {
    private let cuts = NIOLockedValueBox(Deque<(seconds: Int64, gatewayID: String)>())
    let window: Duration

    init(window: Duration) { self.window = window }

    /// The cuts in the window ending at `now`.
    func volume(at now: Timestamp) -> DisconnectVolume {
        let start = now.seconds - window.components.seconds
        return cuts.withLockedValue { cuts in
            while let first = cuts.first, first.seconds < start { cuts.removeFirst() }
            var perGateway: [String: Int] = [:]
            for cut in cuts { perGateway[cut.gatewayID, default: 0] += 1 }
            return DisconnectVolume(perGateway: perGateway, total: cuts.count)
        }
    }

    /// Records the remote cuts a decision is about to queue.
    func record(_ decision: Decision, device: ServicePointDevice?, at now: Timestamp) {
        guard decision.order.request?.orderType == .cutForNonPayment else { return }
        let sent = (decision.activitiesToCreate + decision.activitiesToRetry).filter { $0.command == .remoteDisconnect }
        guard !sent.isEmpty else { return }
        cuts.withLockedValue { cuts in
            for activity in sent {
                cuts.append((now.seconds, activity.gatewayID.isEmpty ? (device?.gatewayID ?? "") : activity.gatewayID))
            }
        }
    }
}

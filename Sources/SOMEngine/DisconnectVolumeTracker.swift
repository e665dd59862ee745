import DequeModule
import NIOConcurrencyHelpers
import SOMCodec
import SOMOrchestration

/// Counts remote cuts for non-payment queued per gateway in a sliding window, the input of the
/// mass-disconnect guardrail. It holds only committed cuts: a decision's cuts are added after its
/// transaction commits (the store's `committed` hook), and cuts decided earlier in the same
/// transaction reach later decisions through the store's transaction tally, so a rerun
/// transaction or a failed commit never counts a cut that did not happen. At start the window is
/// rebuilt from the event log, so a restart does not open the gate.
final class DisconnectVolumeTracker: Sendable {
    private let cuts = NIOLockedValueBox(Deque<(seconds: Int64, gatewayID: String)>())
    let window: Duration

    /// The transaction tally key of a cut for `gatewayID`.
    static func tallyKey(_ gatewayID: String) -> String { "guardrail/" + gatewayID }

    init(window: Duration) { self.window = window }

    /// The committed cuts in the window ending at `now`, plus the ones earlier decisions of the
    /// current transaction added (`tally`, keyed by `tallyKey`).
    func volume(at now: Timestamp, pending tally: [String: Int] = [:]) -> DisconnectVolume {
        let start = now.seconds - window.components.seconds
        var perGateway: [String: Int] = [:]
        var total = 0
        cuts.withLockedValue { cuts in
            for cut in cuts where cut.seconds >= start {
                perGateway[cut.gatewayID, default: 0] += 1
                total += 1
            }
        }
        for (key, count) in tally where key.hasPrefix("guardrail/") {
            perGateway[String(key.dropFirst("guardrail/".count)), default: 0] += count
            total += count
        }
        return DisconnectVolume(perGateway: perGateway, total: total)
    }

    /// The gateways of the remote cuts a decision queues (one entry per cut). Pure. A cut counts
    /// once, when its command is created: a retry of it (after a failure, or a status check that
    /// said it did not happen) cuts no one new.
    static func cuts(in decision: Decision, device: ServicePointDevice?) -> [String] {
        guard decision.order.request?.orderType == .cutForNonPayment else { return [] }
        return decision.activitiesToCreate
            .filter { $0.command == .remoteDisconnect && !$0.verification }
            .map { $0.gatewayID.isEmpty ? (device?.gatewayID ?? "") : $0.gatewayID }
    }

    /// Adds committed cuts; drops the ones that left the window.
    func commit(_ gateways: [String], at now: Timestamp) {
        guard !gateways.isEmpty else { return }
        let start = now.seconds - window.components.seconds
        cuts.withLockedValue { cuts in
            while let first = cuts.first, first.seconds < start { cuts.removeFirst() }
            for gateway in gateways { cuts.append((now.seconds, gateway)) }
        }
    }

    /// Replaces the window with the cuts the event log shows created since `now - window`: the
    /// ACTIVITY_CREATED events of remote disconnects of cuts for non-payment.
    func rebuild(from events: [OrderEvent], now: Timestamp) {
        let start = now.seconds - window.components.seconds
        var found: [(seconds: Int64, gatewayID: String)] = []
        for event in events where event.orderType == .cutForNonPayment && event.type == .activityCreated {
            guard let activity = event.activity, let at = event.at, at.seconds >= start,
                  activity.command == .remoteDisconnect, !activity.verification
            else { continue }
            found.append((at.seconds, activity.gatewayID))
        }
        found.sort { $0.seconds < $1.seconds }
        cuts.withLockedValue { $0 = Deque(found) }
    }
}

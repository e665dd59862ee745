import SOMCodec

/// The physical effect of an activity on the supply; the thing that must happen exactly once.
enum SwitchEffect: Sendable, Hashable {
    case connect
    case disconnect
}

/// Which activities switch the supply and what state each one aims for.
enum Switching {
    /// The effect of `activity`, or nil when it does not switch the supply (reads, pings, installs).
    static func effect(of activity: Activity) -> SwitchEffect? {
        switch activity.command {
        case .remoteConnect, .arm: return .connect
        case .remoteDisconnect: return .disconnect
        case .unspecified: break
        default: return nil
        }
        switch activity.fieldActivity {
        case .turnOn, .reconnect, .connectAtSource: return .connect
        case .turnOff: return .disconnect
        default: return nil
        }
    }

    /// Whether `supply` shows the effect of `activity` (an armed switch counts for ARM).
    static func reached(_ activity: Activity, _ supply: SupplyState) -> Bool {
        switch effect(of: activity) {
        case .connect: return supply == .connected || (activity.command == .arm && supply == .armed)
        case .disconnect: return supply == .disconnected
        case nil: return true
        }
    }

    /// The state the device is in after `activity` succeeded, when nothing was observed.
    static func expectedState(after activity: Activity) -> SupplyState? {
        if activity.command == .arm { return .armed }
        switch effect(of: activity) {
        case .connect: return .connected
        case .disconnect: return .disconnected
        case nil: return nil
        }
    }

    /// A state a meter can report with certainty (not unspecified or unknown).
    static func isKnown(_ supply: SupplyState) -> Bool {
        supply == .connected || supply == .disconnected || supply == .armed
    }
}

/// Groups of activity statuses the orchestrator reasons about.
enum ActivityState {
    /// Still to be done or being done: the order waits for it.
    static func isOutstanding(_ status: ActivityStatus) -> Bool {
        switch status {
        case .queued, .dispatched, .accepted, .appointed, .assigned, .onSite, .quarantined: return true
        default: return false
        }
    }

    /// Left our queue: a gateway or crew may be acting on it.
    static func hasLeftQueue(_ status: ActivityStatus) -> Bool {
        switch status {
        case .dispatched, .accepted, .appointed, .assigned, .onSite: return true
        default: return false
        }
    }

    /// A command that may have acted without us knowing the outcome yet.
    static func isInFlightOrUnknown(_ status: ActivityStatus) -> Bool {
        status == .dispatched || status == .accepted || status == .outcomeUnknown
    }

    /// A command can still report a result for it (late results of timed-out commands are kept).
    static func acceptsResult(_ status: ActivityStatus) -> Bool {
        isOutstanding(status) || status == .outcomeUnknown
    }
}

extension Activity {
    var isCommand: Bool { command != .unspecified }
    var isFieldWork: Bool { fieldActivity != .unspecified }
}

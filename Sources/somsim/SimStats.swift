import Synchronization

/// Counters the simulator prints as it runs.
final class SimStats: Sendable {
    enum Kind: Int, CaseIterable {
        case commands, succeeded, failed, unknown, fieldDone, fieldNotDone
    }

    private let counters = Mutex([Int](repeating: 0, count: Kind.allCases.count))

    func add(_ kind: Kind, _ amount: Int = 1) {
        counters.withLock { $0[kind.rawValue] += amount }
    }

    func value(_ kind: Kind) -> Int { counters.withLock { $0[kind.rawValue] } }

    var line: String {
        "commands \(value(.commands)) (ok \(value(.succeeded)), failed \(value(.failed)), unknown \(value(.unknown))); "
            + "field work done \(value(.fieldDone)), not done \(value(.fieldNotDone))"
    }
}

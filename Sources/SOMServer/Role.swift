/// What a caller may do, as a set of methods (`MethodRoles`); granted by uid or group (`AccessPolicy`).
public enum Role: String, CaseIterable, Sendable, Comparable, CustomStringConvertible {
    /// Submits orders (and cancels its own source systems' orders).
    case submitter
    /// Reads orders, devices, statistics, health.
    case reader
    /// Holds and releases, moratoria, cancels of any order, device upserts.
    case `operator`
    /// Pulls commands and reports results for the gateways it is bound to.
    case gatewayAdapter = "gateway-adapter"
    /// Pulls and reports field work for its crew pools.
    case fieldAdapter = "field-adapter"
    /// Everything, including the gateway registry, backup and archive.
    case admin

    public var description: String { rawValue }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

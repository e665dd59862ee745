public import SOMCodec
public import SOMRPC

/// One rule of the access configuration: who (uids, groups) gets which roles, and for a submitter
/// or field adapter, which source systems or crew pools.
public struct AccessRule: Sendable, Hashable {
    /// A label for logs and refusals (e.g. "cis").
    public var name: String
    /// Callers running as one of these uids match.
    public var uids: Set<UInt32>
    /// Callers with one of these groups (primary or supplementary) match.
    public var gids: Set<UInt32>
    /// What a matching caller may do.
    public var roles: Set<Role>
    /// Source systems a submitter may submit and cancel for; nil means any.
    public var sources: Set<SourceSystem>?
    /// Crew pools a field adapter may pull; nil means any.
    public var pools: Set<String>?

    /// Creates a rule.
    public init(name: String, uids: Set<UInt32> = [], gids: Set<UInt32> = [], roles: Set<Role>, sources: Set<SourceSystem>? = nil, pools: Set<String>? = nil) {
        self.name = name
        self.uids = uids
        self.gids = gids
        self.roles = roles
        self.sources = sources
        self.pools = pools
    }

    func matches(_ peer: PeerCredentials) -> Bool {
        uids.contains(peer.uid) || !gids.isDisjoint(with: peer.allGroups)
    }
}

/// What one caller holds: the union of the rules that match it.
public struct Grant: Sendable, Hashable {
    /// Roles, admin included when the caller is one.
    public var roles: Set<Role>
    /// Source systems the caller may submit for; nil means any.
    public var sources: Set<SourceSystem>?
    /// Crew pools the caller may pull; nil means any.
    public var pools: Set<String>?

    /// True for admins, who are never scoped.
    public var isAdmin: Bool { roles.contains(.admin) }
}

/// Who may do what, by peer credentials: the roles of each caller and the scopes of submitters and
/// field adapters. Gateway bindings live in the gateway registry (`GatewayRegistry`).
///
/// Root and somd's own uid are always admin. Without a role configuration (`configured` false)
/// every caller the socket lets in is admin: today's single-user behaviour.
public struct AccessPolicy: Sendable {
    /// The configured rules, in file order.
    public var rules: [AccessRule]
    /// False when no access file was given.
    public var configured: Bool
    /// Uids that are admin whatever the rules say.
    public var adminUIDs: Set<UInt32>

    /// A policy from `rules`; `serverUID` (somd's own) and root are admin.
    public init(rules: [AccessRule], serverUID: UInt32) {
        self.rules = rules
        self.configured = true
        self.adminUIDs = [0, serverUID]
    }

    /// No role configuration: everyone allowed on the socket is admin.
    public static func unconfigured(serverUID: UInt32) -> AccessPolicy {
        var policy = AccessPolicy(rules: [], serverUID: serverUID)
        policy.configured = false
        return policy
    }

    /// The roles and scopes of `peer`.
    public func grant(for peer: PeerCredentials) -> Grant {
        if !configured || adminUIDs.contains(peer.uid) { return Grant(roles: [.admin], sources: nil, pools: nil) }
        var grant = Grant(roles: [], sources: [], pools: [])
        for rule in rules where rule.matches(peer) {
            grant.roles.formUnion(rule.roles)
            if rule.roles.contains(.submitter) {
                grant.sources = rule.sources.flatMap { mine in grant.sources.map { $0.union(mine) } }
            }
            if rule.roles.contains(.fieldAdapter) {
                grant.pools = rule.pools.flatMap { mine in grant.pools.map { $0.union(mine) } }
            }
        }
        if grant.isAdmin { return Grant(roles: grant.roles, sources: nil, pools: nil) }
        return grant
    }

    /// Nil when `peer` may call `method`; else the PERMISSION_DENIED message, naming what is missing:
    /// "uid 1003 (gid 1003) has roles [reader]; /som.v1.Admin/ReleaseHold needs operator".
    public func refusal(_ peer: PeerCredentials, _ method: String) -> String? {
        let held = grant(for: peer).roles
        guard !MethodRoles.allows(held, method) else { return nil }
        return "\(Self.describe(peer)) has \(Self.describe(held)); \(method) needs \(Self.needed(method))"
    }

    /// "uid 1003 (gid 1003)", with the supplementary groups when there are any.
    public static func describe(_ peer: PeerCredentials) -> String {
        let others = peer.groups.filter { $0 != peer.gid }
        return others.isEmpty
            ? "uid \(peer.uid) (gid \(peer.gid))"
            : "uid \(peer.uid) (gid \(peer.gid), groups \(others.map(String.init).joined(separator: ",")))"
    }

    static func describe(_ roles: Set<Role>) -> String {
        roles.isEmpty ? "no roles" : "roles [\(roles.sorted().map(\.rawValue).joined(separator: ", "))]"
    }

    /// The roles that would do, admin left out unless it is the only one.
    static func needed(_ method: String) -> String {
        let roles = MethodRoles.roles(for: method)
        if roles == MethodRoles.anyRole { return "any role" }
        let others = roles.subtracting([.admin]).sorted()
        return others.isEmpty ? "admin" : others.map(\.rawValue).joined(separator: " or ")
    }

    /// The effective mapping, one line each, for the log at start.
    public func describeMapping() -> [String] {
        let admins = "uids \(adminUIDs.sorted().map(String.init).joined(separator: ", ")) (root and somd's own): admin"
        guard configured else {
            return [admins, "no access configuration: every caller the socket and --allow-uids/--allow-gids let in is admin"]
        }
        var lines = [admins]
        for rule in rules {
            var line = "rule \(rule.name): uids [\(rule.uids.sorted().map(String.init).joined(separator: ", "))]"
            line += " gids [\(rule.gids.sorted().map(String.init).joined(separator: ", "))]"
            line += " → \(Self.describe(rule.roles))"
            if rule.roles.contains(.submitter) { line += ", sources \(rule.sources.map { Self.names($0) } ?? "any")" }
            if rule.roles.contains(.fieldAdapter) { line += ", pools \(rule.pools.map { "[\($0.sorted().joined(separator: ", "))]" } ?? "any")" }
            lines.append(line)
        }
        lines.append("callers matching no rule have no roles: every call of theirs is refused")
        return lines
    }

    static func names(_ sources: Set<SourceSystem>) -> String {
        "[\(sources.map(AccessFile.name(of:)).sorted().joined(separator: ", "))]"
    }
}

/// A caller lacks the role or scope a call needs; always PERMISSION_DENIED with this message.
public struct AccessDenied: Error, Sendable, CustomStringConvertible {
    /// The refusal, naming what is missing.
    public let description: String

    /// Creates the refusal.
    public init(_ description: String) { self.description = description }
}

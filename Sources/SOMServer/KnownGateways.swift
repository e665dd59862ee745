import NIOConcurrencyHelpers
import SOMCodec
import SOMOrchestration
import SOMRPC
import SOMScheduler

/// The gateway registry as the services see it: a copy of the store's, in memory, so the check on
/// every pull and report reads no LMDB. The store is the record; this copy is replaced after
/// every committed change.
final class KnownGateways: Sendable {
    private let registry: NIOLockedValueBox<[String: GatewayDefinition]>
    /// Enforced even while empty (the access file's `requireRegisteredGateways`).
    let alwaysEnforced: Bool

    init(_ gateways: [GatewayDefinition], alwaysEnforced: Bool) {
        registry = NIOLockedValueBox(Dictionary(gateways.map { ($0.gatewayID, $0) }, uniquingKeysWith: { $1 }))
        self.alwaysEnforced = alwaysEnforced
    }

    /// Unknown gateways are refused once one is registered (or always, when so configured); until
    /// then any gateway id is served, as before the registry existed.
    var enforced: Bool { alwaysEnforced || !registry.withLockedValue { $0.isEmpty } }

    /// The registered gateways, sorted by id.
    var all: [GatewayDefinition] { registry.withLockedValue { $0.values.sorted { $0.gatewayID < $1.gatewayID } } }

    /// What the orchestrator is told: the registered ids, or nil while the registry is not enforced.
    var registeredIDs: Set<String>? { enforced ? Set(registry.withLockedValue { $0.keys }) : nil }

    func replace(_ gateways: [GatewayDefinition]) {
        registry.withLockedValue { $0 = Dictionary(gateways.map { ($0.gatewayID, $0) }, uniquingKeysWith: { $1 }) }
    }

    /// Refuses `peer` serving `gatewayID` (pull, report, extend a lease) when the gateway is not
    /// registered or the peer is not bound to it; admins serve any registered gateway.
    func checkServes(_ peer: PeerCredentials, gatewayID: String, access: AccessPolicy) throws(AccessDenied) {
        guard enforced else { return }
        guard let gateway = registry.withLockedValue({ $0[gatewayID] }) else {
            throw AccessDenied("gateway \(gatewayID) is not registered; an admin registers it with `somctl gateways add \(gatewayID)`")
        }
        if access.servesAnyGateway(peer) { return }
        guard gateway.uids.contains(peer.uid) || !peer.allGroups.isDisjoint(with: gateway.gids) else {
            let uids = gateway.uids.map(String.init).joined(separator: ", "), gids = gateway.gids.map(String.init).joined(separator: ", ")
            throw AccessDenied("\(AccessPolicy.describe(peer)) is not bound to gateway \(gatewayID) (bound: uids [\(uids)], gids [\(gids)])")
        }
    }
}

/// Checks a gateway definition from a call or the access file.
enum GatewayChecks {
    static func check(_ gateway: GatewayDefinition) throws(FieldViolation) {
        try FieldChecks.identifier(gateway.gatewayID, "gateway_id")
        try FieldChecks.text(gateway.name, "name", maxBytes: 256)
        guard gateway.commandsPerSecond.isFinite, gateway.commandsPerSecond >= 0 else {
            throw FieldViolation("commands_per_second", "must be 0 (no limit) or a positive number")
        }
        guard gateway.uids.count + gateway.gids.count <= 256 else { throw FieldViolation("uids", "at most 256 uids and gids together") }
    }
}

import SOMEngine
import SOMCodec
import SOMOrchestration
import SOMRPC
import SOMScheduler
import SOMStore

/// `som.v1.Gateways/Add`, `Set`, `Remove`, `ListRegistered`: the gateway registry. Every change is
/// audited in its own transaction and then reaches the running server: the bindings pulls are
/// checked against, the orchestrator's list of known gateways, and the queue's limits.
struct GatewayRegistryService: Sendable {
    let store: OrderStore
    let engine: OrderEngine
    let known: KnownGateways

    func register(in router: inout Router) {
        let service = self
        router.unary(GatewaysService.name, "Add") { (request: DefineGatewayRequest, context) -> DefineGatewayResponse in
            let gateway = try Self.checked(request)
            try await service.apply(.add(gateway), .by(context.peer, .addGateway, note: Self.note(request.note, gateway)))
            return DefineGatewayResponse(gateway: gateway)
        }
        router.unary(GatewaysService.name, "Set") { (request: DefineGatewayRequest, context) -> DefineGatewayResponse in
            let gateway = try Self.checked(request)
            try await service.apply(.set(gateway), .by(context.peer, .setGateway, note: Self.note(request.note, gateway)))
            return DefineGatewayResponse(gateway: gateway)
        }
        router.unary(GatewaysService.name, "Remove") { (request: RemoveGatewayRequest, context) -> RemoveGatewayResponse in
            try FieldChecks.identifier(request.gatewayID, "gateway_id")
            try FieldChecks.text(request.note, "note", maxBytes: 1024)
            try await service.apply(.remove(request.gatewayID), .by(context.peer, .removeGateway, note: request.note))
            return RemoveGatewayResponse()
        }
        router.unary(GatewaysService.name, "ListRegistered") { (_: ListRegisteredGatewaysRequest, _) -> ListRegisteredGatewaysResponse in
            ListRegisteredGatewaysResponse(gateways: service.known.all, enforced: service.known.enforced)
        }
    }

    static func checked(_ request: DefineGatewayRequest) throws(FieldViolation) -> GatewayDefinition {
        guard var gateway = request.gateway else { throw FieldViolation("gateway", "is required") }
        do throws(FieldViolation) { try GatewayChecks.check(gateway) } catch { throw error.prefixed("gateway") }
        try FieldChecks.text(request.note, "note", maxBytes: 1024)
        gateway.uids = Array(Set(gateway.uids)).sorted()
        gateway.gids = Array(Set(gateway.gids)).sorted()
        return gateway
    }

    /// The audit note: the operator's words, then what the gateway was set to.
    static func note(_ given: String, _ gateway: GatewayDefinition) -> String {
        let uids = gateway.uids.map(String.init).joined(separator: ","), gids = gateway.gids.map(String.init).joined(separator: ",")
        var definition = "name=\(gateway.name) uids=[\(uids)] gids=[\(gids)]"
        definition += " commands_per_second=\(gateway.commandsPerSecond) max_in_flight=\(gateway.maxInFlight)"
        return given.isEmpty ? definition : "\(given); \(definition)"
    }

    /// Stores the change with its audit entry, then brings the running server in line.
    func apply(_ change: GatewayChange, _ audit: AuditEntry, recheck: Bool = true) async throws(StoreError) {
        let (registry, changed) = try await store.changeGateways(change, audit: audit)
        guard changed else { return }
        known.replace(registry)
        engine.updateInputs { $0.registeredGateways = known.registeredIDs }
        switch change {
        case .add(let gateway), .set(let gateway), .put(let gateway):
            await engine.scheduler.setRegistryLimits(
                commandsPerSecond: gateway.rateLimit, maxInFlight: gateway.inFlightLimit, for: GatewayID(gateway.gatewayID))
            // Orders whose commands waited for this gateway go on now, not at their next check.
            if recheck { await recheckHeld(engine: engine, store: store, reason: .unknownGateway) }
        case .remove(let id):
            await engine.scheduler.setRegistryLimits(commandsPerSecond: nil, maxInFlight: nil, for: GatewayID(id))
        }
    }
}

extension GatewayDefinition {
    /// The registry's rate limit; nil when it sets none (0).
    var rateLimit: Double? { commandsPerSecond > 0 ? commandsPerSecond : nil }
    /// The registry's in-flight limit; nil when it keeps the server default (0).
    var inFlightLimit: Int? { maxInFlight > 0 ? Int(maxInFlight) : nil }
}

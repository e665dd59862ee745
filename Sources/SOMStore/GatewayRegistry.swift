public import SOMCodec
import SOMLMDB

/// A change to the gateway registry.
public enum GatewayChange: Sendable {
    /// A new gateway; ALREADY_EXISTS when it is known.
    case add(GatewayDefinition)
    /// A new definition of a known gateway; NOT_FOUND when it is not.
    case set(GatewayDefinition)
    /// Adds or replaces (the access file at start); no entry is written when nothing changes.
    case put(GatewayDefinition)
    /// Forgets a gateway; NOT_FOUND when it is not known.
    case remove(String)
}

extension OrderStore {
    static let gatewaysKey = Array("gateways".utf8)

    /// The registered gateways, sorted by id (a small list kept under one key, like the moratoria).
    public func registeredGateways() throws(StoreError) -> [GatewayDefinition] {
        try read { txn in try Self.gateways(txn.get(Self.gatewaysKey, in: tables.meta)) }
    }

    static func gateways(_ bytes: [UInt8]?) throws -> [GatewayDefinition] {
        guard let bytes else { return [] }
        do { return try ListRegisteredGatewaysResponse(decoding: bytes).gateways } catch {
            throw StoreError.storage("the stored gateway registry is unreadable: \(error)")
        }
    }

    /// Applies `change` and records `audit` (its target and note filled in here) in one transaction.
    /// - Returns: the registry after the change, and whether anything changed.
    public func changeGateways(_ change: GatewayChange, audit: AuditEntry) async throws(StoreError) -> (registry: [GatewayDefinition], changed: Bool) {
        // A refused change returns its error instead of throwing: throwing would fail the whole
        // group transaction, and with it other callers' writes.
        let result: Result<([GatewayDefinition], Bool), StoreError> = try await perform(weight: 1) { txn, tables, context in
            var registry = try Self.gateways(try txn.get(Self.gatewaysKey, in: tables.meta))
            var entry = audit
            switch change {
            case .add(let gateway):
                if registry.firstIndex(where: { $0.gatewayID == gateway.gatewayID }) != nil { return .failure(.alreadyExists("gateway \(gateway.gatewayID)")) }
                registry.append(gateway)
                entry.target = gateway.gatewayID
            case .set(let gateway):
                guard let i = registry.firstIndex(where: { $0.gatewayID == gateway.gatewayID }) else { return .failure(.notFound("gateway \(gateway.gatewayID)")) }
                registry[i] = gateway
                entry.target = gateway.gatewayID
            case .put(let gateway):
                if let i = registry.firstIndex(where: { $0.gatewayID == gateway.gatewayID }) {
                    if registry[i] == gateway { return .success((registry, false)) }
                    registry[i] = gateway
                } else {
                    registry.append(gateway)
                }
                entry.target = gateway.gatewayID
            case .remove(let id):
                guard let i = registry.firstIndex(where: { $0.gatewayID == id }) else { return .failure(.notFound("gateway \(id)")) }
                registry.remove(at: i)
                entry.target = id
            }
            registry.sort { $0.gatewayID < $1.gatewayID }
            try txn.put(ListRegisteredGatewaysResponse(gateways: registry).encoded(), forKey: Self.gatewaysKey, in: tables.meta)
            try Self.appendAudit(entry, &txn, tables, context)
            return .success((registry, true))
        }
        let (registry, changed) = try result.get()
        return (registry, changed)
    }
}

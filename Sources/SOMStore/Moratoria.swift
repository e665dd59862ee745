public import SOMCodec
import SOMLMDB

extension OrderStore {
    static let moratoriaKey = Array("moratoria".utf8)

    /// The moratoria operators have set, as stored (they survive restarts).
    public func moratoria() throws(StoreError) -> [Moratorium] {
        let bytes = try read { txn in try txn.get(Self.moratoriaKey, in: tables.meta) }
        guard let bytes else { return [] }
        do { return try ListMoratoriaResponse(decoding: bytes).moratoria } catch {
            throw .storage("stored moratoria are unreadable: \(error)")
        }
    }

    /// Replaces the stored moratoria, recording `audit` (an operator's set or clear) in the same transaction.
    public func saveMoratoria(_ moratoria: [Moratorium], audit: AuditEntry? = nil) async throws(StoreError) {
        let bytes = ListMoratoriaResponse(moratoria: moratoria).encoded()
        try await perform(weight: 1) { txn, tables, context in
            try txn.put(bytes, forKey: Self.moratoriaKey, in: tables.meta)
            if let audit { try Self.appendAudit(audit, &txn, tables, context) }
        }
    }
}

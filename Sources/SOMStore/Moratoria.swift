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

    /// Replaces the stored moratoria.
    public func saveMoratoria(_ moratoria: [Moratorium]) async throws(StoreError) {
        let bytes = ListMoratoriaResponse(moratoria: moratoria).encoded()
        try await perform(weight: 1) { txn, tables, _ in
            try txn.put(bytes, forKey: Self.moratoriaKey, in: tables.meta)
        }
    }
}

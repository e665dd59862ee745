// Concrete `[UInt8]` overloads of the hot calls. The generic `some Collection<UInt8>` versions are
// not inlinable, so a caller in another module runs them unspecialised (metadata lookups and
// witness calls per byte access); these forward inside the module, where they are specialised.

extension ReadTransaction {
    /// ``get(_:in:)`` for an array key, without generic dispatch.
    public func get(_ key: [UInt8], in db: Database) throws(LMDBError) -> [UInt8]? {
        try raw.get(key, in: db)
    }
}

extension WriteTransaction {
    /// ``get(_:in:)`` for an array key, without generic dispatch.
    public func get(_ key: [UInt8], in db: Database) throws(LMDBError) -> [UInt8]? {
        try raw.get(key, in: db)
    }

    /// ``put(_:forKey:in:flags:)`` for array bytes, without generic dispatch.
    public mutating func put(_ value: [UInt8], forKey key: [UInt8], in db: Database, flags: PutFlags = []) throws(LMDBError) {
        let raw = self.raw
        try recordingMapFull { () throws(LMDBError) in
            try raw.put(value, forKey: key, in: db, flags: flags)
        }
    }
}

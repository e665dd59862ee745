public import SOMCodec
import SOMLMDB

extension OrderStore {
    /// Stores device records (validated by the caller) in one group transaction. Each record
    /// replaces the service point's previous one; `version` counts changes and `updatedAt` is the
    /// commit time. Returns the stored records in input order. `audit` (the caller's upsert) is
    /// recorded in the same transaction.
    public func upsertDevices(_ devices: [ServicePointDevice], audit: AuditEntry? = nil) async throws(StoreError) -> [ServicePointDevice] {
        try await perform(weight: max(1, devices.count)) { txn, tables, context in
            if let audit { try Self.appendAudit(audit, &txn, tables, context) }
            var stored: [ServicePointDevice] = []
            stored.reserveCapacity(devices.count)
            for var device in devices {
                let key = Keys.device(device.servicePointID)
                let previous = try txn.get(key, in: tables.devices).flatMap { try? ServicePointDevice(decoding: $0) }
                device.version = (previous?.version ?? 0) + 1
                device.updatedAt = context.now
                try txn.put(device.encoded(), forKey: key, in: tables.devices)
                stored.append(device)
            }
            return stored
        }
    }

    /// The device record of a service point.
    public func device(servicePointID: String) throws(StoreError) -> ServicePointDevice {
        let bytes = try read { txn in try txn.get(Keys.device(servicePointID), in: tables.devices) }
        guard let bytes else { throw .notFound("service point \(servicePointID)") }
        do { return try ServicePointDevice(decoding: bytes) } catch {
            throw .storage("stored device for \(servicePointID) is unreadable: \(error)")
        }
    }
}

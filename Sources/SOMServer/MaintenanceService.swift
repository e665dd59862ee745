import SOMCodec
import SOMRPC
import SOMStore

/// `som.v1.Admin/Backup` and `Admin/Archive`: store maintenance an operator runs while somd serves.
struct MaintenanceService: Sendable {
    let store: OrderStore
    let archivist: Archivist

    func register(in router: inout Router) {
        router.unary(AdminService.name, "Backup") { (request: BackupRequest, _) -> BackupResponse in
            guard !request.destination.isEmpty else {
                throw RPCError(.invalidArgument, "destination is required", details: ["field": "destination"])
            }
            let result = try await store.backup(to: request.destination)
            return BackupResponse(
                destination: result.destination, bytes: UInt64(result.bytes), orders: UInt64(result.orders),
                durationMs: UInt64(result.duration / .milliseconds(1)), transactionID: result.transactionID)
        }
        router.unary(AdminService.name, "Archive") { (request: ArchiveRequest, _) -> ArchiveResponse in
            let run = try await archivist.archive(olderThan: .seconds(Int64(clamping: request.olderThanSeconds)))
            return ArchiveResponse(
                ordersArchived: UInt64(run.ordersArchived), eventsTrimmed: UInt64(run.eventsTrimmed), file: run.file ?? "",
                eventFloor: run.eventFloor, durationMs: UInt64(run.duration / .milliseconds(1)))
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
import SOMCodec
import SOMRPC
import SOMStore

/// `som.v1.Admin/Backup` and `Admin/Archive`: store maintenance an operator runs while somd serves.
///
/// Only root and somd's own user may call them: a backup writes a copy of every customer's data
/// wherever the server may write, and an archive run removes orders from the store.
struct MaintenanceService: Sendable {
    let store: OrderStore
    let archivist: Archivist

    /// Root or the server's own user.
    static func mayMaintain(_ peer: PeerCredentials) -> Bool {
        peer.uid == 0 || peer.uid == UInt32(getuid())
    }

    static func checkOperator(_ context: ServerContext) throws(RPCError) {
        guard mayMaintain(context.peer) else {
            throw RPCError(.permissionDenied, "uid \(context.peer.uid) may not call \(context.method.path): backup and archive are for root and somd's own user")
        }
    }

    func register(in router: inout Router) {
        router.unary(AdminService.name, "Backup") { (request: BackupRequest, context) -> BackupResponse in
            try Self.checkOperator(context)
            guard !request.destination.isEmpty else {
                throw RPCError(.invalidArgument, "destination is required", details: ["field": "destination"])
            }
            let result = try await store.backup(to: request.destination)
            return BackupResponse(
                destination: result.destination, bytes: UInt64(result.bytes), orders: UInt64(result.orders),
                durationMs: UInt64(result.duration / .milliseconds(1)), transactionID: result.transactionID)
        }
        router.unary(AdminService.name, "Archive") { (request: ArchiveRequest, context) -> ArchiveResponse in
            try Self.checkOperator(context)
            let run = try await archivist.archive(olderThan: .seconds(Int64(clamping: request.olderThanSeconds)))
            return ArchiveResponse(
                ordersArchived: UInt64(run.ordersArchived), eventsTrimmed: UInt64(run.eventsTrimmed), file: run.file ?? "",
                eventFloor: run.eventFloor, durationMs: UInt64(run.duration / .milliseconds(1)))
        }
    }
}

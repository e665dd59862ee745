import SOMCodec
import SOMOrchestration
import SOMRPC
import SOMStore

extension AuditEntry {
    /// An entry for `action` by `peer`; the store stamps the time and sequence.
    static func by(_ peer: PeerCredentials, _ action: AuditAction, target: String = "", note: String = "") -> AuditEntry {
        AuditEntry(uid: peer.uid, gid: peer.gid, pid: peer.pid, action: action, target: target, note: note)
    }
}

/// `som.v1.Admin/ListAudit`: the operator audit trail, by time or by target.
struct AuditService: Sendable {
    let store: OrderStore

    func register(in router: inout Router) {
        let store = self.store
        router.unary(AdminService.name, "ListAudit") { (request: ListAuditRequest, _) -> ListAuditResponse in
            try FieldChecks.timestamp(request.since, "since")
            try FieldChecks.identifier(request.target, "target", optional: true)
            guard request.pageSize <= 1000 else { throw FieldViolation("page_size", "is \(request.pageSize); at most 1000") }
            var after: UInt64 = 0
            if !request.pageToken.isEmpty {
                guard let number = UInt64(request.pageToken) else { throw StoreError.invalidPageToken }
                after = number
            }
            let page = try store.auditEntries(
                target: request.target.isEmpty ? nil : request.target, since: request.since, after: after,
                limit: request.pageSize == 0 ? 100 : Int(request.pageSize))
            return ListAuditResponse(entries: page.entries, nextPageToken: page.next.map(String.init) ?? "")
        }
    }
}

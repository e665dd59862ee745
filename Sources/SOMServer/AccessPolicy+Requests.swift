public import SOMCodec
public import SOMRPC

// The checks that need the request as well as the caller: which source system a submission is
// for, which order a cancel is about, which crew pool a pull asks for. Handlers call them with the
// same refusal format as the per-method check.
extension AccessPolicy {
    /// A submission (or a cancellation request) for `source`.
    public func checkSubmit(_ peer: PeerCredentials, source: SourceSystem) throws(AccessDenied) {
        let grant = grant(for: peer)
        guard !grant.isAdmin, let sources = grant.sources else { return }
        guard sources.contains(source) else {
            throw AccessDenied("\(Self.describe(peer)) may submit for \(Self.names(sources)); not for \(AccessFile.name(of: source))")
        }
    }

    /// The source systems `peer` may submit for; nil when any.
    public func submitScope(_ peer: PeerCredentials) -> Set<SourceSystem>? {
        let grant = grant(for: peer)
        return grant.isAdmin ? nil : grant.sources
    }

    /// `checkSubmit`'s refusal as a message (for one item of a batch), nil when allowed.
    public func submitRefusal(_ peer: PeerCredentials, source: SourceSystem) -> String? {
        do throws(AccessDenied) {
            try checkSubmit(peer, source: source)
            return nil
        } catch {
            return error.description
        }
    }

    /// `Orders/Cancel` of an order from `orderSource`: operators cancel anything; a submitter cancels
    /// only as the source (by_source) and only its own source systems' orders.
    public func checkCancel(_ peer: PeerCredentials, orderID: String, orderSource: SourceSystem, bySource: Bool) throws(AccessDenied) {
        let grant = grant(for: peer)
        if grant.isAdmin || grant.roles.contains(.operator) { return }
        guard bySource else {
            throw AccessDenied("\(Self.describe(peer)) has \(Self.describe(grant.roles)); a cancel by an operator needs operator (a source system cancels with by_source)")
        }
        if let sources = grant.sources, !sources.contains(orderSource) {
            throw AccessDenied("\(Self.describe(peer)) may cancel orders of \(Self.names(sources)); order \(orderID) is from \(AccessFile.name(of: orderSource))")
        }
    }

    /// `FieldWork/Pull` of `pool` ("" asks for every pool).
    public func checkPool(_ peer: PeerCredentials, pool: String) throws(AccessDenied) {
        let grant = grant(for: peer)
        guard !grant.isAdmin, let pools = grant.pools else { return }
        let mine = "[\(pools.sorted().joined(separator: ", "))]"
        guard !pool.isEmpty else {
            throw AccessDenied("\(Self.describe(peer)) may pull crew pools \(mine); name one (an empty pool means every pool)")
        }
        guard pools.contains(pool) else {
            throw AccessDenied("\(Self.describe(peer)) may pull crew pools \(mine); not \(pool)")
        }
    }

    /// The crew pools `peer` is limited to; nil when it may serve any (admins, unscoped rules).
    public func pools(of peer: PeerCredentials) -> Set<String>? {
        let grant = grant(for: peer)
        return grant.isAdmin ? nil : grant.pools
    }

    /// True when `peer` may act as a gateway adapter for any gateway (admins).
    public func servesAnyGateway(_ peer: PeerCredentials) -> Bool { grant(for: peer).isAdmin }
}

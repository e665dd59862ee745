public import SOMCodec
public import SOMTransport

// The gateway registry and the audit trail.
extension SOMClient {
    /// `som.v1.Gateways/Add`: registers a gateway (ALREADY_EXISTS when it is known).
    public func addGateway(_ gateway: GatewayDefinition, note: String = "", options: CallOptions = CallOptions()) async throws -> GatewayDefinition {
        let response: DefineGatewayResponse = try await rpc.unary("/som.v1.Gateways/Add", DefineGatewayRequest(gateway: gateway, note: note), options: options)
        return response.gateway ?? gateway
    }

    /// `som.v1.Gateways/Set`: replaces a registered gateway's definition (NOT_FOUND when it is not known).
    public func setGateway(_ gateway: GatewayDefinition, note: String = "", options: CallOptions = CallOptions()) async throws -> GatewayDefinition {
        let response: DefineGatewayResponse = try await rpc.unary("/som.v1.Gateways/Set", DefineGatewayRequest(gateway: gateway, note: note), options: options)
        return response.gateway ?? gateway
    }

    /// `som.v1.Gateways/Remove`.
    public func removeGateway(_ gatewayID: String, note: String = "", options: CallOptions = CallOptions()) async throws {
        let _: RemoveGatewayResponse = try await rpc.unary("/som.v1.Gateways/Remove", RemoveGatewayRequest(gatewayID: gatewayID, note: note), options: options)
    }

    /// `som.v1.Gateways/ListRegistered`: the registry and whether it is enforced.
    public func registeredGateways(options: CallOptions = CallOptions()) async throws -> ListRegisteredGatewaysResponse {
        try await rpc.unary("/som.v1.Gateways/ListRegistered", ListRegisteredGatewaysRequest(), options: options)
    }

    /// `som.v1.Admin/ListAudit`: one page of the audit trail.
    public func audit(_ request: ListAuditRequest, options: CallOptions = CallOptions()) async throws -> ListAuditResponse {
        try await rpc.unary("/som.v1.Admin/ListAudit", request, options: options)
    }

    /// Every audit entry matching `request`, all pages.
    public func allAudit(_ request: ListAuditRequest, limit: Int = 0, options: CallOptions = CallOptions()) async throws -> [AuditEntry] {
        var request = request
        var entries: [AuditEntry] = []
        repeat {
            let page = try await audit(request, options: options)
            entries += page.entries
            request.pageToken = page.nextPageToken
        } while !request.pageToken.isEmpty && (limit == 0 || entries.count < limit)
        return limit == 0 ? entries : Array(entries.prefix(limit))
    }
}

import SOMEngine
import SOMCodec
import SOMOrchestration
import SOMRPC
import SOMScheduler
import SOMStore

/// `som.v1.Gateways`: what head-end adapters call — leased command batches out, results in.
struct GatewaysService: Sendable {
    static let name = "som.v1.Gateways"
    let engine: OrderEngine
    /// Who may serve which gateway: the roles, and the registry's bindings.
    let access: AccessPolicy
    let known: KnownGateways

    /// The longest an idle pull waits before looking again, in case work came back without a ring
    /// (a lease expiry or retry inside the scheduler).
    static let idleWait: Duration = .milliseconds(100)

    func register(in router: inout Router) {
        let engine = self.engine, access = self.access, known = self.known
        router.serverStreaming(Self.name, "PullCommands") { (request: PullCommandsRequest, batches: MessageWriter<CommandBatch>, context) in
            try FieldChecks.identifier(request.gatewayID, "gateway_id")
            try known.checkServes(context.peer, gatewayID: request.gatewayID, access: access)
            let lease = request.leaseMs == 0 ? nil : Duration.milliseconds(Int64(request.leaseMs))
            let maxBatch = request.maxBatch == 0 ? nil : Int(request.maxBatch)
            try await engine.waitUntilRestored()
            while !Task.isCancelled {
                let seen = engine.newWork.current
                let result = await engine.scheduler.pull(gatewayID: GatewayID(request.gatewayID), maxBatch: maxBatch, lease: lease)
                // DISPATCHED is recorded on the orders before the adapter sees the batch. A batch
                // whose dispatch could not be recorded is not handed out: a crash could then not
                // tell it was ever out. Its lease runs out like any unanswered one (a connect or
                // disconnect is then verified, never resent blind).
                if let failure = await engine.handle(result.events), result.batch != nil { throw failure }
                if let batch = result.batch {
                    try await batches.write(batch.message)
                    continue
                }
                // Until new work is queued, or the scheduler's own next moment (linger, rate, due time);
                // the cap also covers work that comes back by lease expiry or retry.
                var wait = Self.idleWait
                if let at = result.wait?.retryAt {
                    wait = min(max(SchedulerInstant(Timestamp.now()).duration(to: at), .milliseconds(1)), Self.idleWait)
                }
                await engine.newWork.wait(beyond: seen, until: .now + wait)
                try Task.checkCancellation()
            }
        }
        router.unary(Self.name, "ReportResults") { (request: ReportResultsRequest, context) -> ReportResultsResponse in
            for (index, result) in request.results.enumerated() {
                do throws(FieldViolation) { try FieldChecks.identifier(result.commandID, "command_id") } catch { throw error.prefixed("results[\(index)]") }
            }
            if request.gatewayID.isEmpty {
                // Without a gateway the scheduler would take results for any gateway's commands.
                if known.enforced && !access.servesAnyGateway(context.peer) {
                    throw AccessDenied("\(AccessPolicy.describe(context.peer)) must name its gateway_id: results are taken only from the gateway's own adapter")
                }
            } else {
                try known.checkServes(context.peer, gatewayID: request.gatewayID, access: access)
            }
            try await engine.waitUntilRestored()
            let (applied, failure) = await engine.report(request.results, gatewayID: request.gatewayID.isEmpty ? nil : GatewayID(request.gatewayID))
            // Answer only once the orders have taken the results in: an acknowledged result is durable.
            // One that could not commit is kept and applied once the store takes writes; the adapter
            // hears the store's error, and reporting the same result again is harmless.
            if let failure { throw failure }
            return ReportResultsResponse(applied: applied)
        }
        router.unary(Self.name, "ExtendLease") { (request: ExtendLeaseRequest, context) -> ExtendLeaseResponse in
            guard let lease = LeaseID(request.batchID) else { throw FieldViolation("batch_id", "is not a batch id this server issued") }
            if let gatewayID = await engine.scheduler.gateway(ofLease: lease) {
                try known.checkServes(context.peer, gatewayID: gatewayID.rawValue, access: access)
            }
            let duration = request.leaseMs == 0 ? nil : Duration.milliseconds(Int64(request.leaseMs))
            try await engine.waitUntilRestored()
            guard let expires = await engine.scheduler.extendLease(lease, by: duration) else {
                throw RPCError(.notFound, "batch \(request.batchID) has no open lease (its results are in, or it expired and was redelivered)")
            }
            return ExtendLeaseResponse(leaseExpiresAt: expires.timestamp)
        }
        router.unary(Self.name, "List") { (_: ListGatewaysRequest, _) -> ListGatewaysResponse in
            try await engine.waitUntilRestored()
            return ListGatewaysResponse(gateways: await engine.scheduler.statistics().map(\.message))
        }
    }
}

/// `som.v1.FieldWork`: what the mobile-workforce adapter calls — leased field activities out, completions in.
struct FieldWorkService: Sendable {
    static let name = "som.v1.FieldWork"
    let engine: OrderEngine
    /// Which crew pools a field adapter may pull.
    let access: AccessPolicy

    func register(in router: inout Router) {
        let engine = self.engine, access = self.access
        router.serverStreaming(Self.name, "Pull") { (request: PullFieldWorkRequest, batches: MessageWriter<FieldWorkBatch>, context) in
            try access.checkPool(context.peer, pool: request.pool)
            let lease = request.leaseMs == 0 ? nil : Duration.milliseconds(Int64(request.leaseMs))
            let maxItems = request.maxItems == 0 ? nil : Int(request.maxItems)
            try await engine.waitUntilRestored()
            while !Task.isCancelled {
                let seen = engine.newWork.current
                let (items, events) = await engine.scheduler.pullFieldWork(pool: request.pool, maxItems: maxItems, lease: lease)
                if let failure = await engine.handle(events), !items.isEmpty { throw failure }
                if !items.isEmpty {
                    try await batches.write(FieldWorkBatch(items: items))
                    continue
                }
                await engine.newWork.wait(beyond: seen, until: .now + GatewaysService.idleWait)
                try Task.checkCancellation()
            }
        }
        router.unary(Self.name, "Update") { (request: FieldWorkUpdateRequest, context) -> FieldWorkUpdateResponse in
            try FieldChecks.identifier(request.activityID, "activity_id")
            try await engine.waitUntilRestored()
            try await Self.checkPool(of: request.activityID, context.peer, access: access, engine: engine)
            let (applied, failure) = await engine.report(.update(request))
            if let failure { throw failure }
            return FieldWorkUpdateResponse(applied: applied)
        }
        router.unary(Self.name, "Complete") { (request: CompleteFieldWorkRequest, context) -> CompleteFieldWorkResponse in
            try FieldChecks.identifier(request.activityID, "activity_id")
            for (index, reading) in request.readings.enumerated() {
                do throws(FieldViolation) { try FieldChecks.timestamp(reading.readAt, "read_at", required: true) } catch { throw error.prefixed("readings[\(index)]") }
            }
            try await engine.waitUntilRestored()
            try await Self.checkPool(of: request.activityID, context.peer, access: access, engine: engine)
            let (applied, failure) = await engine.report(.complete(request))
            if let failure { throw failure }
            return CompleteFieldWorkResponse(applied: applied)
        }
        router.unary(Self.name, "NotDone") { (request: NotDoneFieldWorkRequest, context) -> NotDoneFieldWorkResponse in
            try FieldChecks.identifier(request.activityID, "activity_id")
            try FieldChecks.known(request.reason, "reason", unspecified: .unspecified)
            try await engine.waitUntilRestored()
            try await Self.checkPool(of: request.activityID, context.peer, access: access, engine: engine)
            let (applied, failure) = await engine.report(.notDone(request))
            if let failure { throw failure }
            return NotDoneFieldWorkResponse(applied: applied)
        }
        router.unary(Self.name, "AcknowledgeCancel") { (request: AcknowledgeCancelRequest, context) -> AcknowledgeCancelResponse in
            try FieldChecks.identifier(request.activityID, "activity_id")
            try await engine.waitUntilRestored()
            try await Self.checkPool(of: request.activityID, context.peer, access: access, engine: engine)
            let (applied, failure) = await engine.acknowledgeFieldWorkCancel(activityID: ActivityID(request.activityID))
            if let failure { throw failure }
            return AcknowledgeCancelResponse(applied: applied)
        }
        router.unary(Self.name, "Stats") { (_: FieldWorkStatsRequest, _) -> FieldWorkStatsResponse in
            try await engine.waitUntilRestored()
            let stats = await engine.scheduler.fieldWorkStatistics
            return FieldWorkStatsResponse(
                queued: UInt64(stats.queued), dispatched: stats.dispatched, completed: stats.completed,
                notDone: stats.notDone, leaseExpiries: stats.leaseExpiries)
        }
    }

    /// A pool-limited field adapter reports only on activities of its pools (an unknown or
    /// finished activity is left to the handler, which answers `applied = false`).
    static func checkPool(of activityID: String, _ peer: PeerCredentials, access: AccessPolicy, engine: OrderEngine) async throws(AccessDenied) {
        guard access.pools(of: peer) != nil, let pool = await engine.scheduler.fieldWorkPool(ActivityID(activityID)) else { return }
        do throws(AccessDenied) { try access.checkPool(peer, pool: pool) } catch {
            throw AccessDenied("activity \(activityID) is in crew pool \(pool.isEmpty ? "(any)" : pool); " + error.description)
        }
    }
}

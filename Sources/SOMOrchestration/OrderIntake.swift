public import SOMCodec

/// How a valid request becomes a stored order: status RECEIVED, its effective priority and, for a
/// reconnect for payment, its deadline. What happens next is the orchestrator's business.
public enum OrderIntake {
    /// Time a reconnect for payment has from intake (or from its requested time, if later).
    public static let reconnectDeadline: Duration = .seconds(24 * 3600)

    /// The default priority of each order type (DOMAIN.md: safety, reconnect, service changes,
    /// meter work, cuts, reads and device work).
    public static func defaultPriority(_ type: OrderType) -> Priority {
        switch type {
        case .reconnectForPayment: return .reconnect
        case .enableService, .disableService, .backToBack: return .serviceChange
        case .exchangeMeter, .installMeter, .removeMeter: return .meterWork
        case .cutForNonPayment: return .cutForNonPayment
        default: return .readsAndDeviceWork
        }
    }

    /// The order to store for a validated `request` received at `now`.
    public static func newOrder(_ request: ServiceOrderRequest, now: Timestamp) -> Order {
        var order = Order()
        order.request = request
        order.status = .received
        order.effectivePriority = request.priority == .unspecified ? defaultPriority(request.orderType) : request.priority
        if request.orderType == .reconnectForPayment {
            let start = max(now, request.requestedAt ?? now)
            order.deadline = start.adding(reconnectDeadline)
        }
        return order
    }
}

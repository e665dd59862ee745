public import SOMCodec

/// Which statuses end an order.
public enum Lifecycle {
    /// COMPLETED, FAILED, CANCELLED, SUPERSEDED and REJECTED are final.
    public static func isTerminal(_ status: OrderStatus) -> Bool {
        switch status {
        case .completed, .failed, .cancelled, .superseded, .rejected: return true
        default: return false
        }
    }
}

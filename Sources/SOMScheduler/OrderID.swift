/// A service order; the queues find an order's commands and field work by it.
public struct OrderID: StringIdentifier {
    public let rawValue: String

    /// The order named `rawValue`.
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

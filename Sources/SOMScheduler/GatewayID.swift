/// A head-end gateway, as the registry and the adapters name it; each has its own command queue.
public struct GatewayID: StringIdentifier {
    public let rawValue: String

    /// The gateway named `rawValue`.
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

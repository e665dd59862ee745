/// One activity of an order (a command or a field visit), `<order id>-A<n>` as `OrderWork.create`
/// makes it. A command attempt goes out under a `CommandAttemptID`, field work under this id.
public struct ActivityID: StringIdentifier {
    public let rawValue: String

    /// The activity named `rawValue`.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The order the id names, or nil when it is not of the form `<order id>-A<n>`: it lets a
    /// report for an activity the queue forgot (a restart, a late report) still reach its order.
    public var orderID: OrderID? {
        guard let a = rawValue.lastIndex(of: "A"), a > rawValue.startIndex else { return nil }
        let dash = rawValue.index(before: a)
        let number = rawValue[rawValue.index(after: a)...]
        guard rawValue[dash] == "-", !number.isEmpty, number.allSatisfy(\.isNumber) else { return nil }
        return OrderID(String(rawValue[..<dash]))
    }
}

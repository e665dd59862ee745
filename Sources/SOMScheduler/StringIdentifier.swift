/// An id that is a plain string on the wire and a type of its own here, so a gateway's id cannot
/// be passed where an activity's is wanted. String literals (interpolated too) convert, for tests
/// and constants; a `String` value converts only by `init(_:)`, at the edge where it was read.
public protocol StringIdentifier: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The wire form.
    var rawValue: String { get }
    /// The id whose wire form is `rawValue`.
    init(_ rawValue: String)
}

extension StringIdentifier {
    public init(stringLiteral value: String) { self.init(value) }

    public init(stringInterpolation: DefaultStringInterpolation) { self.init(String(stringInterpolation: stringInterpolation)) }

    public var description: String { rawValue }

    /// Whether the wire form is empty (an id the caller left out).
    public var isEmpty: Bool { rawValue.isEmpty }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

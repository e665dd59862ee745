/// Why text is not a JSON document: what was wrong and at which byte (0-based) of the input.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 0-based byte offset in the input where the problem was found.
    public let offset: Int
    /// What is wrong there.
    public let message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}

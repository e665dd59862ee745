extension JSONValue {
    /// How deeply arrays and objects may nest; deeper input is refused so recursion stays bounded.
    public static let maxNestingDepth = 100

    /// Parses one JSON document (RFC 8259, UTF-8); anything but whitespace after it is an error.
    public init(parsing bytes: some Collection<UInt8>) throws(JSONParseError) {
        // Results rather than throws: the buffer accessors only rethrow untyped errors.
        let result = bytes.withContiguousStorageIfAvailable { JSONParser.parse($0) }
            ?? Array(bytes).withUnsafeBufferPointer { JSONParser.parse($0) }
        self = try result.get()
    }

    /// Parses one JSON document from a string.
    public init(parsing text: String) throws(JSONParseError) {
        var text = text
        self = try text.withUTF8 { JSONParser.parse($0) }.get()
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text (same as `serialized()`).
    public var description: String { serialized() }

    /// Compact JSON text: no whitespace between tokens, members in stored order.
    public func serialized() -> String {
        var bytes: [UInt8] = []
        serialize(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the compact JSON text as UTF-8, so many documents can share one buffer.
    public func serialize(into bytes: inout [UInt8]) {
        switch self {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let value): bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
        case .number(let text): bytes.append(contentsOf: text.utf8)
        case .string(let text): Self.serializeString(text, into: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                element.serialize(into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (position, (name, value)) in members.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                Self.serializeString(name, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                value.serialize(into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Escapes only what RFC 8259 requires (quote, backslash, controls); other UTF-8 is written as is.
    private static func serializeString(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { serializeUTF8($0, into: &bytes) }
        if copied == nil { Array(text.utf8).withUnsafeBufferPointer { serializeUTF8($0, into: &bytes) } }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Copies runs that need no escape in one step.
    private static func serializeUTF8(_ utf8: UnsafeBufferPointer<UInt8>, into bytes: inout [UInt8]) {
        var runStart = 0
        for (position, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<position]))
            runStart = position + 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): appendEscape(byte, into: &bytes)
            case 0x0A: appendEscape(UInt8(ascii: "n"), into: &bytes)
            case 0x0D: appendEscape(UInt8(ascii: "r"), into: &bytes)
            case 0x09: appendEscape(UInt8(ascii: "t"), into: &bytes)
            case 0x08: appendEscape(UInt8(ascii: "b"), into: &bytes)
            case 0x0C: appendEscape(UInt8(ascii: "f"), into: &bytes)
            default:
                appendEscape(UInt8(ascii: "u"), into: &bytes)
                bytes.append(UInt8(ascii: "0"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(hexDigit(byte >> 4))
                bytes.append(hexDigit(byte & 0xF))
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }

    private static func appendEscape(_ letter: UInt8, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(letter)
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}

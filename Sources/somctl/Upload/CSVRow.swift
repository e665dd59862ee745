/// Splits one CSV record (RFC 4180) into its fields.
enum CSVRow {
    enum Parsed: Equatable {
        case fields([String])
        /// A quoted field is still open: the record goes on on the next line.
        case unterminated
        case invalid(String)
    }

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")

    static func parse(_ bytes: [UInt8]) -> Parsed {
        var fields: [String] = []
        var field: [UInt8] = []
        var index = 0
        while true {
            field.removeAll(keepingCapacity: true)
            if index < bytes.count, bytes[index] == quote {
                index += 1
                while true {
                    guard index < bytes.count else { return .unterminated }
                    let byte = bytes[index]
                    index += 1
                    if byte != quote {
                        field.append(byte)
                    } else if index < bytes.count, bytes[index] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        break
                    }
                }
                if index < bytes.count, bytes[index] != comma {
                    return .invalid("field \(fields.count + 1): a closing quote must end the field (write \"\" for a quote inside it)")
                }
            } else {
                // A quote inside an unquoted field is taken literally, as most writers expect.
                while index < bytes.count, bytes[index] != comma {
                    field.append(bytes[index])
                    index += 1
                }
            }
            fields.append(String(decoding: field, as: UTF8.self))
            guard index < bytes.count else { return .fields(fields) }
            index += 1  // the comma
        }
    }
}

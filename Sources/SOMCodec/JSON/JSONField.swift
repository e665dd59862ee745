/// What generated message code calls to write and read each field, so the mapping rules live here
/// once: defaults omitted on output, `null` read as the default, error paths built on the way out.
enum JSONField {
    typealias Members = [(String, JSONValue)]

    // MARK: output

    static func write<T: JSONFieldCodable>(_ name: String, _ value: T, into members: inout Members) {
        if !value.isJSONDefault { members.append((name, value.fieldJSON())) }
    }

    static func writeMessage<M: ProtoJSONMessage>(_ name: String, _ value: M?, into members: inout Members) throws(JSONMappingError) {
        guard let value else { return }
        do throws(JSONMappingError) {
            members.append((name, try value.jsonValue()))
        } catch {
            throw error.within(name)
        }
    }

    static func writeRepeated<T: JSONFieldCodable>(_ name: String, _ values: [T], into members: inout Members) {
        if !values.isEmpty { members.append((name, .array(values.map { $0.fieldJSON() }))) }
    }

    static func writeMessages<M: ProtoJSONMessage>(_ name: String, _ values: [M], into members: inout Members) throws(JSONMappingError) {
        guard !values.isEmpty else { return }
        var elements: [JSONValue] = []
        elements.reserveCapacity(values.count)
        for (position, value) in values.enumerated() {
            do throws(JSONMappingError) {
                elements.append(try value.jsonValue())
            } catch {
                throw error.within("[\(position)]").within(name)
            }
        }
        members.append((name, .array(elements)))
    }

    // MARK: input

    /// The members of the object a message is read from.
    static func members(of json: JSONValue, messageName: String) throws(JSONMappingError) -> Members {
        guard case .object(let members) = json else { throw .expected("JSON object for \(messageName)", got: json) }
        return members
    }

    static func read<T: JSONFieldCodable>(_ json: JSONValue) throws(JSONMappingError) -> T {
        if case .null = json { return T.jsonDefault }
        return try T(fieldJSON: json)
    }

    static func readMessage<M: ProtoJSONMessage>(_ json: JSONValue) throws(JSONMappingError) -> M? {
        if case .null = json { return nil }
        return try M(json: json)
    }

    static func readRepeated<T: JSONFieldCodable>(_ json: JSONValue) throws(JSONMappingError) -> [T] {
        try readArray(json) { (element) throws(JSONMappingError) in try T(fieldJSON: element) }
    }

    static func readMessages<M: ProtoJSONMessage>(_ json: JSONValue) throws(JSONMappingError) -> [M] {
        try readArray(json) { (element) throws(JSONMappingError) in try M(json: element) }
    }

    private static func readArray<T>(_ json: JSONValue, _ readElement: (JSONValue) throws(JSONMappingError) -> T) throws(JSONMappingError) -> [T] {
        switch json {
        case .null:
            return []
        case .array(let elements):
            var values: [T] = []
            values.reserveCapacity(elements.count)
            for (position, element) in elements.enumerated() {
                do throws(JSONMappingError) {
                    if case .null = element { throw JSONMappingError("null is not allowed in a repeated field") }
                    values.append(try readElement(element))
                } catch {
                    throw error.within("[\(position)]")
                }
            }
            return values
        default:
            throw .expected("array", got: json)
        }
    }
}

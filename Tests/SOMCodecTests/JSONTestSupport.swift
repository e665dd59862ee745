import Foundation
import SOMCodec
import Testing

/// JSON conversions for a message named at run time, so one test covers every type.
struct AnyJSONCodec: Sendable {
    let binaryToJSON: @Sendable ([UInt8]) throws -> JSONValue
    let jsonToBinary: @Sendable (JSONValue) throws -> [UInt8]
    /// True when the JSON reads to the same message as the bytes decode to (compared re-encoded, so NaN equals NaN).
    let jsonMatchesBinary: @Sendable (JSONValue, [UInt8]) throws -> Bool
    /// Decodes the bytes, writes compact JSON text, reads it back and re-encodes.
    let textRoundTrip: @Sendable ([UInt8]) throws -> [UInt8]

    init<M: ProtoJSONMessage>(_ type: M.Type) {
        binaryToJSON = { bytes in try M(decoding: bytes).jsonValue() }
        jsonToBinary = { json in try M(json: json).encoded() }
        jsonMatchesBinary = { json, bytes in try M(json: json).encoded() == M(decoding: bytes).encoded() }
        textRoundTrip = { bytes in try M(jsonString: M(decoding: bytes).jsonString()).encoded() }
    }
}

/// Every generated message type that has the JSON mapping, by protobuf name.
let jsonCodecsByName: [String: AnyJSONCodec] = {
    var result: [String: AnyJSONCodec] = [:]
    for type in allMessageTypes {
        if let jsonType = type as? any ProtoJSONMessage.Type { result[type.protoName] = makeJSONCodec(jsonType) }
    }
    return result
}()

private func makeJSONCodec<M: ProtoJSONMessage>(_ type: M.Type) -> AnyJSONCodec { AnyJSONCodec(type) }

/// One row of Fixtures/json/manifest.tsv, written by tools/make-json-fixtures.sh.
struct JSONGolden: CustomStringConvertible, Sendable {
    let messageType: String
    let binaryPath: String
    /// Nil when the reference implementation refused to write the message as JSON.
    let goldenPath: String?
    let referenceError: String?

    var description: String { goldenPath ?? binaryPath }

    static let manifest: [JSONGolden] = {
        let path = (Fixture.directory as NSString).appendingPathComponent("json/manifest.tsv")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return JSONGolden(
                messageType: columns[0], binaryPath: columns[1],
                goldenPath: columns[2] == "-" ? nil : columns[2],
                referenceError: columns.count > 3 && columns[3] != "-" ? columns[3] : nil)
        }
    }()

    static var withGolden: [JSONGolden] { manifest.filter { $0.goldenPath != nil } }
    static var refused: [JSONGolden] { manifest.filter { $0.goldenPath == nil } }

    func bytes() throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: (Fixture.directory as NSString).appendingPathComponent(binaryPath))))
    }

    func golden() throws -> JSONValue {
        let path = (Fixture.directory as NSString).appendingPathComponent(try #require(goldenPath))
        return try JSONValue(parsing: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
    }
}

extension JSONValue {
    /// Equal as JSON data: object members in any order, numbers by value (integers exactly).
    func isEquivalent(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.object(let a), .object(let b)):
            let left = Dictionary(a, uniquingKeysWith: { first, _ in first })
            let right = Dictionary(b, uniquingKeysWith: { first, _ in first })
            guard left.count == a.count, right.count == b.count, left.count == right.count else { return false }
            return left.allSatisfy { name, value in right[name].map { value.isEquivalent(to: $0) } ?? false }
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isEquivalent(to: $1) }
        case (.number(let a), .number(let b)):
            let isInteger = { (text: String) in !text.contains(where: { ".eE".contains($0) }) }
            if isInteger(a), isInteger(b) { return a == b || (Int(a) == 0 && Int(b) == 0) }
            guard let x = Double(a), let y = Double(b) else { return false }
            return x == y && x.sign == y.sign
        default:
            return self == other
        }
    }
}

/// Parses `text` as a message, expecting a mapping error; returns it for closer checks.
func mappingError<M: ProtoJSONMessage>(_ type: M.Type, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONMappingError? {
    do {
        let message = try M(jsonString: text)
        Issue.record("expected an error, got \(message)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

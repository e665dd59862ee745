import SOMCodec
import Testing

@Suite("proto3 JSON golden vectors from Python protobuf (json_format)", .timeLimit(.minutes(2)))
struct JSONGoldenTests {
    @Test("every message type maps to JSON and has a golden vector")
    func everyTypeHasAGolden() {
        #expect(!JSONGolden.manifest.isEmpty, "Fixtures/json/manifest.tsv is missing; run tools/make-json-fixtures.sh")
        let missingConformance = allMessageTypes.map { $0.protoName }.filter { jsonCodecsByName[$0] == nil }
        #expect(missingConformance.isEmpty, "not ProtoJSONMessage: \(missingConformance)")
        let covered = Set(JSONGolden.withGolden.map(\.messageType))
        let uncovered = allMessageTypes.map { $0.protoName }.filter { !covered.contains($0) }
        #expect(uncovered.isEmpty, "no golden JSON for \(uncovered)")
    }

    @Test("protoc's bytes decode to the golden JSON", arguments: JSONGolden.withGolden)
    func binaryToJSON(_ golden: JSONGolden) throws {
        let codec = try #require(jsonCodecsByName[golden.messageType])
        let ours = try codec.binaryToJSON(golden.bytes())
        let reference = try golden.golden()
        #expect(ours.isEquivalent(to: reference), "\(golden): ours \(ours)\nreference \(reference)")
    }

    @Test("the golden JSON reads back to protoc's bytes", arguments: JSONGolden.withGolden)
    func jsonToBinary(_ golden: JSONGolden) throws {
        let codec = try #require(jsonCodecsByName[golden.messageType])
        let bytes = try golden.bytes(), json = try golden.golden()
        #expect(try codec.jsonMatchesBinary(json, bytes), "\(golden)")
        let fromGolden = try codec.jsonToBinary(json)
        // Our own compact text reads back to the same message too.
        let fromOurText = try codec.textRoundTrip(bytes)
        withKnownIssue("protobuf-c 1.4 packs a proto3 double only when it compares != 0, so -0.0 is dropped") {
            #expect(fromGolden == bytes, "\(golden)")
            #expect(fromOurText == bytes, "\(golden)")
        } when: {
            golden.binaryPath.hasSuffix("double_negative_zero.bin")
        }
    }

    @Test("what the reference refuses to write as JSON is refused here too", arguments: JSONGolden.refused)
    func refusedByReference(_ golden: JSONGolden) throws {
        let codec = try #require(jsonCodecsByName[golden.messageType])
        #expect(throws: JSONMappingError.self, "reference said: \(golden.referenceError ?? "")") {
            try codec.binaryToJSON(golden.bytes())
        }
    }
}

import SOMCodec
import SOMTestSupport
import Testing

@Suite("Malformed input never crashes the codec", .timeLimit(.minutes(2)))
struct CodecMalformedInputTests {
    static let inputsPerType = 10_000

    /// Truncations, bit flips and random bytes around a valid sample: each decodes to a value or a CodecError.
    @Test("10,000 random and truncated inputs per message type", arguments: allMessageTypeNames)
    func randomAndTruncatedInputs(_ typeName: String) throws {
        let codec = try #require(codecsByName[typeName])
        let sample = try Fixture.load("samples/\(typeName)").bytes
        // Seeded from the name (String.hashValue differs per process) so failures reproduce.
        var rng = SplitMix64(state: typeName.utf8.reduce(0x5eed) { $0 &* 31 &+ UInt64($1) })
        var decoded = 0, rejected = 0
        for index in 0..<Self.inputsPerType {
            let input: [UInt8]
            switch index % 4 {
            case 0 where !sample.isEmpty:
                input = Array(sample.prefix(index / 4 % sample.count))  // every truncation, cycled
            case 1 where !sample.isEmpty:
                var flipped = sample
                for _ in 0..<(1 + index % 3) {
                    flipped[Int.random(in: 0..<flipped.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                }
                input = flipped
            case 2 where !sample.isEmpty:
                // A valid prefix followed by garbage: the usual shape of a corrupted frame.
                let keep = Int.random(in: 0...sample.count, using: &rng)
                input = Array(sample.prefix(keep)) + (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            default:
                input = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
            do {
                try codec.decodeOnly(input)
                decoded += 1
            } catch is CodecError {
                rejected += 1
            }
        }
        #expect(decoded + rejected == Self.inputsPerType)
        // Random garbage must be rejected at least sometimes, or the decoder is not checking anything.
        #expect(rejected > 0)
    }

    @Test("specific malformed shapes give CodecError.malformed")
    func specificShapes() {
        let cases: [(String, [UInt8])] = [
            ("length past the end", [0x0A, 0x05, 0x61]),
            ("truncated varint", [0x10, 0xFF]),
            ("field number zero", [0x00, 0x01]),
            ("end-group without start", [0x0C]),
            ("wire type 7", [0x0F, 0x00]),
            ("sub-message with a bad inner length", [0x12, 0x02, 0x0A, 0x09]),
        ]
        for (name, bytes) in cases {
            #expect(throws: CodecError.self, "\(name)") { try Order(decoding: bytes) }
        }
    }
}

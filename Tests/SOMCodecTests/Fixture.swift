import Foundation
import SOMCodec
import SOMTestSupport

/// A golden fixture: the text-format source and the bytes `protoc --encode` made from it.
struct Fixture: CustomStringConvertible, Sendable {
    let name: String
    let messageType: String
    let text: String
    let bytes: [UInt8]

    var description: String { name }

    static let directory = PackagePaths.path("Tests/SOMCodecTests/Fixtures")

    static func load(_ relativeName: String) throws -> Fixture {
        let base = (directory as NSString).appendingPathComponent(relativeName)
        let text = try String(contentsOfFile: base + ".txtpb", encoding: .utf8)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: base + ".bin")))
        let type = text.split(separator: "\n").first { $0.hasPrefix("# proto-message:") }
            .map { $0.dropFirst("# proto-message:".count).trimmingCharacters(in: .whitespaces) } ?? ""
        return Fixture(name: relativeName, messageType: type, text: text, bytes: bytes)
    }

    /// Every generated sample (all fields set, and the enum sweeps).
    static func samples() throws -> [Fixture] {
        let dir = (directory as NSString).appendingPathComponent("samples")
        return try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".txtpb") }
            .sorted()
            .map { try load("samples/" + String($0.dropLast(".txtpb".count))) }
    }
}

/// Runs the reference implementation, `protoc --decode`, on `bytes`.
func protocDecode(_ type: String, _ bytes: [UInt8]) throws -> String {
    guard let protoc = ProcessRunner.which("protoc") else {
        throw FixtureError.missingTool("protoc (apt-get install protobuf-compiler; tools/test installs it)")
    }
    let protoDir = PackagePaths.path("proto")
    let files = try FileManager.default.contentsOfDirectory(atPath: protoDir + "/som/v1").filter { $0.hasSuffix(".proto") }.sorted()
    let output = try ProcessRunner.run(
        protoc, ["--proto_path=.", "--proto_path=/usr/include", "--decode=\(type)"] + files.map { "som/v1/\($0)" },
        stdin: bytes, currentDirectory: protoDir)
    guard output.status == 0 else { throw FixtureError.protocFailed(output.stderr) }
    return output.stdoutText
}

enum FixtureError: Error {
    case missingTool(String)
    case protocFailed(String)
    case unknownType(String)
}

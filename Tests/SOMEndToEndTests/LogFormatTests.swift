import Foundation
import SOMClient
import SOMCodec
import SOMTestSupport
import SOMTransport
import Testing

/// `--log-format json`: one JSON object per line, and the request id on a call's lines.
@Suite("somd's JSON logs", .timeLimit(.minutes(5)), .enabled(if: SomdBinary.path != nil, SomdBinary.missingReason))
struct LogFormatTests {
    @Test("every line is a JSON object with timestamp, level and message; a call's line carries the caller's request id")
    func jsonLines() async throws {
        let directory = try TemporaryDirectory(prefix: "som-jsonlog")
        defer { directory.remove() }
        let somd = try SomdProcess.launch(
            binary: try #require(SomdBinary.path), socketPath: directory.appending("som.sock"),
            dataPath: directory.appending("data"), logPath: directory.appending("somd.log"),
            extraArguments: ["--log-format", "json", "--log-level", "debug"])
        defer { somd.stop() }
        try await somd.waitUntilServing()
        let client = SOMClient(socketPath: somd.socketPath)
        _ = try await client.submit(
            ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "J-1", orderType: .offCycleRead, servicePointID: "SP-J"),
            options: CallOptions(metadata: ["request-id": "req-4711"]))
        _ = try await client.health()
        await client.close()
        somd.terminate()
        _ = try await somd.waitForExit()

        let text = String(decoding: FileManager.default.contents(atPath: somd.logPath) ?? Data(), as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count >= 3)
        var objects: [[String: Any]] = []
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "not a JSON object: \(line)")
            if let object { objects.append(object) }
        }
        for object in objects {
            #expect((object["timestamp"] as? String)?.hasSuffix("Z") == true, "\(object)")
            #expect(object["level"] is String && object["message"] is String, "\(object)")
        }
        let submitCall = objects.first {
            ($0["metadata"] as? [String: Any])?["method"] as? String == "/som.v1.Orders/Submit" && $0["message"] as? String == "call"
        }
        let metadata = try #require(submitCall?["metadata"] as? [String: Any], "no call line for Submit in:\n\(text.suffix(3000))")
        #expect(metadata["request_id"] as? String == "req-4711")
        #expect(metadata["code"] as? String == "OK")
        #expect(metadata["peer_uid"] as? String == String(getuid()))
        // A call without a request id gets one made up: 16 hex digits.
        let healthCall = objects.first { ($0["metadata"] as? [String: Any])?["method"] as? String == "/som.v1.Admin/Health" }
        let madeUp = try #require((healthCall?["metadata"] as? [String: Any])?["request_id"] as? String)
        #expect(madeUp.count == 16 && madeUp.allSatisfy(\.isHexDigit))
    }
}

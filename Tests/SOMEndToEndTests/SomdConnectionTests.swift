import Foundation
import NIOCore
import SOMCodec
import SOMRPC
import SOMTestSupport
import Testing

/// Resident memory of process `pid` in KiB (VmRSS of /proc/PID/status).
func residentKiB(_ pid: Int32) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }
    return nil
}

/// Open descriptors of process `pid`.
func descriptorCount(_ pid: Int32) -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
}

@Suite("somd's connection options and limits, seen from outside the process", .timeLimit(.minutes(3)),
       .enabled(if: SomdBinary.path != nil, SomdBinary.missingReason))
struct SomdConnectionTests {
    /// Runs somd with `arguments` for `body`, and stops it whatever happens.
    func withSomd(_ arguments: [String], _ body: (SomdProcess) async throws -> Void) async throws {
        let directory = try TemporaryDirectory(prefix: "som-conn")
        defer { directory.remove() }
        let somd = try SomdProcess.launch(
            binary: try #require(SomdBinary.path), socketPath: directory.appending("som.sock"),
            dataPath: directory.appending("data"), logPath: directory.appending("somd.log"),
            // The raw clients' tasks can wait seconds for a thread in a full parallel run.
            extraArguments: ["--handshake-timeout", "60"] + arguments)
        defer { somd.stop() }
        try await somd.waitUntilServing()
        try await body(somd)
    }

    @Test("--idle-timeout is announced in SETTINGS and closes an idle connection")
    func idleTimeoutOption() async throws {
        try await withSomd(["--idle-timeout", "1"]) { somd in
            let raw = try await RawConnection(socketPath: somd.socketPath)
            // If this task waits more than a second for a thread, somd has closed already: the
            // SETTINGS and GOAWAY it sent are read either way.
            try? await raw.sendBytes(Preface.bytes)
            try? await raw.send(.settings(ConnectionLimits(), agent: "raw"))
            let settings = try await raw.nextFrame { $0.type == .settings }.decodePayload(as: ConnectionSettings.self)
            #expect(settings.idleTimeoutMs == 1000)
            let goAway = try await raw.nextFrame(within: .seconds(10)) { $0.type == .goAway }.decodePayload(as: GoAway.self)
            #expect(goAway.code == RPCStatus.Code.ok.rawValue && goAway.reason == "idle timeout")
            try await raw.close()
        }
    }

    @Test("a client with huge credit that never reads EchoStream's 100k × 1 KiB does not grow somd, three times over, and gives everything back; descriptors return after 100 refusals")
    func stuckReaderAndRefusalsInSomd() async throws {
        try await withSomd(["--max-connections", "1"]) { somd in
            let before = try #require(residentKiB(somd.pid))
            let idleDescriptors = descriptorCount(somd.pid)
            for cycle in 1...3 {
                let raw = try await stuckEchoStream(somd.socketPath)
                // Unbounded, a debug somd grows by ~8 MiB/s here (all 100k messages would be >100 MiB);
                // bounded, by the 256 KiB queue and the 256 KiB socket buffer.
                var largest = before
                for _ in 0..<50 {
                    largest = max(largest, residentKiB(somd.pid) ?? 0)
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(largest - before < 8 << 10, "cycle \(cycle): somd grew from \(before) KiB to \(largest) KiB")
                try await raw.close()
                let closed = try await eventuallyAsync { descriptorCount(somd.pid) <= idleDescriptors }
                #expect(closed, "cycle \(cycle): somd holds \(descriptorCount(somd.pid)) descriptors, \(idleDescriptors) before")
            }
            let after = residentKiB(somd.pid) ?? 0
            #expect(after - before < 8 << 10, "after three stuck clients somd went from \(before) KiB to \(after) KiB")

            let raw = try await stuckEchoStream(somd.socketPath)
            // The stuck client holds the only ordinary slot; the test's uid is somd's own, so it
            // may use the 4 reserved slots: fill them (with handshaken connections, which cannot be
            // evicted) until somd refuses. The count is not assumed: the health check's connection
            // may still be closing.
            var reserved: [RawConnection] = []
            var refusedOnce = false
            for _ in 0..<8 where !refusedOnce {
                let extra = try await RawConnection(socketPath: somd.socketPath)
                if try await extra.nextFrame({ $0.type == .settings || $0.type == .goAway }).type == .goAway {
                    refusedOnce = true
                    try await extra.close()
                } else {
                    // Preface, SETTINGS, and a PING whose answer shows somd has read them.
                    try await extra.sendBytes(Preface.bytes)
                    try await extra.send(.settings(ConnectionLimits(), agent: "raw"))
                    try await extra.send(.ping(1))
                    _ = try await extra.nextFrame { $0.type == .ping && $0.flags.contains(.ack) }
                    reserved.append(extra)
                }
            }
            #expect(refusedOnce && reserved.count <= 4, "\(reserved.count) connections beyond the limit were served")
            let descriptors = descriptorCount(somd.pid)
            for _ in 0..<100 {
                let refused = try await RawConnection(socketPath: somd.socketPath)
                let goAway = try await refused.nextFrame { $0.type == .goAway }.decodePayload(as: GoAway.self)
                #expect(goAway.code == RPCStatus.Code.resourceExhausted.rawValue)
                try await eventually { refused.isClosed }
                try await refused.close()
            }
            let released = try await eventuallyAsync { descriptorCount(somd.pid) <= descriptors }
            #expect(released, "somd descriptors before: \(descriptors), after: \(descriptorCount(somd.pid))")
            for extra in reserved { try await extra.close() }
            try await raw.close()
        }
    }

    /// A connection that announces the largest credit, asks EchoStream for 100k × 1 KiB, and never reads.
    func stuckEchoStream(_ socket: String) async throws -> RawConnection {
        let raw = try await RawConnection(socketPath: socket, reading: false)
        try await raw.sendPrefaceAndSettings(ConnectionSettings(initialStreamCredit: .max))
        try await raw.send(.headers(streamID: 1, CallHeader(method: "/som.v1.Admin/EchoStream")))
        let request = EchoMessage(payload: [UInt8](repeating: 7, count: 1024), repeat: 100_000)
        try await raw.send(.message(streamID: 1, request.encoded(), endStream: true))
        return raw
    }
}

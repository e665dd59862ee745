import Foundation
import SOMCodec
import SOMRPC
import SOMTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// somd's one configuration: `--config-file`, then `SOM_*`, then flags; `somd config check`; SIGHUP.
@Suite("somd's settings file, environment and SIGHUP", .timeLimit(.minutes(5)),
       .enabled(if: SomdBinary.path != nil, SomdBinary.missingReason))
struct ConfigFileTests {
    func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The idle time-out a running somd announces in SETTINGS, in seconds.
    func announcedIdleTimeout(_ somd: SomdProcess) async throws -> UInt64 {
        let raw = try await RawConnection(socketPath: somd.socketPath)
        try await raw.sendBytes(Preface.bytes)
        try await raw.send(.settings(ConnectionLimits(), agent: "raw"))
        let settings = try await raw.nextFrame { $0.type == .settings }.decodePayload(as: ConnectionSettings.self)
        try await raw.close()
        return UInt64(settings.idleTimeoutMs) / 1000
    }

    @Test("a flag beats SOM_*, which beats the file; without them the file's value holds")
    func precedence() async throws {
        let directory = try TemporaryDirectory(prefix: "som-config")
        defer { directory.remove() }
        let file = directory.appending("somd.json")
        try write(#"{"idle-timeout": 100, "handshake-timeout": 60}"#, to: file)
        let binary = try #require(SomdBinary.path)
        for (environment, flags, expected) in [([String: String](), [String](), UInt64(100)),
                                                (["SOM_IDLE_TIMEOUT": "200"], [], 200),
                                                (["SOM_IDLE_TIMEOUT": "200"], ["--idle-timeout", "300"], 300)] {
            let somd = try SomdProcess.launch(
                binary: binary, socketPath: directory.appending("som.sock"), dataPath: directory.appending("data"),
                logPath: directory.appending("somd.log"), extraArguments: ["--config-file", file] + flags, environment: environment)
            defer { somd.stop() }
            try await somd.waitUntilServing()
            #expect(try await announcedIdleTimeout(somd) == expected, "env \(environment), flags \(flags)")
            somd.terminate()
            #expect(try await somd.waitForExit() == .init(signalled: false, status: 0))
        }
    }

    @Test("somd config check prints the effective settings (file, then SOM_*), and refuses unknown keys and bad values")
    func configCheck() throws {
        let directory = try TemporaryDirectory(prefix: "som-config-check")
        defer { directory.remove() }
        let binary = try #require(SomdBinary.path)
        let good = directory.appending("good.json")
        try write(#"{"data": "/var/lib/som", "max-connections": 512, "unsafe-no-sync": true, "allow-uids": [1001, 1002]}"#, to: good)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SOM_") }
        environment["SOM_MAX_CONNECTIONS"] = "300"
        let checked = try ProcessRunner.run(binary, ["config", "check", good], environment: environment)
        #expect(checked.status == 0, "\(checked.stderr)")
        let settings = try #require(try JSONSerialization.jsonObject(with: Data(checked.stdout)) as? [String: Any])
        #expect(settings["data"] as? String == "/var/lib/som")
        #expect(settings["max-connections"] as? Int == 300)
        #expect(settings["unsafe-no-sync"] as? Bool == true)
        #expect(settings["allow-uids"] as? String == "1001,1002")
        #expect(settings["idle-timeout"] as? Int == 300)

        // Every serve flag is a settings key, and the other way round (a new flag must join ConfigSources).
        let help = try ProcessRunner.run(binary, ["serve", "--help"], environment: environment).stdoutText
        let flags = Set(help.matches(of: try Regex("--([a-z][a-z-]+)")).map { String(help[$0.range].dropFirst(2)) })
            .subtracting(["help", "version", "config-file"])
        #expect(flags == Set(settings.keys), "flags without a key: \(flags.subtracting(settings.keys)); keys without a flag: \(Set(settings.keys).subtracting(flags))")

        for (text, reason) in [(#"{"max-conections": 5}"#, "unknown setting \"max-conections\""),
                               (#"{"max-connections": 0}"#, "--max-connections must be at least 1"),
                               (#"{"unsafe-no-sync": "yes"}"#, "unsafe-no-sync is on or off"),
                               (#"["not", "an", "object"]"#, "not a JSON object")] {
            environment["SOM_MAX_CONNECTIONS"] = nil
            let bad = directory.appending("bad.json")
            try write(text, to: bad)
            let refused = try ProcessRunner.run(binary, ["config", "check", bad], environment: environment)
            #expect(refused.status == 1, "\(text): \(refused.status)")
            #expect(refused.stderr.contains(reason), "\(text): \(refused.stderr)")
            // serve refuses the same file before touching anything.
            let serve = try ProcessRunner.run(binary, ["--config-file", bad, "--data", directory.appending("never")], environment: environment)
            #expect(serve.status != 0 && serve.stderr.contains(reason), "\(text): \(serve.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory.appending("never")))
        }
    }

    @Test("SIGHUP reloads the business rules (the guardrail limit changes), and keeps them when the file is bad",
          .enabled(if: MetricsScrape.python != nil, MetricsScrape.missingPython))
    func sighupReload() async throws {
        let directory = try TemporaryDirectory(prefix: "som-sighup")
        defer { directory.remove() }
        let rules = directory.appending("rules.json")
        try write(#"{"guardrail": {"perGateway": 10, "total": 100}}"#, to: rules)
        let port = try await MetricsScrape.freePort()
        let somd = try SomdProcess.launch(
            binary: try #require(SomdBinary.path), socketPath: directory.appending("som.sock"),
            dataPath: directory.appending("data"), logPath: directory.appending("somd.log"),
            extraArguments: ["--config", rules, "--metrics-listen", "127.0.0.1:\(port)", "--log-level", "info"])
        defer { somd.stop() }
        try await somd.waitUntilServing()
        let url = "http://127.0.0.1:\(port)/metrics"
        #expect(try MetricsScrape.fetch(url).value("som_guardrail_window_limit") == 100)

        try write(#"{"guardrail": {"perGateway": 10, "total": 250}}"#, to: rules)
        kill(somd.pid, SIGHUP)
        #expect(try await logEventually(somd, contains: "business rules reloaded"), "log:\n\(somd.logTail())")
        #expect(try MetricsScrape.fetch(url).value("som_guardrail_window_limit") == 250)

        // Invalid limits, not JSON, and a window change (which needs a restart): each refused, the rules stay.
        let refused = [#"{"guardrail": {"total": -1}}"#, "{not json", #"{"guardrail": {"total": 300, "windowMinutes": 5}}"#]
        for (index, bad) in refused.enumerated() {
            try write(bad, to: rules)
            kill(somd.pid, SIGHUP)
            #expect(try await logEventually(somd, contains: "NOT reloaded", count: index + 1), "log:\n\(somd.logTail())")
            #expect(try MetricsScrape.fetch(url).value("som_guardrail_window_limit") == 250, "after \(bad)")
        }
        #expect(somd.exited == nil)
    }

    /// Waits until the log holds `text` at least `count` times.
    func logEventually(_ somd: SomdProcess, contains text: String, count: Int = 1) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let log = String(decoding: FileManager.default.contents(atPath: somd.logPath) ?? Data(), as: UTF8.self)
            if log.components(separatedBy: text).count - 1 >= count { return true }
            // Polling interval only: the line is what is waited for.
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}

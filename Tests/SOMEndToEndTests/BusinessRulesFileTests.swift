import Foundation
import SOMCodec
import SOMOrchestration
import SOMServer
import SOMTestSupport
import Testing

@Suite("The business-rules file", .timeLimit(.minutes(1)))
struct BusinessRulesFileTests {
    func load(_ json: String) throws -> (BusinessInputs, OrchestrationPolicy) {
        try withTemporaryDirectorySync { directory in
            let path = directory.appending("rules.json")
            try Data(json.utf8).write(to: URL(fileURLWithPath: path))
            return try BusinessRulesFile.load(path)
        }
    }

    @Test("calendar, regional calendars and guardrail are read; omitted fields keep their defaults")
    func reads() throws {
        let (inputs, policy) = try load("""
            {"calendar": {"closedWeekdays": ["sunday"], "holidays": ["2026-12-25"], "cutoffHour": 16},
             "regions": {"NORTH": {"utcOffsetMinutes": 120}},
             "guardrail": {"perGateway": 5, "windowMinutes": 10}}
            """)
        #expect(inputs.calendar.closedWeekdays == [.sunday])
        #expect(inputs.calendar.holidays == [CivilDate(2026, 12, 25)])
        #expect(inputs.calendar.cutoffHour == 16 && inputs.calendar.openingHour == 8)
        let north = inputs.forRegion("NORTH").calendar
        #expect(north.utcOffsetSeconds == 7200 && north.closedWeekdays == [.sunday] && north.cutoffHour == 16)
        #expect(inputs.forRegion("SOUTH").calendar == inputs.calendar)
        #expect(policy.guardrail.perGateway == 5 && policy.guardrail.total == 2000 && policy.guardrail.window == .seconds(600))
    }

    @Test("an IANA time zone from tzdata gives daylight-saving local times; crew pools are read")
    func timeZones() throws {
        let (inputs, _) = try load("""
            {"calendar": {"timeZone": "Europe/Berlin", "utcOffsetMinutes": 0},
             "regions": {"WEST": {"timeZone": "America/New_York"}, "FIXED": {"utcOffsetMinutes": 60}},
             "crewPools": {"NORTH": "RX"}}
            """)
        let berlin = inputs.calendar
        #expect(berlin.zone?.name == "Europe/Berlin")
        // 2026-03-29 01:00Z and 2026-10-25 01:00Z are Berlin's transitions.
        #expect(berlin.offset(at: Timestamp(seconds: 1_774_746_000 - 1)) == 3600 && berlin.offset(at: Timestamp(seconds: 1_774_746_000)) == 7200)
        #expect(berlin.offset(at: Timestamp(seconds: 1_792_890_000 - 1)) == 7200 && berlin.offset(at: Timestamp(seconds: 1_792_890_000)) == 3600)
        // The nonexistent 02:30 on 2026-03-29 and the repeated 02:30 on 2026-10-25.
        #expect(berlin.instant(CivilDate(2026, 3, 29), secondOfDay: 9000) == Timestamp(seconds: 1_774_746_000 + 1800))
        #expect(berlin.instant(CivilDate(2026, 10, 25), secondOfDay: 9000) == Timestamp(seconds: 1_792_890_000 - 1800))
        // New York: EDT (-4) in July, EST (-5) in January.
        let west = inputs.forRegion("WEST").calendar
        #expect(west.offset(at: Timestamp(seconds: 1_783_000_000)) == -4 * 3600 && west.offset(at: Timestamp(seconds: 1_768_000_000)) == -5 * 3600)
        let fixed = inputs.forRegion("FIXED").calendar
        #expect(fixed.zone == nil && fixed.utcOffsetSeconds == 3600)
        #expect(inputs.crewPool(region: "NORTH") == "RX" && inputs.crewPool(region: "SOUTH") == "SOUTH")
    }

    @Test("bad files are refused with the field named")
    func refuses() {
        for (json, fragment) in [
            (#"{"calendar": {"closedWeekdays": ["funday"]}}"#, "unknown weekday funday"),
            (#"{"calendar": {"holidays": ["2026-13-01"]}}"#, "not a YYYY-MM-DD date"),
            (#"{"regions": {"X": {"openingHour": 20, "cutoffHour": 10}}}"#, "regions.X hours"),
            (#"{"guardrail": {"perGateway": 0}}"#, "guardrail limits"),
            (#"{"regions": {"X": {"timeZone": "Mars/Olympus"}}}"#, "regions.X.timeZone: Mars/Olympus is not a known IANA time zone"),
            ("not json", "not a valid rules file"),
        ] {
            do {
                _ = try load(json)
                Issue.record("\(json) was accepted")
            } catch {
                #expect("\(error)".contains(fragment), "\(error)")
            }
        }
    }
}

func withTemporaryDirectorySync<R>(_ body: (TemporaryDirectory) throws -> R) throws -> R {
    let directory = try TemporaryDirectory(prefix: "som-rules")
    defer { directory.remove() }
    return try body(directory)
}

import Foundation
import SOMOrchestration
import SOMServer
import SOMTestSupport
import Testing

@Suite("The business-rules file")
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

    @Test("bad files are refused with the field named")
    func refuses() {
        for (json, fragment) in [
            (#"{"calendar": {"closedWeekdays": ["funday"]}}"#, "unknown weekday funday"),
            (#"{"calendar": {"holidays": ["2026-13-01"]}}"#, "not a YYYY-MM-DD date"),
            (#"{"regions": {"X": {"openingHour": 20, "cutoffHour": 10}}}"#, "regions.X hours"),
            (#"{"guardrail": {"perGateway": 0}}"#, "guardrail limits"),
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

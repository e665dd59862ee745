import Foundation
import SOMClient
import SOMCodec
import SOMOrchestration
import SOMServer
import SOMTestSupport
import Testing

/// Issue 10 item 8 over the socket: a rules file naming IANA zones (real tzdata), a server using
/// it, and cuts held until the local window opens on the days the clocks change.
@Suite("Disconnect calendars in IANA time zones, end to end", .timeLimit(.minutes(1)))
struct DaylightSavingCalendarTests {
    /// The last Sunday of `month` that is at least two days away.
    static func nextLastSunday(month: Int) -> CivilDate {
        let today = CivilDate(daysSinceEpoch: Int(Date().timeIntervalSince1970) / 86_400)
        for year in today.year...(today.year + 1) {
            var day = CivilDate(year, month + 1, 1).adding(days: -1)
            while day.weekday != .sunday { day = day.adding(days: -1) }
            if day.daysSinceEpoch >= today.daysSinceEpoch + 2 { return day }
        }
        return today
    }

    /// Every day from yesterday to a year and a half on is a holiday except `open`, so the next
    /// opening is on that day whatever the date the test runs (dates past are skipped).
    static func region(zone: String, open: CivilDate, openingHour: Int) -> String {
        let today = CivilDate(daysSinceEpoch: Int(Date().timeIntervalSince1970) / 86_400)
        var holidays: [String] = []
        var day = today.adding(days: -1)
        while day.daysSinceEpoch <= open.daysSinceEpoch + 1 {
            if day != open { holidays.append("\"\(day)\"") }
            day = day.adding(days: 1)
        }
        return """
            {"timeZone": "\(zone)", "closedWeekdays": [], "closedBeforeHolidays": false,
             "openingHour": \(openingHour), "cutoffHour": 15, "holidays": [\(holidays.joined(separator: ","))]}
            """
    }

    @Test("a cut held until the window opens on the next spring and autumn change-over days opens at the right local time")
    func heldUntilLocalOpening() async throws {
        // Europe's next change-over days: the last Sundays of March (02:00 → 03:00) and October (03:00 → 02:00).
        let spring = Self.nextLastSunday(month: 3), autumn = Self.nextLastSunday(month: 10)
        let json = """
            {"regions": {"SPRING": \(Self.region(zone: "Europe/Berlin", open: spring, openingHour: 8)),
                         "AUTUMN": \(Self.region(zone: "Europe/Berlin", open: autumn, openingHour: 2))}}
            """
        let (rules, _) = try withTemporaryDirectorySync { directory in
            let path = directory.appending("rules.json")
            try Data(json.utf8).write(to: URL(fileURLWithPath: path))
            return try BusinessRulesFile.load(path)
        }
        try await withSimulatedServer(simulate: false, rules: rules) { socket, _ in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            try await upsert(client, ["SPRING", "AUTUMN"].map {
                ServicePointDevice(servicePointID: "SP-\($0)", meterID: "M-\($0)", technology: .smartWithSwitch, gatewayID: "GW-Z",
                                   commissioned: true, supplyState: .connected, region: $0)
            })
            var opens: [String: Timestamp] = [:]
            for region in ["SPRING", "AUTUMN"] {
                let id = try await submitOrder(client, ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "Z-\(region)", orderType: .cutForNonPayment, servicePointID: "SP-\(region)"))
                let held = try await waitForOrder(client, id) { $0.status == .held }
                #expect(held.holdReason == .disconnectCalendar, "\(held.statusDetail)")
                opens[region] = held.nextCheckAt
            }
            // 08:00 CEST on the spring day is 06:00Z (a fixed winter offset would say 07:00Z).
            #expect(opens["SPRING"] == Timestamp(seconds: Int64(spring.daysSinceEpoch) * 86_400 + 6 * 3600))
            // 02:00 on the autumn day happens twice; the window opens at the first, 02:00 CEST = 00:00Z.
            #expect(opens["AUTUMN"] == Timestamp(seconds: Int64(autumn.daysSinceEpoch) * 86_400))
        }
    }
}

import Foundation
public import SOMOrchestration

/// The business-rules file somd reads with `--config` (JSON): the disconnect calendar and the
/// mass-disconnect guardrail.
///
/// ```json
/// {"calendar": {"timeZone": "Europe/Berlin", "closedWeekdays": ["saturday", "sunday"],
///               "holidays": ["2026-12-25", "2026-12-26"], "closedBeforeHolidays": true,
///               "openingHour": 8, "cutoffHour": 15},
///  "regions": {"NORTH": {"timeZone": "Europe/Helsinki", "holidays": ["2026-12-24"]},
///              "ISLAND": {"utcOffsetMinutes": 0}},
///  "crewPools": {"NORTH": "RX"},
///  "guardrail": {"perGateway": 200, "total": 2000, "windowMinutes": 60}}
/// ```
/// `timeZone` is an IANA name (tzdata in /usr/share/zoneinfo): local hours follow its daylight
/// saving. `utcOffsetMinutes` is a fixed offset, the fallback for a calendar without a zone (a
/// calendar naming both uses the zone). `crewPools` maps a device region to the crew pool its
/// field work goes to; a region not named there is its own pool.
/// A region's calendar (keyed by the device's `region`) starts from the top-level one and
/// overrides what it names.
/// Every field is optional; a missing one keeps the default (UTC, weekends closed, 08:00–15:00,
/// closed the day before a holiday). Moratoria are set at run time (`somctl moratorium`).
public struct BusinessRulesFile: Decodable, Sendable {
    struct Calendar: Decodable, Sendable {
        var timeZone: String?
        var utcOffsetMinutes: Int?
        var closedWeekdays: [String]?
        var holidays: [String]?
        var closedBeforeHolidays: Bool?
        var openingHour: Int?
        var cutoffHour: Int?
    }

    struct Guardrail: Decodable, Sendable {
        var perGateway: Int?
        var total: Int?
        var windowMinutes: Int?
    }

    var calendar: Calendar?
    var regions: [String: Calendar]?
    var guardrail: Guardrail?
    var crewPools: [String: String]?

    /// Why a rules file was refused.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads and checks the file at `path`: the rule inputs and the policy it sets.
    public static func load(_ path: String) throws(Invalid) -> (BusinessInputs, OrchestrationPolicy) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw Invalid(description: "cannot read \(path): \(error.localizedDescription)")
        }
        let file: BusinessRulesFile
        do { file = try JSONDecoder().decode(BusinessRulesFile.self, from: data) } catch {
            throw Invalid(description: "\(path) is not a valid rules file: \(error)")
        }
        return (try file.inputs(path), try file.policy(path))
    }

    func policy(_ path: String) throws(Invalid) -> OrchestrationPolicy {
        var policy = OrchestrationPolicy.standard
        if let given = guardrail {
            if let perGateway = given.perGateway { policy.guardrail.perGateway = perGateway }
            if let total = given.total { policy.guardrail.total = total }
            if let minutes = given.windowMinutes { policy.guardrail.window = .seconds(Int64(minutes) * 60) }
            guard policy.guardrail.perGateway > 0, policy.guardrail.total > 0, policy.guardrail.window > .zero else {
                throw Invalid(description: "\(path): guardrail limits and window must be positive")
            }
        }
        return policy
    }

    func inputs(_ path: String) throws(Invalid) -> BusinessInputs {
        let base = try Self.calendar(self.calendar, over: DisconnectCalendar(), path, "calendar")
        var inputs = BusinessInputs(calendar: base)
        inputs.crewPools = crewPools ?? [:]
        for (region, given) in regions ?? [:] {
            inputs.regionalCalendars[region] = try Self.calendar(given, over: base, path, "regions.\(region)")
        }
        return inputs
    }

    static func calendar(_ given: Calendar?, over start: DisconnectCalendar, _ path: String, _ field: String) throws(Invalid) -> DisconnectCalendar {
        var calendar = start
        if let given {
            if let minutes = given.utcOffsetMinutes {
                guard (-14 * 60...14 * 60).contains(minutes) else { throw Invalid(description: "\(path): \(field).utcOffsetMinutes must be within ±840") }
                calendar.utcOffsetSeconds = minutes * 60
                calendar.zone = nil
            }
            if let name = given.timeZone {
                guard let zone = Self.zone(name) else { throw Invalid(description: "\(path): \(field).timeZone: \(name) is not a known IANA time zone") }
                calendar.zone = zone
            }
            if let names = given.closedWeekdays {
                var days: Set<Weekday> = []
                for name in names {
                    guard let day = Weekday.allCases.first(where: { "\($0)" == name.lowercased() }) else {
                        throw Invalid(description: "\(path): \(field).closedWeekdays: unknown weekday \(name)")
                    }
                    days.insert(day)
                }
                calendar.closedWeekdays = days
            }
            if let holidays = given.holidays {
                var dates: Set<CivilDate> = []
                for text in holidays {
                    let parts = text.split(separator: "-").compactMap { Int($0) }
                    guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else {
                        throw Invalid(description: "\(path): \(field).holidays: \(text) is not a YYYY-MM-DD date")
                    }
                    dates.insert(CivilDate(parts[0], parts[1], parts[2]))
                }
                calendar.holidays = dates
            }
            if let before = given.closedBeforeHolidays { calendar.closedBeforeHolidays = before }
            if let opening = given.openingHour { calendar.openingHour = opening }
            if let cutoff = given.cutoffHour { calendar.cutoffHour = cutoff }
        }
        guard (0...24).contains(calendar.openingHour), (0...24).contains(calendar.cutoffHour), calendar.openingHour < calendar.cutoffHour else {
            throw Invalid(description: "\(path): \(field) hours must satisfy 0 <= openingHour < cutoffHour <= 24")
        }
        return calendar
    }

    /// The years whose daylight-saving transitions a zone carries; outside them its offset stays
    /// as at the nearest end.
    static let zoneYears = (from: 2000, to: 2100)

    /// The offsets of IANA zone `name` over `zoneYears`, read from tzdata through Foundation.
    static func zone(_ name: String) -> ZoneOffsets? {
        guard let timeZone = TimeZone(identifier: name) else { return nil }
        var calendar = Foundation.Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let start = calendar.date(from: DateComponents(year: zoneYears.from, month: 1, day: 1)),
              let end = calendar.date(from: DateComponents(year: zoneYears.to, month: 12, day: 31)) else { return nil }
        var transitions: [(atSeconds: Int64, offsetSeconds: Int)] = []
        var cursor = start
        while let next = timeZone.nextDaylightSavingTimeTransition(after: cursor), next < end {
            transitions.append((Int64(next.timeIntervalSince1970.rounded()), timeZone.secondsFromGMT(for: next)))
            cursor = next
        }
        return ZoneOffsets(name: name, initialOffsetSeconds: timeZone.secondsFromGMT(for: start), transitions: transitions)
    }
}

import Foundation
import PasserelleCore
import Testing

@testable import PasserelleStages
import PasserelleSpec

/// Grace periods in Europe/Paris across daylight-saving changes (domain.md rule 4), hand-checked.
@Suite struct OfficeMembershipTests {
    static func date(_ y: Int, _ m: Int, _ d: Int) throws -> CalendarDate {
        try #require(CalendarDate(year: y, month: m, day: d))
    }

    /// Told Saturday 25/03/2023 10:00 (UTC+1); clocks go forward Sunday 26/03 at 02:00. 48 elapsed hours
    /// end Monday 27/03/2023 09:00 UTC, which is 11:00 in Paris (UTC+2).
    @Test func fortyEightHoursAcrossTheSpringChangeEndAtElevenOnTheParisClock() throws {
        let told = ParisTime.instant(try Self.date(2023, 3, 25), hour: 10, minute: 0)
        #expect(told == Date(timeIntervalSince1970: 1_679_734_800))
        let grace = GracePeriod(notifiedAt: told, hours: 48)
        #expect(grace.deadline == Date(timeIntervalSince1970: 1_679_907_600))
        #expect(ParisTime.text(grace.deadline) == "27/03/2023 11:00")
        #expect(!grace.hasPassed(at: grace.deadline.addingTimeInterval(-1)))
        #expect(grace.hasPassed(at: grace.deadline))
        #expect(grace.hasPassed(at: grace.deadline.addingTimeInterval(1)))
        // Monday 10:00 on the Paris clock is not yet the deadline: only 47 hours have gone by.
        #expect(!grace.hasPassed(at: ParisTime.instant(try Self.date(2023, 3, 27), hour: 10, minute: 59)))
    }

    /// Told Friday 27/10/2023 18:00 (UTC+2); clocks go back Sunday 29/10 at 03:00. 72 elapsed hours end
    /// Monday 30/10/2023 16:00 UTC, which is 17:00 in Paris (UTC+1).
    @Test func seventyTwoHoursAcrossTheAutumnChangeEndAtFiveOnTheParisClock() throws {
        let told = ParisTime.instant(try Self.date(2023, 10, 27), hour: 18, minute: 0)
        #expect(told == Date(timeIntervalSince1970: 1_698_422_400))
        let grace = GracePeriod(notifiedAt: told, hours: 72)
        #expect(grace.deadline == Date(timeIntervalSince1970: 1_698_681_600))
        #expect(ParisTime.text(grace.deadline) == "30/10/2023 17:00")
        #expect(!grace.hasPassed(at: grace.deadline.addingTimeInterval(-1)))
        #expect(grace.hasPassed(at: grace.deadline))
        // 18:00 on the Monday's clock is past: 73 hours have gone by.
        #expect(grace.hasPassed(at: ParisTime.instant(try Self.date(2023, 10, 30), hour: 17, minute: 0)))
        #expect(!grace.hasPassed(at: ParisTime.instant(try Self.date(2023, 10, 30), hour: 16, minute: 59)))
    }

    @Test func parisTimesAreReadInEitherNotation() throws {
        let expected = Date(timeIntervalSince1970: 1_679_734_800)
        #expect(ParisTime.parse("2023-03-25 10:00") == expected)
        #expect(ParisTime.parse("25/03/2023 10:00") == expected)
        #expect(ParisTime.parse("2023-03-25T10:00") == expected)
        #expect(ParisTime.parse("2023-03-25") == nil)
        #expect(ParisTime.parse("2023-03-25 25:00") == nil)
    }

    @Test func eachOfficeKeepsItsOwnGracePeriodAndOthersTakeTheDefault() throws {
        let folder = try TestSupport.temporaryDirectory()
        let file = folder.appendingPathComponent("offices.yml")
        try Data(
            """
            default_grace_hours: 60
            offices:
              OT A: { email: a@ot.example, grace_hours: 48 }
              OT B: { grace_hours: 72 }
            """.utf8
        ).write(to: file)
        let config = try OfficeConfiguration.load(path: file.path)
        #expect(config.graceHours(of: "OT A") == 48)
        #expect(config.graceHours(of: "OT B") == 72)
        #expect(config.graceHours(of: "OT C") == 60)
        try Data("offices:\n  OT A: { grace_hours: 96 }\n".utf8).write(to: file)
        let error = #expect(throws: SideFileError.self) { try OfficeConfiguration.load(path: file.path) }
        #expect(
            error?.diagnostics.map(\.rendered) == [
                """
                \(file.path):2:24: error: 'offices.OT A.grace_hours' is '96', expected a number of hours from 48 to 72 \
                [offices.bad_value]
                  fix: give the office's grace period in hours
                """
            ])
    }

    @Test func anUnknownKeyOfTheOfficesFileIsAnErrorAtItsLineWithADidYouMean() throws {
        let folder = try TestSupport.temporaryDirectory()
        let file = folder.appendingPathComponent("offices.yml")
        try Data("default_grace_hours: 60\noffices:\n  OT A: { email: a@ot.example, grace_hour: 72 }\n".utf8)
            .write(to: file)
        let error = #expect(throws: SideFileError.self) { try OfficeConfiguration.load(path: file.path) }
        #expect(
            error?.diagnostics.map(\.rendered) == [
                """
                \(file.path):3:32: error: unknown key 'grace_hour' in office 'OT A' [spec.unknown_key]
                  fix: did you mean 'grace_hours'?
                """
            ])
    }
}

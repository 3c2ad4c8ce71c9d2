import Foundation
import PasserelleCore
import Testing

@testable import PasserelleStages

/// The `datetime` column type that reads when a refuge booking was taken (Europe/Paris wall-clock time).
@Suite struct RefugeDateTimeTests {
    static let spec = ColumnSpec(name: "booked_at", headers: ["Réservé le"], type: .datetime)

    static func parsed(_ cell: CellValue) -> String? {
        guard case .success(.dateTime(let value)) = ValueParser.parse(cell, as: spec) else { return nil }
        return value.description
    }

    @Test func readsFrenchAndISODateTimes() {
        #expect(Self.parsed(.text("14/07/2026 17:45")) == "2026-07-14T17:45:00")
        #expect(Self.parsed(.text("14/07/2026 17h45")) == "2026-07-14T17:45:00")
        #expect(Self.parsed(.text("2026-07-14 17:45:30")) == "2026-07-14T17:45:30")
        #expect(Self.parsed(.text("2026-07-14T07:05")) == "2026-07-14T07:05:00")
    }

    @Test func convertsZonedTimesToParisTime() {
        #expect(Self.parsed(.text("2026-07-14T15:45:00Z")) == "2026-07-14T17:45:00")  // summer: UTC+2
        #expect(Self.parsed(.text("2026-01-14T16:45:00Z")) == "2026-01-14T17:45:00")  // winter: UTC+1
        #expect(Self.parsed(.text("2026-07-14T17:45:00+02:00")) == "2026-07-14T17:45:00")
        #expect(Self.parsed(.text("2026-07-14T23:30:00-0400")) == "2026-07-15T05:30:00")
    }

    @Test func readsSpreadsheetDateTimes() throws {
        let day = try #require(CalendarDate(year: 2026, month: 7, day: 14))
        #expect(Self.parsed(.date(day, secondsOfDay: 63_900)) == "2026-07-14T17:45:00")
        #expect(Self.parsed(.number(46_217.75)) == "2026-07-14T18:00:00")
    }

    @Test func refusesADateWithoutTimeWithAFrenchReason() {
        let result = ValueParser.parse(.text("14/07/2026"), as: Self.spec)
        #expect(
            result
                == .failure(
                    ValueProblem(
                        rule: "ingest.value.datetime", message: "date et heure illisibles : « 14/07/2026 »",
                        fix: "saisissez la date et l'heure au format jj/mm/aaaa hh:mm, par exemple 14/07/2026 17:45")))
        #expect(Self.parsed(.text("14/07/2026 25:00")) == nil)
    }

    @Test func showsAndStoresTheTimeToTheMinute() throws {
        let value = Value.dateTime(
            LocalDateTime(date: try #require(CalendarDate(year: 2026, month: 7, day: 14)), hour: 9, minute: 5))
        #expect(value.frenchText == "14/07/2026 09:05")
        #expect(value.storageText == "2026-07-14T09:05:00")
    }
}

import Foundation
import PasserelleCore
import PasserelleEngine
import Testing

@testable import PasserelleStages

/// `ingest.ical` and the iCalendar snapshot diff of `output.store_channel_bookings` (issue 6, formats.md 1a).
@Suite struct ICalIngestTests {
    @Test func unfoldsCRLFFoldsAndSkipsTheBOM() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: ChannelTestSupport.fixture("airbnb-folded.ics")))
        let (lines, malformed) = ICalendarLines.parse(data)
        #expect(malformed.isEmpty)
        #expect(lines.first?.name == "BEGIN")
        let description = try #require(lines.first { $0.name == "DESCRIPTION" })
        #expect(
            ICalendarLines.unescape(description.value)
                == "Reservation URL: https://www.airbnb.com/hosting/reservations/details/HMABCDEF12\nPhone Number (Last 4 Digits): 4235")
        let prodid = try #require(lines.first { $0.name == "PRODID" })
        #expect(prodid.parameters["X-RICAL-TZSOURCE"] == "TZINFO")
    }

    @Test func rejoinsAMultiByteCharacterSplitByATabFold() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: ChannelTestSupport.fixture("abritel-split-char.ics")))
        let summary = try #require(ICalendarLines.parse(data).lines.first { $0.name == "SUMMARY" })
        #expect(summary.value == String(repeating: "x", count: 66) + "Réservée - Hélène")
    }

    @Test func undoesTextEscapes() {
        #expect(ICalendarLines.unescape(#"-//admin.booking.com\, b.v.//a\;b\\c\nd"#) == "-//admin.booking.com, b.v.//a;b\\c\nd")
    }

    @Test func readsAllDayEventsWithExclusiveEndAndOneDayWithoutEnd() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try ChannelTestSupport.run(
            ChannelTestSupport.icalYAML([("airbnb-folded.ics", "CHA-EDEL", nil)]), in: folder)
        let rows = try ChannelTestSupport.result(report, "calendars").output.tables["rows"]
        #expect(ChannelTestSupport.column(rows, "arrival") == ["2027-01-02", "2027-01-15"])
        #expect(ChannelTestSupport.column(rows, "departure") == ["2027-01-09", "2027-01-16"])
        #expect(ChannelTestSupport.column(rows, "kind") == ["reserved", "blocked"])
        #expect(ChannelTestSupport.column(rows, "channel") == ["Airbnb", "Airbnb"])
    }

    @Test func convertsUTCAndZonedTimesToTheParisDateAndIgnoresCancelledEvents() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try ChannelTestSupport.run(
            ChannelTestSupport.icalYAML([("booking-timed.ics", "CHA-EDEL", nil)]), in: folder)
        let calendars = try ChannelTestSupport.result(report, "calendars")
        let rows = calendars.output.tables["rows"]
        // 23:00 UTC on 10 December is 00:00 on 11 December in Paris; 20:00 in New York on 20 December is 02:00
        // on 21 December in Paris.
        #expect(ChannelTestSupport.column(rows, "arrival") == ["2026-12-11", "2026-12-21", "2026-12-26", "2026-12-29"])
        #expect(ChannelTestSupport.column(rows, "departure") == ["2026-12-12", "2026-12-22", "2026-12-28", "2026-12-30"])
        #expect(ChannelTestSupport.column(rows, "kind") == ["closed", "reserved", "closed", "closed"])
        #expect(ChannelTestSupport.column(rows, "guest_name") == ["", "Jean Dupont", "", ""])
        #expect(ChannelTestSupport.column(rows, "blocking") == ["true", "true", "false", "false"])
        #expect(ChannelTestSupport.column(rows, "channel").allSatisfy { $0 == "Booking.com" })
        let stored = try ChannelTestSupport.result(report, "store").output.tables["new_bookings"]
        #expect(stored?.rows.count == 2)
        #expect(calendars.output.rowsIn == 4 && calendars.rowsRejected == 0)
    }

    @Test func classifiesAbritelSummariesAndRejectsMalformedEventsWithTheirLine() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try ChannelTestSupport.run(
            ChannelTestSupport.icalYAML([("abritel-malformed.ics", "GITE-LAC", nil)]), in: folder)
        let calendars = try ChannelTestSupport.result(report, "calendars")
        let rows = calendars.output.tables["rows"]
        #expect(ChannelTestSupport.column(rows, "kind") == ["reserved", "tentative", "blocked"])
        #expect(ChannelTestSupport.column(rows, "guest_name") == ["Melanie", "Sylvie", ""])
        #expect(calendars.rejected.map(\.rule) == ["ingest.ical.malformed_line", "ingest.ical.missing_uid", "ingest.ical.end_before_start"])
        #expect(calendars.rejected.compactMap(\.location.line) == [22, 24, 32])
        let file = ChannelTestSupport.fixture("abritel-malformed.ics")
        #expect(
            calendars.rejected[0].rendered
                == "\(file):22: error: ligne iCalendar illisible (attendu NOM[;PARAMÈTRE=VALEUR]:valeur) [ingest.ical.malformed_line]\n"
                + "  fix: demandez au canal un flux conforme à la RFC 5545")
        // Conservation: 5 events and 1 bad line read = 3 kept + 3 rejected.
        #expect(calendars.output.rowsIn == calendars.output.rowsOut + calendars.rowsRejected)
    }

    @Test func aVanishedBookingIsACancellationAndARollingWindowIsAChangeNotANewBlock() throws {
        let folder = try TestSupport.temporaryDirectory()
        _ = try ChannelTestSupport.run(ChannelTestSupport.icalYAML([("airbnb-day1.ics", "CHA-EDEL", "edelweiss-airbnb")]), in: folder)
        let second = try ChannelTestSupport.run(
            ChannelTestSupport.icalYAML([("airbnb-day2.ics", "CHA-EDEL", "edelweiss-airbnb")]), in: folder)
        let store = try ChannelTestSupport.result(second, "store").output.tables
        #expect(store["new_bookings"]?.rows.isEmpty == true)
        #expect(ChannelTestSupport.column(store["cancelled_bookings"], "booking_key") == ["1418fb94e984-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb@airbnb.com"])
        #expect(ChannelTestSupport.column(store["changed_bookings"], "arrival") == ["2027-09-02"])
        #expect(ChannelTestSupport.column(store["changes"], "field") == ["arrival", "status"])
    }

    @Test func theSameFileTwiceChangesNothing() throws {
        let folder = try TestSupport.temporaryDirectory()
        let yaml = ChannelTestSupport.icalYAML([("airbnb-day1.ics", "CHA-EDEL", nil)])
        _ = try ChannelTestSupport.run(yaml, in: folder)
        let again = try ChannelTestSupport.run(yaml, in: folder)
        let store = try ChannelTestSupport.result(again, "store")
        #expect(store.output.tables["rows"]?.rows.isEmpty == true)
        #expect(store.changes.isEmpty)
        let forced = try ChannelTestSupport.run(yaml, in: folder, force: true)
        let tables = try ChannelTestSupport.result(forced, "store").output.tables
        #expect(tables["new_bookings"]?.rows.isEmpty == true && tables["cancelled_bookings"]?.rows.isEmpty == true)
        #expect(tables["changed_bookings"]?.rows.isEmpty == true)
    }
}

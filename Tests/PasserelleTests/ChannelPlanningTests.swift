import Foundation
import PasserelleCore
import PasserelleEngine
import Testing

@testable import PasserelleStages

/// `ingest.jsonl` and `validate.planning`: the shared planning of stays and channel bookings (issue 6).
@Suite struct ChannelPlanningTests {
    @Test func readsTheJSONLinesFeedAndAppliesItsMessagesInOrder() throws {
        let folder = try TestSupport.temporaryDirectory()
        let yaml = """
            name: jsonl-test
            stages:
              bookings: { kind: ingest.jsonl, options: { path: \(ChannelTestSupport.fixture("bookings.jsonl")), feed: smoobu } }
              store: { kind: output.store_channel_bookings, inputs: [bookings] }
            """
        let report = try ChannelTestSupport.run(yaml, in: folder)
        let bookings = try ChannelTestSupport.result(report, "bookings")
        #expect(ChannelTestSupport.column(bookings.output.tables["rows"], "action") == ["commit", "commit", "modify", "cancel"])
        #expect(ChannelTestSupport.column(bookings.output.tables["rows"], "amount") == ["1250.00", "420.50", "1400.00", ""])
        #expect(ChannelTestSupport.column(bookings.output.tables["rows"], "guests") == ["3", "", "3", ""])
        #expect(bookings.rejected.map(\.rule) == ["ingest.jsonl.missing_field", "ingest.jsonl.malformed_line"])
        #expect(bookings.rejected.compactMap(\.location.line) == [6, 7])
        #expect(bookings.output.rowsIn == bookings.output.rowsOut + bookings.rowsRejected)
        let store = try ChannelTestSupport.result(report, "store").output.tables
        #expect(ChannelTestSupport.column(store["new_bookings"], "booking_key") == ["BDC-9996013801", "ABB-HM4242", "BDC-9996013801/2"])
        #expect(ChannelTestSupport.column(store["cancelled_bookings"], "booking_key") == ["BDC-9996013801", "ABB-HM4242"])
    }

    @Test func aStayMirroredInTwoFeedsIsOneStayAndANightSoldTwiceIsAnAlert() throws {
        let folder = try TestSupport.temporaryDirectory()
        let yaml = ChannelTestSupport.icalYAML(
            [("mirror-airbnb.ics", "CHA-EDEL", nil), ("mirror-booking.ics", "CHA-EDEL", nil)], planning: true)
        let report = try ChannelTestSupport.run(yaml, in: folder)
        let planning = try ChannelTestSupport.result(report, "planning")
        let mirrors = planning.output.tables["mirrors"]
        #expect(ChannelTestSupport.column(mirrors, "arrival") == ["2027-02-06"])
        #expect(mirrors?.rows.count == 1)
        let overlaps = planning.output.tables["overlaps"]
        #expect(overlaps?.rows.count == 1)
        #expect(ChannelTestSupport.column(overlaps, "nights") == ["2"])
        #expect(planning.findings.map(\.rule) == ["validate.planning.double_sale"])
        let message = try #require(planning.findings.first?.message)
        #expect(message.contains("Booking.com mirror-booking:doublesaledoublesaledoublesale00@booking.com"))
        #expect(message.hasPrefix("2 nuit(s) vendue(s) deux fois sur l'hébergement CHA-EDEL : "))
    }

    @Test func foldsMirrorsOnlyWhenOneSideNamesNoGuest() {
        func at(_ feed: String?, email: Bool) -> PlanningOccupation {
            let stay = StayRecord(
                reference: feed ?? "R-1", accommodationCode: "A", lastName: "X", firstName: "Y", email: email ? "x@y.fr" : "",
                arrival: CalendarDate(year: 2027, month: 2, day: 6) ?? CalendarDate(daysSinceEpoch: 0),
                departure: CalendarDate(year: 2027, month: 2, day: 13) ?? CalendarDate(daysSinceEpoch: 0), status: .confirmed)
            var occupation = PlanningOccupation(stay: stay)
            occupation.feed = feed
            return occupation
        }
        let (kept, mirrors) = PlanningMerge.foldMirrors([at(nil, email: true), at("airbnb", email: false)])
        #expect(kept.count == 1 && mirrors.count == 1)
        let (twoSales, none) = PlanningMerge.foldMirrors([at(nil, email: true), at("ota", email: true)])
        #expect(twoSales.count == 2 && none.isEmpty)
        #expect(PlanningMerge.doubleSales(twoSales).count == 1)
    }
}

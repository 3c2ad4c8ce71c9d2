import Foundation
import PasserelleCore
import PasserelleEngine
import Testing

@testable import PasserelleStages

/// `ingest.ota_xml` (issue 6, formats.md 1b): statuses, DecimalPlaces, DTD refusal, the OpenTravel corpus.
@Suite struct OTAXMLIngestTests {
    static func yaml(_ path: String, accommodations: String = "{ HTL-EDEL/CHALET: CHA-EDEL }") -> String {
        """
        name: ota-test
        stages:
          messages:
            kind: ingest.ota_xml
            options: { path: \(path), feed: channel-manager, accommodations: \(accommodations) }
          store: { kind: output.store_channel_bookings, inputs: [messages] }
        """
    }

    @Test func readsCommitModifyAndCancelWithBookingDecimalPlaces() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try ChannelTestSupport.run(Self.yaml(ChannelTestSupport.fixture("ota")), in: folder)
        let rows = try ChannelTestSupport.result(report, "messages").output.tables["rows"]
        #expect(ChannelTestSupport.column(rows, "action") == ["commit", "modify", "cancel"])
        #expect(ChannelTestSupport.column(rows, "reservation_id") == ["4012345678", "4012345678", "4012345678"])
        #expect(ChannelTestSupport.column(rows, "accommodation_code") == ["CHA-EDEL", "CHA-EDEL", "CHA-EDEL"])
        // AmountAfterTax="32550" DecimalPlaces="2" is 325.50; the cancellation's Total has no DecimalPlaces.
        #expect(ChannelTestSupport.column(rows, "amount") == ["325.50", "341.00", "0.00"])
        #expect(ChannelTestSupport.column(rows, "guests") == ["3", "3", "3"])
        #expect(ChannelTestSupport.column(rows, "guest_name").first == "Pat Quinn")
        #expect(ChannelTestSupport.column(rows, "email").first == "pquinn.284664@guest.booking.com")
        #expect(ChannelTestSupport.column(rows, "channel").first == "Booking.com")
        #expect(ChannelTestSupport.column(rows, "arrival") == ["2027-03-06", "2027-03-07", "2027-03-07"])
        let store = try ChannelTestSupport.result(report, "store").output.tables
        // The modification cancels the first booking and adds a second revision; the cancellation releases it.
        #expect(ChannelTestSupport.column(store["new_bookings"], "booking_key") == ["4012345678", "4012345678/2"])
        #expect(ChannelTestSupport.column(store["cancelled_bookings"], "booking_key") == ["4012345678", "4012345678/2"])
    }

    @Test func messagesImportedAgainWithForceChangeNothing() throws {
        let folder = try TestSupport.temporaryDirectory()
        let yaml = Self.yaml(ChannelTestSupport.fixture("ota"))
        _ = try ChannelTestSupport.run(yaml, in: folder)
        let forced = try ChannelTestSupport.run(yaml, in: folder, force: true)
        let store = try ChannelTestSupport.result(forced, "store")
        #expect(store.output.tables["new_bookings"]?.rows.isEmpty == true)
        #expect(store.output.tables["cancelled_bookings"]?.rows.isEmpty == true)
        #expect(store.changes.isEmpty)
    }

    @Test func amountsFollowDecimalPlacesOrTheWrittenDecimals() {
        func amount(_ attributes: [String: String]) -> String? {
            OTAReservation.amount(OTAElement(name: "Total", attributes: attributes, line: 1))?.description
        }
        #expect(amount(["AmountAfterTax": "32550", "DecimalPlaces": "2"]) == "325.50")
        #expect(amount(["AmountAfterTax": "4500", "DecimalPlaces": "3"]) == "4.50")
        #expect(amount(["AmountAfterTax": "317.39", "CurrencyCode": "CAD"]) == "317.39")
        #expect(amount(["AmountAfterTax": "116"]) == "116.00")
        #expect(amount(["AmountBeforeTax": "280.005"]) == "280.01")
    }

    @Test func refusesADoctypeAndItsEntities() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try ChannelTestSupport.run(Self.yaml(ChannelTestSupport.fixture("ota-doctype.xml")), in: folder)
        let messages = try ChannelTestSupport.result(report, "messages")
        #expect(messages.rejected.map(\.rule) == ["ingest.ota_xml.doctype_refused"])
        #expect(messages.output.rowsIn == 1 && messages.output.rowsOut == 0)
    }

    /// The OpenTravel 2011B sample messages (`../shared/corpora/opentravel/`): every reservation is stored.
    @Test func readsEveryReservationMessageOfTheOpenTravelCorpus() throws {
        let corpus = TestSupport.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora/opentravel")
        guard FileManager.default.fileExists(atPath: corpus.path) else {
            print("skipped: the OpenTravel corpus is absent (looked for \(corpus.path))")
            return
        }
        let folder = try TestSupport.temporaryDirectory()
        let report = try ChannelTestSupport.run(Self.yaml(corpus.path, accommodations: "{ WASJW: HTL-WAS, A1K: HTL-A1K }"), in: folder)
        let messages = try ChannelTestSupport.result(report, "messages")
        #expect(messages.rejected.isEmpty, "\(messages.rejected.map(\.rendered))")
        let rows = messages.output.tables["rows"]
        // ResNotifRQ (commit 7865), ResModifyNotifRQ (modify 7865), ResNotifRQ2 (no id), ResNotifRQ3 (193350531).
        #expect(ChannelTestSupport.column(rows, "action") == ["modify", "commit", "commit", "commit"])
        #expect(ChannelTestSupport.column(rows, "reservation_id") == ["7865", "7865", "OTA_HotelResNotifRQ2.xml#1", "193350531"])
        #expect(ChannelTestSupport.column(rows, "arrival") == ["2005-10-18", "2005-10-18", "2011-06-01", "2011-06-01"])
        #expect(ChannelTestSupport.column(rows, "departure") == ["2005-10-21", "2005-10-20", "2011-06-06", "2011-06-06"])
        #expect(ChannelTestSupport.column(rows, "email")[1] == "david.dewberry@dewberrycorp.com")
        #expect(ChannelTestSupport.column(rows, "amount")[2] == "2.00")
        #expect(messages.notes.filter { $0.contains("is not a reservation message") }.count == 7)
        let stored = try ChannelTestSupport.result(report, "store").output.tables["new_bookings"]
        #expect(stored?.rows.count == 3)
    }
}

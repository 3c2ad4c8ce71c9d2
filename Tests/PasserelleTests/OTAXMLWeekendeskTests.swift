import Foundation
import PasserelleCore
import PasserelleEngine
import Testing

@testable import PasserelleStages

/// Weekendesk's OTA messages and reservations of several rooms (issue 6, formats.md 1b): `OTA_HotelResRQ`
/// bookings, `OTA_CancelRQ` cancellations, ids of types 5 and 14, CDATA names, HTML entities in free text,
/// `TimeSpan Duration` without End, one `Rate` per night.
@Suite struct OTAXMLWeekendeskTests {
    static let rooms = "{ AL_SORB/RO_DOUBLE: CHB-SORB-DBL, AL_SORB/RO_FAMILY: CHB-SORB-FAM }"

    @Test func readsAWeekendeskBookingAndItsCancellationUnderOneKey() throws {
        let folder = try TestSupport.temporaryDirectory()
        let yaml = OTAXMLIngestTests.yaml(ChannelTestSupport.fixture("weekendesk"), accommodations: Self.rooms)
        let report = try ChannelTestSupport.run(yaml, in: folder)
        let messages = try ChannelTestSupport.result(report, "messages")
        #expect(messages.rejected.isEmpty)
        let rows = messages.output.tables["rows"]
        #expect(ChannelTestSupport.column(rows, "action") == ["commit", "cancel"])
        // Type 5 (Weekendesk's number) is the key; type 14 (the channel manager's) is kept, and differs in the cancellation.
        #expect(ChannelTestSupport.column(rows, "reservation_id") == ["31245678", "31245678"])
        #expect(ChannelTestSupport.column(rows, "channel_manager_id") == ["CM-0042", "CM-0042-X"])
        #expect(ChannelTestSupport.column(rows, "channel") == ["Weekendesk", "Weekendesk"])
        #expect(ChannelTestSupport.column(rows, "accommodation_code").first == "CHB-SORB-DBL")
        // Start + Duration="P2D", no End: departure two days later.
        #expect(ChannelTestSupport.column(rows, "arrival").first == "2027-02-13")
        #expect(ChannelTestSupport.column(rows, "departure").first == "2027-02-15")
        #expect(ChannelTestSupport.column(rows, "guest_name").first == "Élodie Marchand & Fils")
        #expect(ChannelTestSupport.column(rows, "guests").first == "3")
        #expect(ChannelTestSupport.column(rows, "amount").first == "232.00")
        #expect(ChannelTestSupport.column(rows, "language").first == "fr")
        #expect(
            ChannelTestSupport.column(rows, "summary").first
                == "2 nuits en chambre double pour 2 adultes et 1 enfant.\n"
                + "Nous venons avec un bébé de 2 mois : merci de prévoir le lit. À bientôt !")
        #expect(
            ChannelTestSupport.column(rows, "basket").first
                == "2027-02-13 · Chambre double (Week-end détente) · 116.00 EUR\n"
                + "2027-02-14 · Chambre double (Week-end détente) · 116.00 EUR\nLit bébé × 1 · 0.00 EUR")
        let store = try ChannelTestSupport.result(report, "store")
        #expect(ChannelTestSupport.column(store.output.tables["new_bookings"], "booking_key") == ["31245678"])
        #expect(ChannelTestSupport.column(store.output.tables["cancelled_bookings"], "booking_key") == ["31245678"])
        #expect(store.findings.isEmpty)
    }

    @Test func theSameWeekendeskFilesTwiceChangeNothing() throws {
        let folder = try TestSupport.temporaryDirectory()
        let yaml = OTAXMLIngestTests.yaml(
            ChannelTestSupport.fixture("weekendesk/01-commit.xml"), accommodations: Self.rooms)
        let first = try ChannelTestSupport.run(yaml, in: folder)
        #expect(
            ChannelTestSupport.column(
                try ChannelTestSupport.result(first, "store").output.tables["new_bookings"], "booking_key") == [
                    "31245678"
                ])
        let again = try ChannelTestSupport.run(yaml, in: folder)
        #expect(try ChannelTestSupport.result(again, "messages").output.rowsIn == 0)  // already imported: skipped
        let forced = try ChannelTestSupport.run(yaml, in: folder, force: true)
        let store = try ChannelTestSupport.result(forced, "store")
        #expect(store.output.tables["new_bookings"]?.rows.isEmpty == true)
        #expect(store.changes.isEmpty)
    }

    @Test func aReservationOfSeveralRoomsIsOneBookingPerRoomAndItsCancellationCancelsEveryRoom() throws {
        let folder = try TestSupport.temporaryDirectory()
        let yaml = OTAXMLIngestTests.yaml(ChannelTestSupport.fixture("multiroom"), accommodations: Self.rooms)
        let report = try ChannelTestSupport.run(yaml, in: folder)
        let rows = try ChannelTestSupport.result(report, "messages").output.tables["rows"]
        #expect(ChannelTestSupport.column(rows, "reservation_id") == ["55501234#1", "55501234#2", "55501234"])
        #expect(ChannelTestSupport.column(rows, "accommodation_code") == ["CHB-SORB-DBL", "CHB-SORB-FAM", ""])
        #expect(ChannelTestSupport.column(rows, "guests") == ["3", "4", ""])
        // No Total per room: each room's amount is the sum of its nightly rates (116.00 × 2, 149.50 × 2).
        #expect(ChannelTestSupport.column(rows, "amount") == ["232.00", "299.00", ""])
        #expect(ChannelTestSupport.column(rows, "departure").prefix(2) == ["2027-02-15", "2027-02-15"])
        #expect(ChannelTestSupport.column(rows, "basket")[1].hasPrefix("2027-02-13 · Chambre familiale"))
        #expect(!ChannelTestSupport.column(rows, "basket")[1].contains("Lit bébé"))  // services go with the first room
        let store = try ChannelTestSupport.result(report, "store")
        #expect(
            ChannelTestSupport.column(store.output.tables["new_bookings"], "booking_key") == [
                "55501234#1", "55501234#2",
            ])
        #expect(
            ChannelTestSupport.column(store.output.tables["cancelled_bookings"], "booking_key") == [
                "55501234#1", "55501234#2",
            ])
        #expect(store.findings.isEmpty)
    }

    /// A modification that changes the number of rooms: one room → two rooms → one room again.
    @Test func aModificationThatChangesTheNumberOfRoomsCancelsTheOtherShape() throws {
        let folder = try TestSupport.temporaryDirectory()
        func line(_ id: String, _ status: String, _ code: String) -> String {
            #"{"reservation_id": "\#(id)", "status": "\#(status)", "accommodation": "\#(code)", "#
                + #""arrival": "2027-02-13", "departure": "2027-02-15", "email": "a@example.fr"}"#
        }
        let lines = [
            line("R7", "new", "CHB-SORB-DBL"), line("R7#1", "modified", "CHB-SORB-DBL"),
            line("R7#2", "modified", "CHB-SORB-FAM"), line("R7", "modified", "CHB-SORB-FAM"),
        ]
        let feed = folder.appendingPathComponent("feed.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: feed)
        let yaml = """
            name: rooms-test
            stages:
              feed: { kind: ingest.jsonl, options: { path: \(feed.path), feed: json } }
              store: { kind: output.store_channel_bookings, inputs: [feed] }
            """
        let store = try ChannelTestSupport.result(try ChannelTestSupport.run(yaml, in: folder), "store").output.tables
        #expect(ChannelTestSupport.column(store["new_bookings"], "booking_key") == ["R7", "R7#1", "R7#2", "R7/2"])
        #expect(ChannelTestSupport.column(store["cancelled_bookings"], "booking_key") == ["R7", "R7#1", "R7#2"])
    }

    @Test func decodesTheHTMLEntitiesOfFreeText() {
        #expect(HTMLEntities.decoded("un b&eacute;b&eacute; de 2 mois") == "un bébé de 2 mois")
        #expect(HTMLEntities.decoded("caf&#233; &#xE9;t&eacute; &euro; &oelig;uf") == "café été € œuf")
        #expect(HTMLEntities.decoded("R&D & co &inconnu; &amp;") == "R&D & co &inconnu; &")
    }

    @Test func readsDurationsOfDaysAndWeeks() {
        #expect(OTAReservation.duration("P2D") == 2)
        #expect(OTAReservation.duration("P1W") == 7)
        #expect(OTAReservation.duration("PT2H") == nil)
        #expect(OTAReservation.duration(nil) == nil)
    }
}

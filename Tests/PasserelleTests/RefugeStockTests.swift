import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleStore
import Testing

@testable import Passerelle
@testable import PasserelleStages

/// `transform.refuge_stock` on hand-made exports: each rule broken once, rejections, conservation,
/// idempotence, cancellations, and `new_bookings` as the notification stage reads it.
@Suite struct RefugeStockTests {
    static func rulesRun(in folder: URL) throws -> RunReport {
        try RefugeTestSupport.run("rules.csv", in: folder, definitions: ["refuge-test.yml", "refuge-lac.yml"])
    }

    @Test func eachBrokenRuleIsAnAlertOnItsRowAndTheBookingIsStored() throws {
        let folder = try TestSupport.temporaryDirectory()
        let stock = try ChannelTestSupport.result(try Self.rulesRun(in: folder), "stock")
        let alerts = stock.findings.map { "\($0.rule) line \($0.location.line ?? 0) \($0.location.header ?? "-")" }
        #expect(
            alerts.sorted() == [
                "transform.refuge_stock.after_cutoff line 11 Réservé le",
                "transform.refuge_stock.closed_day line 5 Arrivée",
                "transform.refuge_stock.outside_openings line 6 Arrivée",
                "transform.refuge_stock.overbooked line 4 -",
                "transform.refuge_stock.quantity_out_of_range line 7 Quantité",
                "transform.refuge_stock.too_late line 10 Réservé le",
                "transform.refuge_stock.unknown_supplement line 9 Suppléments",
                "transform.refuge_stock.unknown_tariff line 8 Tarif",
            ])
        #expect(stock.findings.allSatisfy { $0.severity == .warning })
        // Refuge by refuge (as the definitions are listed), in file order.
        let stored = RefugeTestSupport.rows(stock.output.tables["bookings"], ["reference"]).map { $0.dropFirst(10) }
        #expect(
            stored == [
                "R-OK", "R-OVER-1", "R-OVER-2", "R-CLOSED", "R-OUTSIDE", "R-QTY", "R-TARIF", "R-SUPP", "R-CUTOFF",
                "R-LATE",
            ])
        #expect(stock.output.tables["alerts"]?.rows.count == 8)
    }

    @Test func alertsSayWhatIsWrongAndWhatToDoInFrench() throws {
        let folder = try TestSupport.temporaryDirectory()
        let stock = try ChannelTestSupport.result(try Self.rulesRun(in: folder), "stock")
        func alert(_ reason: String) throws -> Diagnostic {
            try #require(stock.findings.first { $0.rule == "transform.refuge_stock.\(reason)" })
        }
        let over = try alert("overbooked")
        #expect(
            over.message == "surréservation « Dortoir » le 05/07/2027 : jusqu'à 7 place(s) réservée(s) pour 6 en stock "
                + "(réservations R-OVER-1, R-OVER-2)")
        #expect(
            over.fix == "appelez le gardien : annulez ou déplacez une réservation, ou augmentez le stock de ce type "
                + "dans la définition du refuge")
        #expect(
            try alert("closed_day").message == "réservation R-CLOSED sur un jour de fermeture du refuge : 14/07/2027")
        #expect(
            try alert("outside_openings").message
                == "réservation R-OUTSIDE hors des périodes d'ouverture « Dortoir » : 01/08/2027")
        #expect(
            try alert("quantity_out_of_range").message
                == "réservation R-QTY : quantité 1 pour « Nuitée chambre de 3 », hors des limites par commande "
                + "(au moins 2, au plus 3)")
        let tariff = try alert("unknown_tariff")
        #expect(
            tariff.message
                == "réservation R-TARIF : tarif « NUITE » inconnu du refuge : la réservation ne compte dans aucun stock"
        )
        #expect(tariff.fix == "vouliez-vous dire « NUIT » ? corrigez le code dans l'export")
        #expect(
            try alert("too_late").message
                == "réservation R-LATE prise le 09/07/2027 10:00 pour une arrivée le 10/07/2027 : 1 jour(s) d'avance, "
                + "2 au minimum")
        #expect(
            try alert("after_cutoff").message
                == "réservation R-CUTOFF pour le jour même prise à 15:30, après l'heure limite de 12:00")
    }

    @Test func unreadableRowsAreRejectedWithTheirReasonAndCountsReconcile() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try Self.rulesRun(in: folder)
        let ingest = try ChannelTestSupport.result(report, "bookings")
        let stock = try ChannelTestSupport.result(report, "stock")
        #expect(ingest.rejected.map { "\($0.rule) line \($0.location.line ?? 0)" } == ["ingest.value.date line 12"])
        #expect(
            stock.rejected.map { "\($0.rule) line \($0.location.line ?? 0)" } == [
                "transform.refuge_stock.unknown_refuge line 13", "transform.refuge_stock.bad_dates line 14",
                "transform.refuge_stock.duplicate_reference line 15",
            ])
        let unknown = try #require(stock.rejected.first)
        #expect(unknown.message == "refuge « REF-NOPE » inconnu : aucune définition de refuge ne porte ce code")
        #expect(unknown.location.header == "Refuge")
        #expect(stock.rejected[2].message == "référence R-OK déjà lue à la ligne 2 du même fichier")
        // Rows read = accepted + rejected, per stage and over the file.
        #expect(stock.output.rowsIn == stock.output.rowsOut + stock.rowsRejected)
        #expect(ingest.output.rowsIn == 14)
        #expect(ingest.output.rowsIn == stock.output.rowsOut + ingest.rowsRejected + stock.rowsRejected)
        #expect(report.results.rejectedRowCounts()[RefugeTestSupport.fixture("rules.csv")] == 4)
    }

    @Test func theSameFileTwiceChangesNothing() throws {
        let folder = try TestSupport.temporaryDirectory()
        let first = try RefugeTestSupport.run("month.csv", in: folder)
        let store = try Store(path: TestSupport.options(in: folder).storePath)
        let before = try store.refugeBookings(of: "REF-TEST")
        #expect(before.count == 6)
        let second = try RefugeTestSupport.run("month.csv", in: folder, force: true)
        let stock = try ChannelTestSupport.result(second, "stock")
        #expect(stock.output.tables["new_bookings"]?.rows.isEmpty == true)
        #expect(stock.output.tables["changes"]?.rows.isEmpty == true)
        #expect(stock.changes.isEmpty)
        #expect(try store.refugeBookings(of: "REF-TEST") == before)
        let availability = { (report: RunReport) in
            try ChannelTestSupport.result(report, "stock").output.tables["availability"]?.rows.map(\.values)
        }
        #expect(try availability(first) == availability(second))
        // Without --force the file is skipped: the planning still comes from the store.
        let skipped = try RefugeTestSupport.run("month.csv", in: folder)
        #expect(try ChannelTestSupport.result(skipped, "stock").output.rowsIn == 0)
        #expect(try availability(skipped) == availability(first))
    }

    @Test func aCancellationReleasesThePlacesItHeld() throws {
        let folder = try TestSupport.temporaryDirectory()
        let first = try ChannelTestSupport.result(try RefugeTestSupport.run("month.csv", in: folder), "stock")
        #expect(
            RefugeTestSupport.availability(first.output.tables["availability"], "2027-07-20", "DORT") == "10/3/7/open")
        let second = try ChannelTestSupport.result(
            try RefugeTestSupport.run("month-cancel-m6.csv", in: folder), "stock")
        #expect(
            RefugeTestSupport.availability(second.output.tables["availability"], "2027-07-20", "DORT") == "10/0/10/open"
        )
        #expect(
            RefugeTestSupport.rows(second.output.tables["changes"], ["key", "field", "old_value", "new_value"]) == [
                "key=REF-TEST:M-6 field=status old_value=reservation new_value=cancelled"
            ])
        #expect(second.output.tables["new_bookings"]?.rows.isEmpty == true)
        #expect(second.notes.contains { $0.contains("1 changed (1 cancelled)") })
    }

    @Test func newBookingsFollowTheNotificationContract() throws {
        let folder = try TestSupport.temporaryDirectory()
        let stock = try ChannelTestSupport.result(try RefugeTestSupport.run("month.csv", in: folder), "stock")
        let table = try #require(stock.output.tables["new_bookings"])
        #expect(
            table.fields.map(\.name) == [
                "reference", "source", "accommodation_code", "accommodation_name", "status", "arrival", "departure",
                "guest_name", "email", "language", "guests", "amount", "deposit", "basket",
            ])
        // M-5 was cancelled before it was ever stored: nothing to notify.
        #expect(
            RefugeTestSupport.rows(table, ["reference"]) == [
                "reference=M-1", "reference=M-2", "reference=M-3", "reference=M-4", "reference=M-6",
            ])
        let m3 = try #require(table.rows.first { table.value("reference", in: $0).text == "M-3" })
        #expect(table.value("source", in: m3) == .text("refuge"))
        #expect(table.value("accommodation_name", in: m3) == .text("Refuge du Test"))
        #expect(table.value("status", in: m3) == .text("reservation"))
        #expect(table.value("language", in: m3) == .text("it"))
        #expect(table.value("guests", in: m3) == .integer(2))
        // 2 places × 2 nights × 40,00 € + 2 meals × 20,00 €; deposit 25 %.
        #expect(table.value("amount", in: m3) == .money(Money(cents: 20_000)))
        #expect(table.value("deposit", in: m3) == .money(Money(cents: 5_000)))
        #expect(
            table.value("basket", in: m3)
                == .text("4 × Nuitée chambre de 3 — 160,00\u{A0}€\n2 × Repas du soir — 40,00\u{A0}€"))
        let m2 = try #require(table.rows.first { table.value("reference", in: $0).text == "M-2" })
        // No status in the export and no online payment at this refuge: a pre-reservation.
        #expect(table.value("status", in: m2) == .text("pre_reservation"))
        #expect(table.value("language", in: m2) == .text("en"))
        #expect(table.value("basket", in: m2) == .text("6 × Nuitée dortoir — 180,00\u{A0}€"))
        #expect(table.value("deposit", in: m2) == .money(Money(cents: 4_500)))
        let m4 = try #require(table.rows.first { table.value("reference", in: $0).text == "M-4" })
        #expect(table.value("language", in: m4) == .null)
    }

    @Test func theDocExampleParses() throws {
        let folder = try TestSupport.temporaryDirectory()
        let yaml = """
            name: doc
            stages:
              refuge_bookings: { kind: ingest.csv, options: { path: \(RefugeTestSupport.fixture("month.csv")), columns: { reference: [Référence] } } }
              refuge_stock:
                kind: transform.refuge_stock
                inputs: [refuge_bookings]
                options: { definitions: [\(RefugeTestSupport.fixture("refuge-test.yml"))] }
              refuge_planning:
                kind: output.planning_report
                inputs: [refuge_stock]
                options: { template: \(TestSupport.repositoryRoot.path)/reports/planning/planning.html.mustache, xlsx_file: planning-refuges.xlsx }
            """
        _ = try TestSupport.spec(yaml, in: folder, catalog: StageCatalog.all)
    }
}

import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleStore
import Testing

@testable import Passerelle

/// The sales follow-up (`transform.sales_totals`): summed over a stays table, or, with no input, by the store
/// itself (issue 20, part 3: work over the store's history is a query, not every stored row loaded).
@Suite struct SalesTotalsTests {
    static let pipeline = """
        name: sales
        variables: { month: "2027-04" }
        stages:
          all_stays: { kind: ingest.stored_stays }
          from_table: { kind: transform.sales_totals, inputs: [all_stays] }
          from_store: { kind: transform.sales_totals }

        """

    /// The finance fixture, with a stay booked in 2026 and one without a booking date.
    static func run(in folder: URL) throws -> RunReport {
        var undated = FinanceFixture.stay("S9", "H002-A", "Direct", "2027-04-01", "2027-04-04", 80, mode: "cheque")
        undated.bookingDate = nil
        var early = FinanceFixture.stay("S0", "H001-A", "Direct", "2027-02-01", "2027-02-04", 45, mode: "cheque")
        early.bookingDate = FinanceFixture.date("2026-12-24")
        try FinanceFixture.makeStore(
            at: TestSupport.options(in: folder).storePath, stays: FinanceFixture.stays + [undated, early])
        return try FinanceFixture.run(pipeline, month: "2027-04", in: folder)
    }

    /// The table's French texts, row by row, with the no-break spaces of amounts as plain spaces.
    static func texts(_ table: Table?) -> [[String]] {
        guard let table else { return [] }
        return table.rows.map { row in
            table.fields.map {
                table.value($0.name, in: row).frenchText.replacingOccurrences(of: "\u{202F}", with: " ")
                    .replacingOccurrences(of: "\u{A0}", with: " ")
            }
        }
    }

    @Test func theStoreSumsWhatTheTableGives() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try Self.run(in: folder)
        #expect(report.succeeded, "\(report.summary)")
        let table = try FinanceFixture.result(report, "from_table")
        let store = try FinanceFixture.result(report, "from_store")
        for name in ["rows", "monthly", "yearly"] {
            #expect(Self.texts(store.output.tables[name]) == Self.texts(table.output.tables[name]), "\(name)")
        }
        #expect(store.output.rowsIn == 10)
        #expect(store.output.rowsIn == table.output.rowsIn)
        #expect(store.notes == table.notes)
        #expect(store.rejected.map(\.message) == table.rejected.map(\.message))
        #expect(store.rejected.map(\.location) == table.rejected.map(\.location))
    }

    /// By hand: January 2027 (booking date of the fixture's stays), the cancelled S4 left out, S5 a pre-reservation.
    @Test func totalsArePerMonthYearAndAccommodationByHand() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try Self.run(in: folder)
        let store = try FinanceFixture.result(report, "from_store")
        // period, provider, name, accommodation, name, pre-bookings, amount, bookings, amount, total, amount
        #expect(
            Self.texts(store.output.tables["monthly"]) == [
                ["2026-12", "H001", "Chalet Les Aiguilles", "H001-A", "Chalet A", "0", "0,00 €", "1", "45,00 €", "1", "45,00 €"],
                ["2027-01", "H001", "Chalet Les Aiguilles", "H001-A", "Chalet A", "1", "90,00 €", "3", "1 212,50 €", "4", "1 302,50 €"],
                ["2027-01", "H002", "Gîte <Bellevue> & Fils", "H002-A", "Gîte \"Le Refuge\"", "0", "0,00 €", "3", "683,33 €", "3", "683,33 €"],
            ])
        #expect(Self.texts(store.output.tables["yearly"]).map { [$0[0], $0[1], $0[9], $0[10]] } == [
            ["2026", "H001", "1", "45,00 €"], ["2027", "H001", "4", "1 302,50 €"], ["2027", "H002", "3", "683,33 €"],
        ])
        #expect(store.rejected.map(\.rule) == ["transform.sales_totals.missing_date"])
        #expect(store.rejected.first?.message.contains("S9") == true)
        #expect(store.notes.contains("1 cancelled stay(s) left out of the sales totals"))
    }
}

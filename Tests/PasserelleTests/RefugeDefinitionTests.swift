import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import Testing

@testable import Passerelle
@testable import PasserelleStages

/// Refuge definition files: what is read, and every mistake reported with its line and column.
@Suite struct RefugeDefinitionTests {
    static func date(_ day: Int, _ month: Int = 7) throws -> CalendarDate {
        try #require(CalendarDate(year: 2027, month: month, day: day))
    }

    @Test func readsStockOpeningsClosuresTariffsAndTerms() throws {
        let refuge = try RefugeDefinition.load(path: RefugeTestSupport.fixture("refuge-test.yml"))
        #expect(refuge.code == "REF-TEST")
        #expect(
            refuge.host == .init(name: "Paul Gardien", email: "gardien@refuge-test.example", phone: "04 50 00 00 00"))
        #expect(!refuge.hasOnlinePayment)
        #expect(refuge.deposit == .percent(2_500))
        #expect(refuge.sameDayCutoff == 12 * 3_600)
        #expect(refuge.stockTypes.map(\.code) == ["DORT", "CH3"])
        #expect(refuge.stockType("CH3")?.blocksWholeRoom == true)
        #expect(refuge.stock(of: "DORT", on: try Self.date(5)) == 6)  // Monday, first period
        #expect(refuge.stock(of: "DORT", on: try Self.date(9)) == 10)  // Friday
        #expect(refuge.stock(of: "DORT", on: try Self.date(19)) == 10)  // Monday, second period
        #expect(refuge.stock(of: "DORT", on: try Self.date(1, 8)) == nil)
        #expect(refuge.isClosed(try Self.date(14)))
        #expect(refuge.tariff("CH3")?.minQuantity == 2)
        #expect(refuge.tariff("NUIT")?.price == Money(cents: 3_000))
        #expect(refuge.supplement("REPAS")?.maxQuantity == 10)
        #expect(refuge.deposit(on: Money(cents: 20_001)) == Money(cents: 5_000))  // 50,0025 € rounds to 50,00 €
    }

    @Test func depositsAreNoneAPercentageOrAFixedSumNeverAboveTheAmount() throws {
        var refuge = try RefugeDefinition.load(path: RefugeTestSupport.fixture("refuge-lac.yml"))
        #expect(refuge.deposit == RefugeDefinition.Deposit.none)
        #expect(refuge.deposit(on: Money(cents: 5_000)) == Money(cents: 5_000))
        refuge.deposit = .fixed(Money(cents: 8_000))
        #expect(refuge.deposit(on: Money(cents: 5_000)) == Money(cents: 5_000))
        #expect(refuge.deposit(on: Money(cents: 12_000)) == Money(cents: 8_000))
    }

    @Test func everyMistakeIsReportedWithItsLineColumnAndFix() throws {
        let path = RefugeTestSupport.fixture("broken.yml")
        let error = #expect(throws: RefugeDefinitionError.self) { try RefugeDefinition.load(path: path) }
        let rendered = try #require(error).description
        #expect(
            rendered == """
                refuge definition \(path) has 5 errors; fix them and run again
                \(path):6:1: error: unknown key 'online_paiement' in the refuge definition [refuge.definition.unknown_key]
                 6 | online_paiement: true
                   | ^~~~~~~~~~~~~~~
                  fix: did you mean 'online_payment'?
                \(path):10:3: error: 'DORM' is not a stock type of this refuge [refuge.definition.unknown_stock_type]
                 10 |   DORM:
                    |   ^~~~
                  fix: did you mean 'DORT'?
                \(path):14:7: error: the periods of 'DORT' from 01/07/2027 and from 15/07/2027 overlap [refuge.definition.overlapping_openings]
                 14 |     - { first: 2027-07-15, last: 2027-07-31, stock: 10 }
                    |       ^
                  fix: make each period end before the next one starts
                \(path):15:53: error: 'openings.DORT.stock' must be a whole number from 0 to 10 [refuge.definition.invalid_value]
                 15 |     - { first: 2027-08-01, last: 2027-08-31, stock: 12 }
                    |                                                     ^~
                  fix: give at most the 10 places of 'DORT', or raise its 'places'
                \(path):17:50: error: 'NUIT.price' must be an amount in euros [refuge.definition.invalid_value]
                 17 |   NUIT: { name: Nuitée, stock_type: DORT, price: trente }
                    |                                                  ^~~~~~
                  fix: write it as "32,00" (quoted) or 32.00
                """)
    }

    /// The definitions are read when the stage is built, so `check` (and `run`, before anything runs) reports
    /// every mistake of the file at its own line, with that file's line under the caret.
    @Test func aBrokenDefinitionIsFoundByCheckNamingTheFile() throws {
        let folder = try TestSupport.temporaryDirectory()
        let yaml = RefugeTestSupport.yaml(bookings: "month.csv", definitions: ["broken.yml"])
        let file = folder.appendingPathComponent("pipeline.yml")
        try Data(yaml.utf8).write(to: file)
        let passerelle = Passerelle(environment: [:])
        let loaded = passerelle.load(file.path)
        #expect(loaded.spec == nil)
        #expect(loaded.diagnostics.count == 5)
        let broken = TestSupport.fixture("refuge/broken.yml").path
        #expect(
            passerelle.render(loaded).hasPrefix(
                """
                \(broken):6:1: error: unknown key 'online_paiement' in the refuge definition \
                [refuge.definition.unknown_key]
                 6 | online_paiement: true
                """))
    }
}

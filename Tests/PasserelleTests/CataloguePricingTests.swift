import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import Testing

@testable import Passerelle
@testable import PasserelleStages

/// Runs the pricing and discount fixtures (`Fixtures/pricing/`) through real pipelines: CSV ingest, then the stage.
enum PricingFixture {
    /// Runs `stages` (YAML, indented two spaces) with the run clock at `asOf` (yyyy-mm-dd, noon UTC).
    static func run(_ stages: String, asOf: String = "2027-06-15") throws -> RunReport {
        let folder = try TestSupport.temporaryDirectory()
        let file = folder.appendingPathComponent("pipeline.yml")
        try Data("name: pricing\nstages:\n\(stages)".utf8).write(to: file)
        let passerelle = Passerelle(environment: [:])
        let loaded = passerelle.load(file.path)
        let spec = try #require(loaded.spec, "\(loaded.diagnostics.map(\.rendered))")
        var options = TestSupport.options(in: folder)
        let day = try #require(CalendarDate.parse(asOf))
        options.asOf = Date(timeIntervalSince1970: Double(day.daysSinceEpoch) * 86_400 + 43_200)
        let report = try passerelle.run(spec, options: options, observer: nil, logger: TestSupport.quietLogger)
        try #require(report.succeeded, "\(report.summary)")
        return report
    }

    static func result(_ report: RunReport, _ stage: String) throws -> StageResult {
        try #require(report.results.first { $0.name == stage }, "no result for \(stage)")
    }

    /// The value of `field` in the row whose `key` column is `id`.
    static func value(_ table: Table, _ key: String, _ id: String, _ field: String) throws -> Value {
        let row = try #require(table.rows.first { table.value(key, in: $0).text == id }, "no row \(id)")
        return table.value(field, in: row)
    }

    static func euros(_ cents: Int64) -> Value { .money(Money(cents: cents)) }

    static let catalogue = """
          catalogue:
            kind: ingest.csv
            options:
              path: \(TestSupport.fixture("pricing/catalogue.csv").path)
              columns:
                departure: [Code départ]
                organiser: [Organisateur]
                stay: [Séjour]
                departure_date: { headers: [Date de départ], type: date }
                production_price: { headers: [Prix de production], type: money }
                stay_price: { headers: [Prix du séjour], type: money }
                transport_price: { headers: [Prix du transport], type: money }
                discount: { headers: [Réduction], type: money }
                commission_rate: { headers: [Taux de commission], type: percent }
                extra_margin: { headers: [Marge supplémentaire], type: percent }

        """
}

/// Catalogue prices with the domain's formulas, bulk rules and the before/after report (hand-computed figures).
///
/// Rules: commission 12,5 % for organiser Alpes Évasion; extra margin 8 % for departures in February 2027.
///
/// | dep. | production | commission | extra | selling | purchase | margin | public |
/// |---|---|---|---|---|---|---|---|
/// | D1 | 1 000,00 | 10 → 12,5 % | 5 % | 1 050,00 | 900,00 → 875,00 | 14,29 → 16,67 % | 900 + 150 − 50 = 1 000,00 |
/// | D2 | 1 000,00 | 10 → 12,5 % | 5 → 8 % | 1 050,00 → 1 080,00 | 900,00 → 875,00 | 14,29 → 18,98 % | 1 050,00 |
/// | D3 | 333,33 | 15 % | 7,5 → 8 % | 358,33 → 360,00 (359,9964) | 283,33 (283,3305) | 20,93 → 21,30 % | 300,00 |
/// | D4 15/04 | 250,00 | 12 % | 10 % | 275,00 | 220,00 | 20,00 % | 250,00 |
/// | D5 | none | | | rejected: missing_price | | | |
/// | D6 | 100,00 | | | rejected: discount 150 > 100 | | | |
/// | D7 Petits Prix | 12,50 | 13 % | 5 % | 13,13 (13,125) | 10,88 (10,875) | 225/1313 = 17,14 % | 12,50 |
@Suite struct CataloguePricingTests {
    static let stages = PricingFixture.catalogue + """
          pricing:
            kind: transform.catalogue_pricing
            inputs: [catalogue]
            options:
              rules:
                - { name: Alpes Évasion 2027, organiser: alpes evasion, commission_rate: "12,5 %" }
                - { name: Février, from: 2027-02-01, to: 2027-02-28, extra_margin: 8 % }
                - { organiser: Inconnu, extra_margin: 1 % }
        """

    func pricing() throws -> StageResult {
        try PricingFixture.result(try PricingFixture.run(Self.stages), "pricing")
    }

    @Test func theDomainsFormulasComeOutExactly() {
        let prices = DeparturePrices(
            production: Money(cents: 100_000), stay: Money(cents: 90_000), transport: Money(cents: 15_000),
            discount: Money(cents: 5_000), commissionBasisPoints: 1_250, extraMarginBasisPoints: 800)
        #expect(prices.publicPrice == Money(cents: 100_000))  // 900 + 150 − 50
        #expect(prices.sellingPrice == Money(cents: 108_000))  // 1 000 × 108 / 100
        #expect(prices.purchasePrice == Money(cents: 87_500))  // 1 000 × 87,5 / 100
        #expect(prices.marginBasisPoints == 1_898)  // 205 / 1 080 = 18,98 %
    }

    @Test func eachPriceIsRoundedOnceHalfAwayFromZero() {
        let prices = DeparturePrices(
            production: Money(cents: 1_250), stay: Money(cents: 1_250), transport: .zero, discount: .zero,
            commissionBasisPoints: 1_300, extraMarginBasisPoints: 500)
        #expect(prices.sellingPrice == Money(cents: 1_313))  // 13,125 → 13,13
        #expect(prices.purchasePrice == Money(cents: 1_088))  // 10,875 → 10,88
        #expect(prices.marginBasisPoints == 1_714)  // 225 / 1 313 = 17,136 %
        let free = DeparturePrices(
            production: .zero, stay: .zero, transport: .zero, discount: .zero, commissionBasisPoints: 0,
            extraMarginBasisPoints: 0)
        #expect(free.marginBasisPoints == nil)
    }

    @Test func aRuleByOrganiserChangesTheCommissionOfItsDepartures() throws {
        let rows = try #require(try pricing().output.tables["rows"])
        #expect(try PricingFixture.value(rows, "departure", "D1", "commission_rate") == .percent(1_250))
        #expect(try PricingFixture.value(rows, "departure", "D1", "purchase_price") == PricingFixture.euros(87_500))
        #expect(try PricingFixture.value(rows, "departure", "D1", "selling_price") == PricingFixture.euros(105_000))
        #expect(try PricingFixture.value(rows, "departure", "D1", "margin") == .percent(1_667))
        #expect(try PricingFixture.value(rows, "departure", "D1", "public_price") == PricingFixture.euros(100_000))
        #expect(try PricingFixture.value(rows, "departure", "D4", "commission_rate") == .percent(1_200))
        #expect(try PricingFixture.value(rows, "departure", "D4", "rules_applied") == .null)
    }

    @Test func aRuleByPeriodChangesTheExtraMarginOfDeparturesInIt() throws {
        let rows = try #require(try pricing().output.tables["rows"])
        #expect(try PricingFixture.value(rows, "departure", "D2", "selling_price") == PricingFixture.euros(108_000))
        #expect(try PricingFixture.value(rows, "departure", "D2", "purchase_price") == PricingFixture.euros(87_500))
        #expect(try PricingFixture.value(rows, "departure", "D2", "margin") == .percent(1_898))
        #expect(try PricingFixture.value(rows, "departure", "D2", "public_price") == PricingFixture.euros(105_000))
        #expect(
            try PricingFixture.value(rows, "departure", "D2", "rules_applied")
                == .text("Alpes Évasion 2027 ; Février"))
        #expect(try PricingFixture.value(rows, "departure", "D3", "selling_price") == PricingFixture.euros(36_000))
        #expect(try PricingFixture.value(rows, "departure", "D3", "purchase_price") == PricingFixture.euros(28_333))
        #expect(try PricingFixture.value(rows, "departure", "D3", "margin") == .percent(2_130))
        #expect(try PricingFixture.value(rows, "departure", "D4", "selling_price") == PricingFixture.euros(27_500))
        #expect(try PricingFixture.value(rows, "departure", "D4", "margin") == .percent(2_000))
        #expect(try PricingFixture.value(rows, "departure", "D7", "selling_price") == PricingFixture.euros(1_313))
        #expect(try PricingFixture.value(rows, "departure", "D7", "purchase_price") == PricingFixture.euros(1_088))
    }

    @Test func theChangesListEveryValueBeforeAndAfter() throws {
        let changes = try #require(try pricing().output.tables["changes"])
        #expect(changes.rows.count == 11)  // D1: 3, D2: 5, D3: 3
        let d2 = changes.rows.filter { changes.value("departure", in: $0).text?.hasPrefix("D2 ") == true }
        let lines = d2.map {
            [changes.value("field", in: $0), changes.value("before", in: $0), changes.value("after", in: $0)]
                .map(\.frenchText).joined(separator: " | ")
        }
        #expect(
            lines == [
                "Taux de commission | 10,00\u{A0}% | 12,50\u{A0}%", "Marge supplémentaire | 5,00\u{A0}% | 8,00\u{A0}%",
                "Prix de vente | 1\u{202F}050,00\u{A0}€ | 1\u{202F}080,00\u{A0}€",
                "Prix d'achat | 900,00\u{A0}€ | 875,00\u{A0}€", "Marge | 14,29\u{A0}% | 18,98\u{A0}%",
            ])
        let d3 = changes.rows.filter { changes.value("departure", in: $0).text?.hasPrefix("D3 ") == true }
        #expect(d3.map { changes.value("before", in: $0).frenchText }[1] == "358,33\u{A0}€")
        #expect(d3.map { changes.value("after", in: $0).frenchText }[2] == "21,30\u{A0}%")
        #expect(
            d2.first.map { changes.value("departure", in: $0).text }
                == "D2 (Alpes Évasion, Raquettes au Mont-Blanc, 14/02/2027)")
    }

    @Test func eachRulesMatchCountIsReportedAndAnUnmatchedRuleWarned() throws {
        let result = try pricing()
        let rules = try #require(result.output.tables["rules"])
        #expect(rules.rows.map { rules.value("matches", in: $0) } == [.integer(2), .integer(2), .integer(0)])
        #expect(rules.rows.map { rules.value("rule", in: $0).text } == ["Alpes Évasion 2027", "Février", "règle 3"])
        #expect(result.notes.contains("Février (départs du 01/02/2027 au 28/02/2027): 2 départ(s)"))
        #expect(result.findings.map(\.rule) == ["transform.catalogue_pricing.unmatched_rule"])
        #expect(
            result.findings.first?.message
                == "la règle 'règle 3' (organisateur Inconnu) ne sélectionne aucun départ")
    }

    @Test func rejectsDeparturesWithoutPriceOrWithTooLargeADiscountAndCountsReconcile() throws {
        let result = try pricing()
        #expect(result.output.rowsIn == 7)
        #expect(result.output.rowsOut == 5)
        #expect(result.rowsRejected == 2)
        #expect(result.output.rowsIn == result.output.rowsOut + result.rowsRejected)
        #expect(
            result.rejected.map(\.rule) == [
                "transform.catalogue_pricing.missing_price", "transform.catalogue_pricing.negative_public_price",
            ])
        #expect(
            result.rejected.first?.message
                == "le départ D5 (Neige et Soleil, Chiens de traîneau, 01/03/2027) "
                + "n'a pas de prix de production lisible")
        #expect(result.rejected.first?.location.header == "Prix de production")
    }

    @Test func aLaterRuleWinsOverAnEarlierOne() throws {
        let stages = PricingFixture.catalogue + """
              pricing:
                kind: transform.catalogue_pricing
                inputs: [catalogue]
                options:
                  rules:
                    - { organiser: Alpes Évasion, commission_rate: "12,5 %" }
                    - { stay: Raquettes au Mont-Blanc, from: 14/02/2027, commission_rate: 11 % }
            """
        let rows = try #require(
            try PricingFixture.result(try PricingFixture.run(stages), "pricing").output.tables["rows"])
        #expect(try PricingFixture.value(rows, "departure", "D1", "commission_rate") == .percent(1_250))
        #expect(try PricingFixture.value(rows, "departure", "D2", "commission_rate") == .percent(1_100))
        #expect(try PricingFixture.value(rows, "departure", "D2", "purchase_price") == PricingFixture.euros(89_000))
    }

    /// Each mistake is found when the definition is loaded (`check` and `run` alike), at the rule's line and column.
    @Test func aRuleThatChangesNothingOrHasABadRateIsRefusedByCheck() throws {
        let folder = try TestSupport.temporaryDirectory()
        for (rule, column, message) in [
            ("{ organiser: X }", 24,
             "stage 'pricing' (transform.catalogue_pricing) cannot be built: rule 'règle 1' changes nothing"),
            ("{ organiser: X, commission_rate: \"12,345 %\" }", 57,
             "'commission_rate' must be a percentage, found '12,345 %'"),
            ("{ from: 2027-03-01, to: 2027-02-01, extra_margin: 8 % }", 48,
             "stage 'pricing' (transform.catalogue_pricing) cannot be built: rule 'règle 1' ends (01/02/2027) "
                + "before it starts (01/03/2027)"),
        ] {
            let yaml = "name: p\nstages:\n" + PricingFixture.catalogue
                + "  pricing:\n    kind: transform.catalogue_pricing\n    inputs: [catalogue]\n"
                + "    options: { rules: [\(rule)] }\n"
            let loaded = Passerelle(environment: [:]).load(try Self.write(yaml, in: folder))
            #expect(loaded.spec == nil)
            let diagnostic = try #require(loaded.diagnostics.first)
            #expect(diagnostic.message == message)
            #expect(diagnostic.location.line == yaml.split(separator: "\n").count)
            #expect(diagnostic.location.columnLabel == String(column))
        }
    }

    static func write(_ yaml: String, in folder: URL) throws -> String {
        let file = folder.appendingPathComponent("p.yml")
        try Data(yaml.utf8).write(to: file)
        return file.path
    }
}

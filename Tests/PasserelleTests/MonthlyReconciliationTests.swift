import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import Testing

@testable import Passerelle

/// The monthly reconciliation compares the payouts with what the store sums itself over the same month (issue 20,
/// part 5): a stay lost or doubled between the store and the statement fails the run, naming the provider.
@Suite struct MonthlyReconciliationTests {
    /// The month-end stages with a planted fault between the stored stays and the commissions.
    static func run(fault: String?) throws -> RunReport {
        let folder = try TestSupport.temporaryDirectory()
        try FinanceFixture.makeStore(at: TestSupport.options(in: folder).storePath)
        var stages = FinanceFixture.computeStages
        if let fault {
            stages = stages.replacingOccurrences(of: "inputs: [stays]", with: "inputs: [fault]")
                + "\n  fault: { kind: test.planted_fault, inputs: [stays], options: { fault: \(fault) } }\n"
        }
        let yaml = "name: payouts\nvariables: { month: \"2027-04\" }\n" + stages
        let catalog = StageCatalog.all + [PlantedFaultStage.self]
        let spec = try TestSupport.spec(yaml, in: folder, catalog: catalog)
        return try Passerelle(catalog: catalog, environment: [:]).run(
            spec, options: TestSupport.options(in: folder), observer: nil, logger: TestSupport.quietLogger)
    }

    @Test func paysThatMatchTheStoresOwnSumsPass() throws {
        let report = try Self.run(fault: nil)
        #expect(report.succeeded, "\(report.summary)")
    }

    @Test func aStayLostBeforeThePayoutsFailsTheRunNamingTheProviderAndTheDifference() throws {
        let report = try Self.run(fault: "drop")  // S1, 1 000,00 € of H001, departing on 2 April
        #expect(!report.succeeded)
        guard case .failed(let cause)? = report.outcomes["payouts"] else {
            Issue.record("payouts did not fail: \(report.summary)")
            return
        }
        #expect(
            "\(cause)" == """
                les chiffres du mois (avril 2027) ne se rapprochent pas des séjours du magasin : hébergeur H001 \
                (Chalet Les Aiguilles) : séjours au relevé (2) ≠ séjours confirmés du magasin (3), brut : attendu \
                1\u{202F}212,50\u{A0}€, trouvé 212,50\u{A0}€ (écart -1\u{202F}000,00\u{A0}€); aucun relevé n'a été \
                écrit : une étape en amont a perdu, doublé ou modifié des séjours ; signalez l'anomalie avec \
                l'historique de l'exécution
                """)
    }

    @Test func aStayCountedTwiceFailsTheRunToo() throws {
        let report = try Self.run(fault: "twice")
        #expect(!report.succeeded)
        #expect(report.summary.contains("séjours au relevé (4) ≠ séjours confirmés du magasin (3)"))
    }
}

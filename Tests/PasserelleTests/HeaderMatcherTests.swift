import PasserelleCore
import PasserelleSpec
import Testing

@testable import PasserelleStages

@Suite struct HeaderMatcherTests {
    static let specs = [
        ColumnSpec(name: "code", headers: ["Code séjour"], isRequired: true),
        ColumnSpec(name: "email", headers: ["E-mail client", "Courriel"], type: .email, isRequired: true),
        ColumnSpec(name: "arrival", headers: ["Arrivée", "Date d'arrivée"], type: .date, isRequired: true),
        ColumnSpec(name: "notes", headers: ["Remarques"]),
    ]

    @Test func normalizesSpacesCaseAndAccents() {
        #expect(HeaderMatcher.normalize("  E-mail\u{A0}\u{A0}CLIENT\u{202F}") == "e-mail client")
        #expect(HeaderMatcher.normalize("CONFIRMÉ") == "confirme")
        #expect(HeaderMatcher.normalize("Confirme\u{301}e") == "confirmee")  // decomposed é
        #expect(HeaderMatcher.normalize("Cœur  du\tséjour") == "coeur du sejour")
        #expect(HeaderMatcher.normalize("Date d’arrivée") == "date d'arrivee")
        #expect(HeaderMatcher.normalize("") == "")
    }

    @Test func findsColumnsInAnyOrderAndSpelling() {
        let match = HeaderMatch(
            specs: Self.specs, header: ["Remarques", "date D’ARRIVÉE ", "COURRIEL", "code\u{A0}sejour"])
        #expect(match.isComplete)
        #expect(match.columns == ["notes": 0, "arrival": 1, "email": 2, "code": 3])
    }

    @Test func takesEachColumnOnce() {
        let specs = [
            ColumnSpec(name: "arrival", headers: ["Date"]), ColumnSpec(name: "departure", headers: ["Date"]),
        ]
        let match = HeaderMatch(specs: specs, header: ["Date", "Date"])
        #expect(match.columns == ["arrival": 0, "departure": 1])
    }

    @Test func reportsAMissingRequiredColumnWithTheNearestHeader() throws {
        let match = HeaderMatch(specs: Self.specs, header: ["Code séjour", "Email clients", "Arrivée"])
        let missing = try #require(match.missing.first)
        #expect(match.missing.count == 1)
        #expect(missing.nearest == "Email clients")
        #expect(
            missing.message == """
                column for 'email' not found: expected one of "E-mail client", "Courriel"; \
                headers found: "Code séjour", "Email clients", "Arrivée"; nearest: "Email clients"
                """)
        #expect(
            missing.fix == """
                rename the column "Email clients" to "E-mail client", or add "Email clients" to the headers of \
                'email' in the pipeline
                """)
        let diagnostic = missing.diagnostic(at: .csv(file: "sejours.csv", line: 1, field: nil, header: nil))
        #expect(diagnostic.rule == "ingest.header.missing_column")
        #expect(diagnostic.rendered.hasPrefix("sejours.csv:1: error: column for 'email' not found"))
    }

    @Test func suggestsNothingWhenNoHeaderIsClose() throws {
        let match = HeaderMatch(specs: Self.specs, header: ["Code séjour", "Téléphone", "Arrivée"])
        let missing = try #require(match.missing.first)
        #expect(missing.nearest == nil)
        #expect(!missing.message.contains("nearest"))
    }

    @Test func ignoresMissingOptionalColumns() {
        let match = HeaderMatch(specs: Self.specs, header: ["Code séjour", "Courriel", "Arrivée"])
        #expect(match.isComplete)
        #expect(match.column(of: "notes") == nil)
    }

    @Test func findsTheHeaderRowBelowATitleBlock() {
        let rows = [
            ["Export des séjours du 12/02/2026", "", ""],
            ["", "", ""],
            ["Code séjour", "Remarques", ""],
            ["Code séjour", "Courriel", "Arrivée"],
            ["S-001", "a@b.fr", "05/01/2026"],
        ]
        #expect(HeaderMatch.findHeaderRow(rows: rows, specs: Self.specs) == 3)
        #expect(HeaderMatch.findHeaderRow(rows: [["x", "y"]], specs: Self.specs) == nil)
    }

    @Test func measuresEditDistance() {
        #expect(Suggestion.distance("email clients", "e-mail client") == 2)
        #expect(Suggestion.distance("", "abc") == 3)
        #expect(Suggestion.distance("séjour", "sejour") == 1)
    }
}

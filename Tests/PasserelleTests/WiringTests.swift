import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import Testing

@testable import Passerelle

/// A test stage that declares a `rows` table of field `n` and hands down one of field `m`: a defect of its kind.
struct MisdeclaredStage: Stage {
    static let schema = StageKindSchema(
        kind: "test.misdeclared", summary: "Hand down what it does not declare.", options: [], inputs: 0...1)

    init(spec: StageSpec) throws {}

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [.rows(["n"])] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        StageOutput(rows: Table(columns: ["m"]), rowsIn: 0)
    }
}

/// A test stage that declares a `rows` table whose field `n` is a whole number and hands down text in it.
struct MistypedStage: Stage {
    static let schema = StageKindSchema(
        kind: "test.mistyped", summary: "Hand down text in a number field.", options: [], inputs: 0...1)

    init(spec: StageSpec) throws {}

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [.rows(["n"], types: ["n": .integer])] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let rows = [
            Row(location: .csv(file: "t.csv", line: 2, field: nil, header: nil), values: [.integer(1)]),
            Row(location: .csv(file: "t.csv", line: 3, field: nil, header: nil), values: [.text("deux")]),
        ]
        return StageOutput(rows: Table(columns: ["n"], rows: rows), rowsIn: 2)
    }
}

/// Declared tables (issue 20, part 2): every stage declares the tables it hands down, with their fields; `check`
/// verifies each `source:`, layout column and template field against them at the line that names it, and the
/// runner holds each stage to its declaration.
@Suite struct WiringTests {
    static let passerelle = Passerelle(
        catalog: StageCatalog.all + [PassStage.self, MisdeclaredStage.self, MistypedStage.self], environment: [:])

    /// A pipeline of stored stays, a report over them and an e-mail per stay, its layout and templates beside it.
    static func load(
        source: String = "stays", reportInputs: String = "[stays]",
        columns: String = "{ reference: Réf., client: Client }",
        sectionSource: String = "stays.rows",
        body: String = "Bonjour {{{client}}},\nvotre séjour {{reference}} du {{arrival_iso}}."
    ) throws -> (SpecLoader.Result, URL) {
        let folder = try TestSupport.temporaryDirectory()
        let mails = folder.appendingPathComponent("mails")
        try FileManager.default.createDirectory(at: mails, withIntermediateDirectories: true)
        try Data("Séjour {{reference}}".utf8).write(to: mails.appendingPathComponent("subject.fr.mustache"))
        try Data(body.utf8).write(to: mails.appendingPathComponent("body.fr.txt.mustache"))
        let layout = """
            title: Séjours
            sections:
              - title: Séjours du mois
                source: \(sectionSource)
                columns: \(columns)
              - { title: Lignes rejetées, source: rejected }

            """
        try Data(layout.utf8).write(to: folder.appendingPathComponent("layout.yml"))
        let yaml = """
            name: wiring
            stages:
              stays: { kind: ingest.stored_stays }
              other: { kind: test.pass }
              report:
                kind: output.xlsx_report
                inputs: \(reportInputs)
                options: { layout: layout.yml, file: sejours.xlsx }
              mails:
                kind: output.email_batch
                inputs: [stays]
                options:
                  source: \(source)
                  template: mails
                  kind: test_mail
                  from: centrale@example.fr
                  recipient_field: provider_email
                  key_fields: [reference, departure]

            """
        let file = folder.appendingPathComponent("pipeline.yml")
        try Data(yaml.utf8).write(to: file)
        return (passerelle.load(file.path), folder)
    }

    @Test func referencesToDeclaredTablesAndFieldsPass() throws {
        let (result, _) = try Self.load()
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered))")
        #expect(result.spec != nil)
    }

    @Test func aSourceNamingATableTheStageDoesNotHandDownIsFoundAtItsLine() throws {
        let (result, folder) = try Self.load(source: "stays.row")
        #expect(result.spec == nil)
        #expect(
            Self.passerelle.render(result) == """
                \(folder.path)/pipeline.yml:13:15: error: stage 'stays' (ingest.stored_stays) hands down no table 'row' [spec.unknown_table]
                 13 |       source: stays.row
                    |               ^~~~~~~~~
                  fix: did you mean 'stays.rows'?
                """)
    }

    @Test func aSourceNamingAStageThatIsNotUpstreamSaysToListIt() throws {
        let (result, folder) = try Self.load(sectionSource: "other.rows")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(diagnostic.rule == "spec.unknown_table")
        #expect(diagnostic.location == .yaml(file: "\(folder.path)/layout.yml", line: 4, column: 13))
        #expect(
            diagnostic.message
                == "report section 'Séjours du mois': 'other.rows' names no table upstream: stage 'other' is not upstream of 'report'"
        )
        #expect(diagnostic.fix == "list 'other' (or a stage after it) under the inputs of 'report'")
        // Listed as an input, it is upstream: its `rows` has no 'reference' or 'client', which are then reported.
        let (listed, _) = try Self.load(reportInputs: "[stays, other]", sectionSource: "other.rows")
        #expect(listed.diagnostics.map(\.rule) == ["spec.unknown_field", "spec.unknown_field"])
    }

    @Test func aLayoutColumnTheTableLacksIsFoundInTheLayoutWithADidYouMean() throws {
        let (result, folder) = try Self.load(columns: "{ reference: Réf., clien: Client }")
        #expect(
            Self.passerelle.render(result) == """
                \(folder.path)/layout.yml:5:33: error: report section 'Séjours du mois': column 'clien' is not a field of 'stays.rows' [spec.unknown_field]
                 5 |     columns: { reference: Réf., clien: Client }
                   |                                 ^~~~~
                  fix: did you mean 'client'?
                """)
    }

    /// `rejected`, `files` and `findings` have fixed columns: naming one is an error, not silently ignored.
    @Test func columnsOfARunListAreRefused() throws {
        let (result, folder) = try Self.load(sectionSource: "rejected")
        #expect(result.diagnostics.map(\.rule) == ["spec.unknown_field", "spec.unknown_field"])
        #expect(result.diagnostics.first?.location == .yaml(file: "\(folder.path)/layout.yml", line: 5, column: 16))
        #expect(
            result.diagnostics.first?.message
                == "report section 'Séjours du mois': 'rejected' is a list of the run with fixed columns, not a table: "
                + "column 'reference' cannot be used")
    }

    @Test func aTemplateFieldTheTableLacksIsFoundInTheTemplate() throws {
        let (result, folder) = try Self.load(
            body: "Bonjour {{{client}}},\nvotre séjour {{referense}} du {{arival_iso}}.")
        let diagnostics = result.diagnostics
        #expect(diagnostics.map(\.rule) == ["spec.unknown_field", "spec.unknown_field"])
        let template = "\(folder.path)/mails/body.fr.txt.mustache"
        #expect(diagnostics.first?.location == .yaml(file: template, line: 2, column: 16))
        #expect(diagnostics.first?.message == "template field 'referense' is not a field of 'stays.rows'")
        #expect(diagnostics.first?.fix == "did you mean 'reference'?")
        // `{{arival_iso}}`: the ISO form of the date field 'arival', which the table does not have.
        #expect(diagnostics.last?.location == .yaml(file: template, line: 2, column: 33))
        #expect(diagnostics.last?.fix == "did you mean 'arrival'?")
    }

    /// A run of stage `a` of `kind`, then a stage after it.
    static func runAfter(_ kind: String) throws -> RunReport {
        let folder = try TestSupport.temporaryDirectory()
        let spec = try TestSupport.spec(
            "name: t\nstages:\n  a: { kind: \(kind) }\n  b: { kind: test.pass, inputs: [a] }\n", in: folder,
            catalog: Self.passerelle.catalog)
        return try Self.passerelle.run(
            spec, options: TestSupport.options(in: folder), observer: nil, logger: TestSupport.quietLogger)
    }

    @Test func aStageHandingDownWhatItDoesNotDeclareFailsTheRun() throws {
        let report = try Self.runAfter("test.misdeclared")
        #expect(!report.succeeded)
        #expect(
            report.summary.contains(
                "stage 'a' (test.misdeclared) is not what it declares: its table 'rows' has the fields [m] where it declares [n]"
            ))
        guard case .notRun? = report.outcomes["b"] else {
            Issue.record("b ran after a failed: \(report.summary)")
            return
        }
    }

    /// A stays file read through a column mapping, then validated and stored; `columns` replaces its mapping.
    static func loadTyped(columns: String, emailField: String = "email") throws -> (SpecLoader.Result, URL) {
        let folder = try TestSupport.temporaryDirectory()
        try Data("Réf;Code;Arrivée;Départ;Montant;E-mail\r\n".utf8).write(
            to: folder.appendingPathComponent("sejours.csv"))
        let yaml = """
            name: typed
            stages:
              stays:
                kind: ingest.csv
                options:
                  path: sejours.csv
                  columns:
            \(columns)
              check_emails:
                kind: validate.client_email
                inputs: [stays]
                options: { field: \(emailField) }
              check_dates: { kind: validate.stay_dates, inputs: [check_emails] }
              store_stays: { kind: output.store_stays, inputs: [check_dates] }

            """
        let file = folder.appendingPathComponent("pipeline.yml")
        try Data(yaml.utf8).write(to: file)
        return (passerelle.load(file.path), folder)
    }

    static let typedColumns = """
                  reference: { headers: [Réf], required: true }
                  accommodation_code: { headers: [Code], required: true }
                  arrival: { headers: [Arrivée], type: date, required: true }
                  departure: { headers: [Départ], type: date, required: true }
                  amount: { headers: [Montant], type: money }
                  email: { headers: [E-mail], type: email }
        """

    @Test func fieldsMappedWithTheTypesTheirReadersReadPass() throws {
        let (result, _) = try Self.loadTyped(columns: Self.typedColumns)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered))")
    }

    /// A date mapped as text would reach `validate.stay_dates` and `output.store_stays` as empty dates, and an
    /// amount mapped as text would be stored empty: `check` says so at the column's line, once per field.
    @Test func aFieldMappedWithoutTheTypeItsReaderReadsIsFoundAtItsColumn() throws {
        let columns = Self.typedColumns.replacingOccurrences(of: "[Arrivée], type: date,", with: "[Arrivée],")
            .replacingOccurrences(of: "{ headers: [Montant], type: money }", with: "[Montant]")
        let (result, folder) = try Self.loadTyped(columns: columns)
        #expect(result.spec == nil)
        #expect(
            Self.passerelle.render(result) == """
                \(folder.path)/pipeline.yml:10:11: error: 'check_dates' (validate.stay_dates) reads field 'arrival' as a date, but 'stays' declares it as text: its values would be read as empty [spec.field_type]
                 10 |           arrival: { headers: [Arrivée], required: true }
                    |           ^~~~~~~
                  fix: give column 'arrival' of 'stays' 'type: date'
                \(folder.path)/pipeline.yml:12:11: error: 'store_stays' (output.store_stays) reads field 'amount' as an amount of money, but 'stays' declares it as text: its values would be read as empty [spec.field_type]
                 12 |           amount: [Montant]
                    |           ^~~~~~
                  fix: give column 'amount' of 'stays' 'type: money'
                """)
    }

    @Test func aFieldAStageNeedsThatItsInputLacksIsFoundAtTheOptionNamingIt() throws {
        let (result, folder) = try Self.loadTyped(columns: Self.typedColumns, emailField: "emial")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(diagnostic.rule == "spec.missing_field")
        #expect(diagnostic.location == .yaml(file: "\(folder.path)/pipeline.yml", line: 17, column: 23))
        #expect(
            diagnostic.message
                == "'check_emails' (validate.client_email) reads field 'emial' (text) from its input 'stays', which does not hand it down"
        )
        #expect(diagnostic.fix == "did you mean 'email'?")
    }

    @Test func aStageHandingDownAValueOfAnotherTypeThanItDeclaresFailsTheRun() throws {
        let report = try Self.runAfter("test.mistyped")
        #expect(!report.succeeded)
        #expect(
            report.summary.contains(
                "stage 'a' (test.mistyped) is not what it declares: its table 'rows' has text in field 'n', declared a whole number (t.csv:3)"
            ),
            "\(report.summary)")
    }

    /// `transform.catalogue_pricing` reads a price written as text ("1 080,00 €") as well as an amount, but
    /// matches its rules' periods on a date: a departure date mapped as text is refused, a price mapped as text
    /// is not.
    @Test func aStageReadingSeveralTypesOfAFieldAcceptsEach() throws {
        let folder = try TestSupport.temporaryDirectory()
        try Data("Organisateur;Séjour;Date;Prix;Séjour €\r\n".utf8).write(to: folder.appendingPathComponent("c.csv"))
        func load(date: String) throws -> [Diagnostic] {
            let yaml = """
                name: prices
                stages:
                  catalogue:
                    kind: ingest.csv
                    options:
                      path: c.csv
                      columns:
                        organiser: [Organisateur]
                        stay: [Séjour]
                        departure_date: \(date)
                        production_price: [Prix]
                        stay_price: { headers: [Séjour €], type: money }
                  pricing: { kind: transform.catalogue_pricing, inputs: [catalogue], options: { rules: [] } }

                """
            let file = folder.appendingPathComponent("pipeline.yml")
            try Data(yaml.utf8).write(to: file)
            return Self.passerelle.load(file.path).diagnostics
        }
        #expect(try load(date: "{ headers: [Date], type: date }").isEmpty)
        let refused = try load(date: "[Date]")
        #expect(refused.map(\.rule) == ["spec.field_type"])
        #expect(refused.first?.location == .yaml(file: folder.appendingPathComponent("pipeline.yml").path, line: 10, column: 9))
    }

    /// `{{amount_iso}}` would render nothing: only a date has an ISO form.
    @Test func aTemplateAskingTheISOFormOfAFieldThatIsNoDateIsFound() throws {
        let (result, folder) = try Self.load(body: "Bonjour {{{client}}},\nvotre séjour {{reference}} : {{amount_iso}}.")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(diagnostic.rule == "spec.field_type")
        #expect(diagnostic.location == .yaml(file: "\(folder.path)/mails/body.fr.txt.mustache", line: 2, column: 32))
        #expect(diagnostic.message == "template field 'amount' needs a date, but 'stays.rows' declares it as an amount of money")
    }

    /// `passerelle plan --tables`: each stage's declared tables with their fields' types, and what it reads.
    @Test func thePlanPrintsEachStagesTablesWithTheirTypes() throws {
        let (result, _) = try Self.loadTyped(columns: Self.typedColumns)
        let spec = try #require(result.spec)
        let text = try Self.passerelle.planText(spec, tables: true)
        #expect(text.contains("\n    reads: arrival (date, needed), departure (date, needed)\n"))
        #expect(
            text.contains(
                "\n    stays.rows: reference (text), accommodation_code (text), arrival (date), departure (date), "
                    + "amount (money), email (text)\n"))
        #expect(text.contains("\n    stays.file_info: path (text), sheet (text), status (text), rows_read (integer)\n"))
        #expect(text.contains("\n    store_stays.new_stays: reference (text), "))
        #expect(!(try Self.passerelle.planText(spec)).contains("reads:"))
    }
}

import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import Testing

@testable import Passerelle

/// `check` builds every stage exactly as `run` does (issue 20, part 1): typed option values, build-time
/// refusals, side files and `--var` are all reported when the definition is loaded, each at its line and column.
@Suite struct StageBuildCheckTests {
    static let passerelle = Passerelle(catalog: StageCatalog.all + [PassStage.self], environment: [:])

    /// Writes `yaml` as `pipeline.yml` in a new folder (with `files` beside it) and loads it as `check` does.
    static func load(
        _ yaml: String, files: [String: String] = [:], overrides: [String: String] = [:]
    ) throws -> (SpecLoader.Result, URL) {
        let folder = try TestSupport.temporaryDirectory()
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        let file = folder.appendingPathComponent("pipeline.yml")
        try Data(yaml.utf8).write(to: file)
        return (passerelle.load(file.path, overrides: overrides), folder)
    }

    static func fees(_ rate: String) -> String {
        """
        name: fees
        stages:
          stays: { kind: ingest.stored_stays }
          fees:
            kind: transform.payment_fees
            inputs: [stays]
            options: { rate: \(rate), online_payment_modes: [card] }

        """
    }

    @Test func aRateThatIsNoPercentageIsFoundByCheckAtItsPlace() throws {
        let (result, folder) = try Self.load(Self.fees("banana"))
        #expect(result.spec == nil)
        #expect(
            Self.passerelle.render(result) == """
                \(folder.path)/pipeline.yml:7:22: error: 'rate' must be a percentage, found 'banana' [spec.bad_value]
                 7 |     options: { rate: banana, online_payment_modes: [card] }
                   |                      ^~~~~~
                  fix: write a percentage from 0 to 100 with at most two decimals, e.g. '13 %' or '17,5 %'
                """)
        let (good, _) = try Self.load(Self.fees("\"2,5 %\""))
        #expect(good.diagnostics.isEmpty)
        #expect(good.spec?.stage(named: "fees")?.options.basisPoints("rate") == 250)
    }

    @Test(arguments: [
        ("month", "transform.monthly_payouts", "month: 2027-13", "a month"),
        ("fiscal_year_end", "output.fec", "siren: 123456789, fiscal_year_end: 31/02/2027", "a date"),
        ("siren", "output.fec", "siren: 12345678", "a SIREN"),
    ])
    func eachValueTypeRefusesWhatItCannotParse(key: String, kind: String, options: String, type: String) throws {
        let yaml = "name: t\nstages:\n  a: { kind: test.pass }\n  b:\n    kind: \(kind)\n    inputs: [a]\n"
            + "    options: { \(options) }\n"
        let (result, _) = try Self.load(yaml)
        let diagnostic = try #require(result.diagnostics.first { $0.rule == "spec.bad_value" })
        #expect(diagnostic.message.hasPrefix("'\(key)' must be \(type), found '"))
        #expect(diagnostic.location.line == 7)
    }

    /// What only the stage knows, when it is built (two rates of one channel from one date), is reported by
    /// `check` at the option it names, not at the stage.
    @Test func aRefusalWhenTheStageIsBuiltIsReportedAtTheOptionItNames() throws {
        let yaml = """
            name: rates
            stages:
              stays: { kind: test.pass }
              commissions:
                kind: transform.channel_commissions
                inputs: [stays]
                options:
                  rates:
                    - { channel: Airbnb, rate: 15 % }
                    - { channel: airbnb, rate: 16 % }

            """
        let (result, folder) = try Self.load(yaml)
        #expect(result.spec == nil)
        #expect(
            result.diagnostics.map(\.rendered) == [
                """
                \(folder.path)/pipeline.yml:10:11: error: stage 'commissions' (transform.channel_commissions) cannot \
                be built: channel 'airbnb' has two rates from the start [spec.bad_option]
                  fix: keep one rate per channel and date; give the new rate its own 'from' date
                """
            ])
    }

    @Test func aVarNamingNoVariableIsAnErrorWithADidYouMean() throws {
        let yaml = """
            name: import
            variables:
              stays_file: sejours.xlsx
            stages:
              a: { kind: test.pass }

            """
        let (result, folder) = try Self.load(yaml, overrides: ["stay_file": "autre.xlsx"])
        #expect(result.spec == nil)
        #expect(
            result.diagnostics.map(\.rendered) == [
                """
                \(folder.path)/pipeline.yml:3:3: error: --var 'stay_file' names no variable of the pipeline \
                [spec.unknown_variable]
                  fix: did you mean '--var stays_file=...'?
                """
            ])
        let (known, _) = try Self.load(yaml, overrides: ["stays_file": "autre.xlsx"])
        #expect(known.diagnostics.isEmpty)
        #expect(known.spec?.variables["stays_file"] == "autre.xlsx")
    }

    /// A side file is checked when the stage that reads it is built, and its mistakes are shown with the side
    /// file's own line under the caret.
    @Test func anUnknownKeyOfTheOfficesFileIsFoundByCheckInThatFile() throws {
        let offices = "default_grace_hours: 48\noffices:\n  OT A: { email: a@ot.example, grace_hour: 72 }\n"
        let yaml = """
            name: offices
            stages:
              stays: { kind: test.pass }
              membership:
                kind: transform.office_membership
                inputs: [stays]
                options: { config: offices.yml }

            """
        let (result, folder) = try Self.load(yaml, files: ["offices.yml": offices])
        #expect(result.spec == nil)
        #expect(
            Self.passerelle.render(result) == """
                \(folder.path)/offices.yml:3:32: error: unknown key 'grace_hour' in office 'OT A' [spec.unknown_key]
                 3 |   OT A: { email: a@ot.example, grace_hour: 72 }
                   |                                ^~~~~~~~~~
                  fix: did you mean 'grace_hours'?
                """)
    }

    @Test func anUnknownKeyOfAReportLayoutIsFoundByCheck() throws {
        let layout = "title: Rapport\nsections:\n  - { title: Rejets, source: rejected, colums: { file: Fichier } }\n"
        let yaml = """
            name: report
            stages:
              stays: { kind: test.pass }
              report:
                kind: output.xlsx_report
                inputs: [stays]
                options: { layout: layout.yml, file: rapport.xlsx }

            """
        let (result, folder) = try Self.load(yaml, files: ["layout.yml": layout])
        #expect(
            result.diagnostics.map(\.rendered) == [
                """
                \(folder.path)/layout.yml:3:40: error: unknown key 'colums' in section 'Rejets' [spec.unknown_key]
                  fix: did you mean 'columns'?
                """
            ])
    }

    /// The schema `kinds` prints comes from the same declaration `check` reads.
    @Test func kindsNamesTheValueTypesOfOptions() {
        let text = Self.passerelle.kindsText()
        #expect(text.contains("    rate: a percentage. The fee per charge (default '3 %').\n"))
        #expect(text.contains("    month (required): a month. The month paid, YYYY-MM (e.g. ${month}).\n"))
    }
}

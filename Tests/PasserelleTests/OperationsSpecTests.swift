import Foundation
import PasserelleCore
import PasserelleSpec
import Testing

@testable import Passerelle

/// The definition keys of unattended running: `time_zone:`, `inbox:`, `alerts:`.
@Suite struct OperationsSpecTests {
    static func load(_ yaml: String) throws -> (PipelineSpec?, [String]) {
        let folder = try TestSupport.temporaryDirectory()
        let file = folder.appendingPathComponent("pipeline.yml")
        try Data(yaml.utf8).write(to: file)
        let result = Passerelle(catalog: [PassStage.self], environment: [:]).load(file.path)
        let rendered = result.diagnostics.map { $0.rendered.replacingOccurrences(of: folder.path + "/", with: "") }
        return (result.spec, rendered)
    }

    @Test func operationsKeysAreRead() throws {
        let (spec, diagnostics) = try Self.load(
            """
            name: import
            schedule: "0 6 * * *"
            time_zone: Indian/Reunion
            variables:
              stays_file: { default: x.csv }
            inbox:
              folder: ../inbox
              patterns: { stays_file: "sejours*.{xlsx,csv}" }
            alerts: { to: [exploitation@example.fr, it@example.fr] }
            stages:
              one: { kind: test.pass }
            """)
        #expect(diagnostics == [])
        let loaded = try #require(spec)
        #expect(loaded.timeZone?.identifier == "Indian/Reunion")
        let inbox = try #require(loaded.inbox)
        #expect(inbox.folder.hasSuffix("/inbox") && !inbox.folder.contains(".."))
        #expect(inbox.patterns == ["stays_file": "sejours*.{xlsx,csv}"])
        #expect(inbox.stableSeconds == 30)
        #expect(loaded.alerts == AlertSpec(to: ["exploitation@example.fr", "it@example.fr"]))
    }

    @Test func mistakesAreReportedWithPlaceAndFix() throws {
        let (spec, diagnostics) = try Self.load(
            """
            name: import
            time_zone: Europe/Pariss
            variables:
              stays_file: { default: x.csv }
            inbox:
              folder: inbox
              patterns: { stay_file: "sejours*.csv" }
              stable_second: 5
            stages:
              one: { kind: test.pass }
            """)
        #expect(spec == nil)
        try #require(diagnostics.count == 3)
        #expect(
            diagnostics[0].hasPrefix("pipeline.yml:2:12: error: unknown time zone 'Europe/Pariss' [spec.bad_time_zone]")
        )
        #expect(
            diagnostics[1].hasPrefix(
                "pipeline.yml:7:15: error: inbox pattern for 'stay_file', which is not a variable of the pipeline [spec.unknown_variable]"
            ))
        #expect(diagnostics[1].hasSuffix("fix: did you mean 'stays_file'?"))
        #expect(
            diagnostics[2].hasPrefix(
                "pipeline.yml:8:3: error: unknown key 'stable_second' in 'inbox' [spec.unknown_key]"))
    }

    @Test func filePatternsMatchAlternativesIgnoringCase() {
        let pattern = FilePattern("sejours*.{xlsx,csv}")
        #expect(pattern.matches("sejours-2026-11-24.csv"))
        #expect(pattern.matches("SEJOURS.XLSX"))
        #expect(!pattern.matches("sejours.xls"))
        #expect(!pattern.matches("hebergeurs.csv"))
    }
}

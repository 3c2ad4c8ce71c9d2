import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import Testing

@testable import Passerelle

/// Runs channel pipelines on the fixtures of `Fixtures/channels/` (issue 6).
enum ChannelTestSupport {
    static func fixture(_ name: String) -> String { TestSupport.fixture("channels/\(name)").path }

    /// Runs `yaml` with the store and output under `folder` (the same folder twice = the same store).
    static func run(_ yaml: String, in folder: URL, force: Bool = false) throws -> RunReport {
        let file = folder.appendingPathComponent("pipeline.yml")
        try Data(yaml.utf8).write(to: file)
        let passerelle = Passerelle(environment: [:])
        let loaded = passerelle.load(file.path)
        let spec = try #require(loaded.spec, "\(loaded.diagnostics.map(\.rendered))")
        var options = TestSupport.options(in: folder)
        options.isForced = force
        let report = try passerelle.run(spec, options: options, observer: nil, logger: TestSupport.quietLogger)
        #expect(report.succeeded, "\(report.summary)")
        return report
    }

    static func result(_ report: RunReport, _ stage: String) throws -> StageResult {
        try #require(report.results.first { $0.name == stage }, "no result for \(stage): \(report.summary)")
    }

    /// A table's column as storage text, row by row.
    static func column(_ table: Table?, _ name: String) -> [String] {
        guard let table else { return [] }
        return table.rows.map { table.value(name, in: $0).storageText }
    }

    /// An `ingest.ical` stage over fixtures (`name:` keeps one feed name across two files).
    static func icalYAML(_ feeds: [(file: String, accommodation: String, name: String?)], planning: Bool = false) -> String {
        let lines = feeds.map { feed in
            "        - { path: \(fixture(feed.file)), accommodation: \(feed.accommodation)"
                + (feed.name.map { ", name: \($0)" } ?? "") + " }"
        }
        var yaml = """
            name: channel-test
            stages:
              calendars:
                kind: ingest.ical
                options:
                  feeds:
            \(lines.joined(separator: "\n"))
              store: { kind: output.store_channel_bookings, inputs: [calendars] }

            """
        if planning { yaml += "  planning: { kind: validate.planning, inputs: [store] }\n" }
        return yaml
    }
}

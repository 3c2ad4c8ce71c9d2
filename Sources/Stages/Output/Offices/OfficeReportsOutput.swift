import Foundation
import Mustache
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Writes each tourist office its own reports and e-mail: one XLSX and one HTML per office and report
/// kind, and one `.eml` per office with its files attached (issue 5).
///
/// Every office of the configuration and every office a row names gets a folder
/// `<folder>/<office-slug>/`, even with nothing to report: its sections then say so. The reports are
/// built from the office's share of the inputs only (`OfficePartition`): no file or e-mail of one office
/// can hold another office's providers, clients or totals. A layout section must name a table with an
/// `office` column; `files`, `rejected` and `findings` are refused, as they are not per office. Rows
/// without an office go to no office (`output.office_reports.no_office`); an office without an e-mail
/// address gets its files but no e-mail (`output.office_reports.no_address`). The e-mails are listed in
/// `<folder>/manifest.csv`, as an e-mail batch's are, so `passerelle send` and the daemon deliver them (once per
/// office and day, by key).
///
/// ```yaml
/// office_reports:
///   kind: output.office_reports
///   inputs: [membership, overlaps, pass_saison, delivery]
///   options:
///     config: ../sample-data/offices.yml
///     template: ../reports/report.html.mustache
///     reports:
///       adhesion: ../reports/offices/membership.yml
///       chevauchements: ../reports/offices/overlaps.yml
///     notices: membership.cheques
///     from: reservations@centrale.example
/// ```
struct OfficeReportsOutput: Stage {
    static let schema = StageKindSchema(
        kind: "output.office_reports",
        summary: "One XLSX and HTML per office and report, one e-mail per office with its files attached.",
        options: [
            OptionSpec("config", .path(mustExist: true), required: true, "The offices' settings (offices.yml)."),
            OptionSpec("template", .path(mustExist: true), required: true, "The HTML Mustache template."),
            OptionSpec(
                "reports", .map(.path(mustExist: true)), required: true, "File name → layout (reports/offices/*.yml)."),
            OptionSpec("notices", .string, "A table whose rows are listed in the e-mail body (cheques to validate)."),
            OptionSpec("from", .string, required: true, "Sender address."),
            OptionSpec("from_name", .string, "Sender display name."),
            OptionSpec("folder", .string, "Sub-folder of the run folder (default 'offices')."),
        ], inputs: 1...16)

    let options: OptionValues

    /// The offices' settings, read when the stage is built (so `check` finds their mistakes).
    let settings: OfficeConfiguration

    /// The report layouts by file name, read when the stage is built.
    let layouts: [(name: String, path: String, layout: ReportLayout)]

    init(spec: StageSpec) throws {
        options = spec.options
        settings = try OfficeConfiguration.load(path: spec.options.string("config") ?? "")
        let reports = spec.options.object("reports")
        layouts = try spec.options.keys("reports").map { name in
            let path = reports?.string(name) ?? ""
            return (name, path, try ReportLayout.load(path: path))
        }
    }

    /// The layouts' sections, each cut per office by its table's `office` field, and the notices' table.
    var references: [TableReference] {
        let sections = layouts.flatMap { name, _, layout in
            layout.references.map { reference in
                var cut = reference
                cut.fields.append(FieldReference("office", at: reference.location, role: "the office column"))
                cut.context = "report '\(name)', \(reference.context)"
                return cut
            }
        }
        let notices = options.string("notices").map { [TableReference(source: $0, option: "notices")] } ?? []
        return sections + notices
    }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let reports = try loadReports(inputs, stage: context.stageName)
        let (named, unassigned) = OfficePartition.offices(in: inputs)
        if unassigned > 0 { context.report(Self.noOffice(unassigned)) }
        let offices = named.union(settings.offices.map(\.name)).sorted()
        try Self.checkSlugs(offices, stage: context.stageName)
        let writer = OfficeReportWriter(
            reports: reports, template: try Self.template(options.string("template") ?? ""),
            folder: options.string("folder") ?? "offices", notices: options.string("notices"), context: context)
        var rows = 0
        var manifest: [String] = []
        var messages: [PreparedMessage] = []
        for office in offices {
            let share = OfficePartition.share(of: inputs, office: office)
            let files = try writer.writeFiles(office: office, share: share)
            rows += files.rows
            let mail = try writer.writeMail(
                office: settings.office(named: office), files: files, share: share,
                from: EmailAddress(displayName: options.string("from_name"), address: options.string("from") ?? ""))
            if let (line, message) = mail {
                manifest.append(line)
                messages.append(message)
            }
        }
        // Kept in the outbox, as an e-mail batch's messages are: `passerelle send`, the daemon and `outbox export`
        // find them there. The first mail of an office and day is kept; a later run's of the same day is a view.
        let already = try context.store.claimMessages(
            messages, firstPosition: 1, file: { writer.mailFile($1) }, scope: context.writeScope)
        if !already.isEmpty { context.note("\(already.count) office mail(s) of the day already kept by an earlier run") }
        try writer.writeManifest(manifest)
        context.note("\(context.isDryRun ? "would write" : "wrote") the reports of \(offices.count) office(s)")
        return StageOutput(tables: [:], rowsIn: rows, rowsOut: rows)
    }

    /// The layouts by file name, each section checked to name a table partitioned by office.
    private func loadReports(_ inputs: StageInputs, stage: String) throws -> [(String, ReportLayout)] {
        try layouts.map { name, path, layout in
            for section in layout.sections where inputs.table(section.source)?.column("office") == nil {
                throw ReportError(
                    path: path,
                    message: "section '\(section.title)' shows '\(section.source)', which is not a table with an "
                        + "'office' column: it cannot be cut per office",
                    fix: "name a table of a transform.office_* stage listed in the stage's inputs")
            }
            return (name, layout)
        }
    }

    private static func template(_ path: String) throws -> MustacheTemplate {
        guard let source = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) })
        else { throw ReportError(path: path, message: "cannot read the template", fix: "check the 'template' path") }
        return try MustacheTemplate(string: source)
    }

    /// Two offices writing to one folder would mix their files: refused.
    private static func checkSlugs(_ offices: [String], stage: String) throws {
        let grouped = Dictionary(grouping: offices, by: OfficePartition.slug)
        if let (slug, names) = grouped.first(where: { $0.value.count > 1 }) {
            throw StageError(
                stage: stage,
                message: "offices \(names.sorted().joined(separator: " and ")) share the folder '\(slug)'",
                fix: "write the office's name the same way in every row of the providers' file")
        }
    }

    private static func noOffice(_ count: Int) -> Diagnostic {
        Diagnostic(
            rule: "output.office_reports.no_office", severity: .warning, location: .file(""),
            message: "\(count) ligne(s) sans office de tourisme ne figurent dans le rapport d'aucun office",
            found: "\(count)", fix: "renseigner l'office de tourisme des hébergeurs concernés")
    }
}

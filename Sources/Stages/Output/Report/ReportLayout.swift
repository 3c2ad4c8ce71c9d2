import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import Yams

/// A report's layout, read from `reports/*.yml`: a title and sections, each a table of the run.
///
/// ```yaml
/// title: Rapport d'import
/// sections:
///   - title: Lignes rejetées
///     source: rejected            # built-in: files, rejected, findings; or stage.table
///   - title: Séjours modifiés
///     source: store_stays.changes
///     columns: { key: Référence, field: Champ, old_value: Avant, new_value: Après }
///     html_rows: 500              # the page shows the first 500 rows and says how many more the workbook has
/// ```
struct ReportLayout: Sendable {
    struct Section: Sendable {
        var title: String
        /// `files`, `rejected`, `findings` or `stage.table`.
        var source: String
        /// Field → French header, in order; all fields when empty.
        var columns: [(String, String)]
        /// For `findings`: rule prefixes to keep.
        var rules: [String]
        /// Text shown when the section has no row.
        var empty: String
        /// The most rows an HTML page shows (all when nil): a browser cannot page through 100 000 rows,
        /// the workbook holds them all.
        var htmlRows: Int? = nil
        /// Where `source` is written in the layout file.
        var sourceLocation: SourceLocation? = nil
        /// Where each column's field is named in the layout file, by field.
        var columnLocations: [String: SourceLocation] = [:]
    }

    var title: String
    var sections: [Section]

    static let keys = ["title", "sections"]
    static let sectionKeys = ["title", "source", "columns", "rules", "empty", "html_rows"]

    /// The upstream tables a report over this layout reads.
    var tableReads: TableReads { .inputs(andReferences: sections.map(\.source)) }

    /// Each section's table and columns, for `check` to verify against the tables declared upstream.
    var references: [TableReference] {
        sections.map { section in
            TableReference(
                source: section.source, location: section.sourceLocation,
                fields: section.columns.map { FieldReference($0.0, at: section.columnLocations[$0.0], role: "column") },
                context: "report section '\(section.title)'")
        }
    }

    /// Reads a layout file when its stage is built, or throws every mistake at its line and column (an unknown
    /// key with a did-you-mean, a section without 'title' or 'source').
    static func load(path: String) throws -> ReportLayout {
        var file = try SideFile(path: path, what: "the report layout")
        let layout = read(&file)
        try file.throwIfFailed()
        return layout
    }

    private static func read(_ file: inout SideFile) -> ReportLayout {
        var layout = ReportLayout(title: "Rapport", sections: [])
        guard let root = file.root.mapping, let sections = root["sections"]?.sequence else {
            file.report(
                "report.layout_shape", file.root, "a layout needs 'title' and a list of 'sections'",
                fix: "see reports/import-report.yml")
            return layout
        }
        file.checkKeys(root, known: keys, context: "in the report layout")
        layout.title = root["title"]?.string ?? "Rapport"
        for node in sections {
            guard let section = node.mapping, let title = section["title"]?.string, let source = section["source"]?.string
            else {
                file.report(
                    "report.section_shape", node, "a section needs 'title' and 'source'",
                    fix: "add them, e.g. '- { title: Lignes rejetées, source: rejected }'")
                continue
            }
            file.checkKeys(section, known: sectionKeys, context: "in section '\(title)'")
            var columnLocations: [String: SourceLocation] = [:]
            let columns: [(String, String)] = section["columns"]?.mapping?.compactMap { k, v in
                guard let key = k.string, let label = v.string else { return nil }  // non-text keys are not columns
                columnLocations[key] = file.location(k)
                return (key, label)
            } ?? []
            let rules = section["rules"]?.sequence?.compactMap(\.string) ?? []
            layout.sections.append(
                Section(
                    title: title, source: source, columns: columns, rules: rules,
                    empty: section["empty"]?.string ?? "Rien à signaler.", htmlRows: section["html_rows"]?.int,
                    sourceLocation: section["source"].map(file.location), columnLocations: columnLocations))
        }
        return layout
    }
}

/// A report that cannot be produced: the layout or template file, what is wrong and what to do.
struct ReportError: Error, CustomStringConvertible {
    var path: String
    var message: String
    var fix: String
    var description: String { "\(path): \(message); \(fix)" }
}

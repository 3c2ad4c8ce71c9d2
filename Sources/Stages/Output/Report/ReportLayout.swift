import Foundation
import PasserelleCore
import PasserelleEngine
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
    }

    var title: String
    var sections: [Section]

    /// Reads a layout file, or throws an error naming the file, the place and the fix.
    /// The upstream tables a report over this layout reads (any, when the layout cannot be read: the run
    /// will report that).
    static func tableReads(path: String) -> TableReads {
        guard let layout = try? load(path: path, stage: "") else { return .anyUpstream }
        return .inputs(andReferences: layout.sections.map(\.source))
    }

    static func load(path: String, stage: String) throws -> ReportLayout {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ReportError(path: path, message: "cannot read the report layout", fix: "check the 'layout' path of stage '\(stage)'")
        }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw ReportError(path: path, message: "the layout is not valid YAML: \(error)", fix: "fix the YAML syntax")
        }
        guard let root = node?.mapping, let sections = root["sections"]?.sequence else {
            throw ReportError(path: path, message: "a layout needs 'title' and a list of 'sections'", fix: "see reports/import-report.yml")
        }
        var layout = ReportLayout(title: root["title"]?.string ?? "Rapport", sections: [])
        for node in sections {
            guard let section = node.mapping, let title = section["title"]?.string, let source = section["source"]?.string
            else {
                let line = node.mark?.line ?? 0
                throw ReportError(path: path, message: "section at line \(line) needs 'title' and 'source'", fix: "add them")
            }
            let columns: [(String, String)] = section["columns"]?.mapping?.compactMap { k, v in
                guard let key = k.string, let label = v.string else { return nil }  // non-text keys are not columns
                return (key, label)
            } ?? []
            let rules = section["rules"]?.sequence?.compactMap(\.string) ?? []
            layout.sections.append(
                Section(
                    title: title, source: source, columns: columns, rules: rules,
                    empty: section["empty"]?.string ?? "Rien à signaler.", htmlRows: section["html_rows"]?.int))
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

import Foundation
import PasserelleCore
import PasserelleEngine

/// Cuts the run's tables into one share per tourist office: the security boundary of the office reports.
///
/// An office's share keeps, of every upstream table that has an `office` column, the rows whose office is
/// exactly that office's name, and nothing else: tables without an `office` column, rejected rows, findings,
/// notes and files are dropped, so a report section can only show rows meant for the office. Totals are
/// computed by the reports from the share, never from the whole table.
enum OfficePartition {
    /// The office's share of `inputs`.
    static func share(of inputs: StageInputs, office: String) -> StageInputs {
        StageInputs(
            direct: inputs.direct.map { share(of: $0, office: office) },
            upstream: inputs.upstream.map { share(of: $0, office: office) })
    }

    private static func share(of result: StageResult, office: String) -> StageResult {
        var kept = result
        kept.output.tables = result.output.tables.compactMapValues { filter($0, office: office) }
        kept.output.rowsIn = 0
        kept.output.rowsOut = kept.output.tables["rows"]?.rows.count ?? 0
        kept.rejected = []
        kept.rowsRejected = 0
        kept.findings = []
        kept.notes = []
        kept.files = []
        kept.fileCount = 0
        kept.inputFiles = []
        kept.changes = []
        return kept
    }

    /// The table's rows of `office`, or nil for a table that does not say whose rows it holds.
    static func filter(_ table: Table, office: String) -> Table? {
        guard table.column("office") != nil else { return nil }
        var kept = table.emptyCopy()
        kept.rows = table.rows.filter { table.value("office", in: $0).text == office }
        return kept
    }

    /// Every office named in the inputs' partitioned tables, sorted; rows without an office are counted.
    static func offices(in inputs: StageInputs) -> (offices: Set<String>, unassigned: Int) {
        var offices = Set<String>()
        var unassigned = 0
        for result in inputs.upstream {
            for table in result.output.tables.values where table.column("office") != nil {
                for row in table.rows {
                    if let office = table.value("office", in: row).text, !office.isEmpty {
                        offices.insert(office)
                    } else {
                        unassigned += 1
                    }
                }
            }
        }
        return (offices, unassigned)
    }

    /// `office-de-tourisme-des-gets`: an office's folder name, ASCII letters, digits and hyphens.
    static func slug(_ office: String) -> String {
        let folded = office.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        var slug = ""
        for scalar in folded.unicodeScalars {
            if scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty && !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "office" : slug
    }
}

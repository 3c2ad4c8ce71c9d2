import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Helpers shared by the validation stages: naming a stay in French messages, checking e-mails.
enum ValidationSupport {
    /// "DUPONT Marie, 12/02/2026–19/02/2026": how a stay is named in messages users read.
    static func stayLabel(_ table: Table, _ row: Row) -> String {
        let last = table.value("last_name", in: row).text ?? ""
        let first = table.value("first_name", in: row).text ?? ""
        var label = [last.uppercased(), first].filter { !$0.isEmpty }.joined(separator: " ")
        if label.isEmpty { label = table.value("reference", in: row).text ?? "sans nom" }
        if let a = table.value("arrival", in: row).date, let d = table.value("departure", in: row).date {
            label += ", \(a.frenchText)–\(d.frenchText)"
        }
        return label
    }

    /// The cell a user must edit: `F27` in a workbook, `ligne 27, champ 6` in a CSV.
    static func cellName(_ location: SourceLocation) -> String {
        switch location {
        case .xlsx(_, _, let row, let column?, _): return "\(SourceLocation.columnLetters(column))\(row)"
        case .csv(_, let line, let field?, _): return "ligne \(line), champ \(field)"
        default: return "ligne \(location.line.map(String.init) ?? "?")"
        }
    }

    /// The input table a validation works on, or an error naming the stage.
    static func primary(_ inputs: StageInputs, stage: String) throws -> Table {
        guard let table = inputs.primary else {
            throw StageError(stage: stage, message: "stage '\(stage)' has no input table", fix: "list the stage to validate under 'inputs'")
        }
        return table
    }
}


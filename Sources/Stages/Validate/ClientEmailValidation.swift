import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Rejects stays whose client e-mail is missing or malformed.
///
/// The client gets the stay code by e-mail, so such a stay cannot be issued (domain.md rule 1). Rules:
/// `validate.client_email.missing`, `validate.client_email.malformed`. Rows pass on unchanged otherwise.
///
/// ```yaml
/// check_emails: { kind: validate.client_email, inputs: [stays] }
/// ```
struct ClientEmailValidation: Stage {
    static let schema = StageKindSchema(
        kind: "validate.client_email", summary: "Reject stays whose client e-mail is missing or malformed.",
        options: [OptionSpec("field", .string, "The e-mail field (default 'email').")], inputs: 1...1)

    let field: String

    init(spec: StageSpec) throws {
        field = spec.options.string("field") ?? "email"
    }

    var tableReads: TableReads { .inputsOnly }
    var inputFields: [FieldRequirement] { [.required(field, .text, option: "field")] }

    /// Its input's rows, those that pass.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [inputs.primary] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let table = try ValidationSupport.primary(inputs, stage: context.stageName)
        var out = table.emptyCopy()
        for row in table.rows {
            let location = table.location(of: field, in: row)
            let raw = table.value(field, in: row).text?.trimmingWhitespace() ?? ""
            // The stay's label and cell name only for a rejected row: a million valid rows need neither.
            var who: String { ValidationSupport.stayLabel(table, row) }
            var cell: String { ValidationSupport.cellName(location) }
            if raw.isEmpty {
                context.reject([
                    Diagnostic(
                        rule: "validate.client_email.missing", location: location,
                        message: "pas d'e-mail client pour le séjour de \(who)", found: "",
                        fix: "saisissez l'e-mail du client en \(cell) puis réimportez le fichier ; le séjour sera "
                            + "enregistré dès qu'il en aura un")
                ])
            } else if EmailSyntax.normalized(raw) == nil {
                context.reject([
                    Diagnostic(
                        rule: "validate.client_email.malformed", location: location,
                        message: "e-mail client invalide « \(raw) » pour le séjour de \(who)", found: raw,
                        fix: "corrigez l'adresse en \(cell) (forme nom@domaine.fr) puis réimportez le fichier")
                ])
            } else {
                out.rows.append(row)
            }
        }
        return StageOutput(rows: out, rowsIn: table.rows.count)
    }
}

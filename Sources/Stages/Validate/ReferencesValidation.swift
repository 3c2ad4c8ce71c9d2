import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Rejects stays whose accommodation is unknown.
///
/// A stay cannot exist without its accommodation (domain.md rule 6). Known accommodations are those in
/// the store and those of the other inputs (the providers file of the same run). Rule:
/// `validate.references.unknown_accommodation`.
///
/// ```yaml
/// check_references: { kind: validate.references, inputs: [check_dates, store_providers] }
/// ```
struct ReferencesValidation: Stage {
    static let schema = StageKindSchema(
        kind: "validate.references", summary: "Reject stays whose accommodation code is unknown.",
        options: [
            OptionSpec(
                "field", .string, "The accommodation code field of the first input (default 'accommodation_code')."),
            OptionSpec("known_field", .string, "The code field in the other inputs (default 'accommodation_code')."),
        ], inputs: 1...8)

    let field: String
    let knownField: String

    init(spec: StageSpec) throws {
        field = spec.options.string("field") ?? "accommodation_code"
        knownField = spec.options.string("known_field") ?? "accommodation_code"
    }

    var tableReads: TableReads { .inputsOnly }
    var inputFields: [FieldRequirement] { [.required(field, .text, option: "field")] }

    /// Its input's rows, those that pass.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [inputs.primary] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let table = try ValidationSupport.primary(inputs, stage: context.stageName)
        var known = try context.store.accommodationCodes()
        for other in inputs.direct.dropFirst() {
            guard let rows = other.output.tables["rows"] else { continue }
            for row in rows.rows { if let code = rows.value(knownField, in: row).text { known.insert(code) } }
        }
        var out = table.emptyCopy()
        for row in table.rows {
            let code = table.value(field, in: row).text ?? ""
            if known.contains(code) {
                out.rows.append(row)
                continue
            }
            let location = table.location(of: field, in: row)
            context.reject([
                Diagnostic(
                    rule: "validate.references.unknown_accommodation", location: location,
                    message:
                        "hébergement inconnu « \(code) » pour le séjour de \(ValidationSupport.stayLabel(table, row))",
                    found: code,
                    fix: "corrigez le code en \(ValidationSupport.cellName(location)) ou ajoutez l'hébergement au "
                        + "fichier des hébergeurs, puis réimportez")
            ])
        }
        return StageOutput(rows: out, rowsIn: table.rows.count)
    }
}

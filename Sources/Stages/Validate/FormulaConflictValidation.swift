import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Reports accommodations subscribed to both Pass Séjour and Pass Saison, and sets each row's `formula`.
///
/// An accommodation has at most one pass formula (domain.md rule 3). A conflict rejects nothing: the
/// row goes on with `formula = conflict`, and storing leaves that accommodation's formula as it was.
/// Conflicts are found on one row (both columns "Oui") and across rows of the same accommodation.
/// Rule: `validate.formula_conflict.both_formulas` (warning).
///
/// ```yaml
/// check_formulas: { kind: validate.formula_conflict, inputs: [providers] }
/// ```
struct FormulaConflictValidation: Stage {
    static let schema = StageKindSchema(
        kind: "validate.formula_conflict",
        summary: "Report accommodations with both Pass Séjour and Pass Saison; their formula is left unchanged.",
        options: [], inputs: 1...1)

    init(spec: StageSpec) throws {}

    var tableReads: TableReads { .inputsOnly }
    var inputFields: [FieldRequirement] {
        [
            .required("accommodation_code", .text), FieldRequirement("accommodation_name", .text),
            FieldRequirement("pass_sejour", .boolean), FieldRequirement("pass_saison", .boolean),
            FieldRequirement("formula", .text),
        ]
    }

    /// Its input's rows, with the formula each accommodation sells (`formula`) last.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] {
        let input = inputs.primary
        return [
            TableShape("rows", columns: input.columns.filter { $0.name != "formula" } + [FieldShape("formula", .text)])
        ]
    }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let table = try ValidationSupport.primary(inputs, stage: context.stageName)
        var fields = table.fields.filter { $0.name != "formula" }
        fields.append(Field(name: "formula"))
        var formulas: [String: Set<String>] = [:]
        for row in table.rows {
            let code = table.value("accommodation_code", in: row).text ?? ""
            formulas[code, default: []].formUnion(rowFormulas(table, row))
        }
        var out = Table(fields: fields)
        var reported = Set<String>()
        for row in table.rows {
            let code = table.value("accommodation_code", in: row).text ?? ""
            let set = formulas[code] ?? []
            var values = fields.dropLast().map { table.value($0.name, in: row) }
            let formula = set.count > 1 ? "conflict" : set.first ?? ""
            values.append(formula.isEmpty ? .null : .text(formula))
            out.rows.append(Row(values: values, placedAs: row))
            if set.count > 1, reported.insert(code).inserted {
                let name = table.value("accommodation_name", in: row).text ?? code
                context.report(
                    Diagnostic(
                        rule: "validate.formula_conflict.both_formulas", severity: .warning,
                        location: table.location(of: "pass_saison", in: row),
                        message: "l'hébergement \(code) (\(name)) a à la fois Pass Séjour et Pass Saison ; "
                            + "sa formule n'a pas été modifiée",
                        found: "Pass Séjour + Pass Saison",
                        fix: "choisissez une seule formule pour cet hébergement dans le fichier des hébergeurs"))
            }
        }
        return StageOutput(rows: out, rowsIn: table.rows.count)
    }

    private func rowFormulas(_ table: Table, _ row: Row) -> Set<String> {
        var set = Set<String>()
        if table.value("pass_sejour", in: row).bool == true { set.insert(PassFormula.passSejour.rawValue) }
        if table.value("pass_saison", in: row).bool == true { set.insert(PassFormula.passSaison.rawValue) }
        if let text = table.value("formula", in: row).text?.lowercased() {
            if text.contains("saison") { set.insert(PassFormula.passSaison.rawValue) }
            if text.contains("séjour") || text.contains("sejour") { set.insert(PassFormula.passSejour.rawValue) }
        }
        return set
    }
}

/// Flags providers who are not paying members of the tourist office they declared.
///
/// Such a provider is stored and flagged, never rejected (domain.md rule 4: the office gives a grace
/// period before its stays may be deactivated). Rule: `validate.membership.not_member` (warning).
///
/// ```yaml
/// check_membership: { kind: validate.membership, inputs: [check_formulas] }
/// ```
struct MembershipValidation: Stage {
    static let schema = StageKindSchema(
        kind: "validate.membership", summary: "Flag providers who are not paying members of their tourist office.",
        options: [], inputs: 1...1)

    init(spec: StageSpec) throws {}

    var tableReads: TableReads { .inputsOnly }
    var inputFields: [FieldRequirement] {
        [
            .required("is_member", .boolean), FieldRequirement("provider_code", .text),
            FieldRequirement("provider_name", .text), FieldRequirement("office", .text),
        ]
    }

    /// Its input's rows, those that pass.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [inputs.primary] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let table = try ValidationSupport.primary(inputs, stage: context.stageName)
        var flagged = Set<String>()
        for row in table.rows where table.value("is_member", in: row).bool == false {
            let code = table.value("provider_code", in: row).text ?? ""
            guard flagged.insert(code).inserted else { continue }
            let name = table.value("provider_name", in: row).text ?? code
            let office = table.value("office", in: row).text ?? "son office de tourisme"
            context.report(
                Diagnostic(
                    rule: "validate.membership.not_member", severity: .warning,
                    location: table.location(of: "is_member", in: row),
                    message: "l'hébergeur \(code) (\(name)) n'est pas adhérent de \(office)", found: "Non",
                    fix: "l'office de tourisme relance l'hébergeur pour la cotisation (délai de grâce de 48 à 72 h)"))
        }
        return StageOutput(rows: table, rowsIn: table.rows.count)
    }
}

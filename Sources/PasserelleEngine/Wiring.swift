import Foundation
import PasserelleCore
import PasserelleSpec

/// The tables every stage of a pipeline declares, computed in plan order from the declarations upstream, and
/// every reference that does not match them: a `source:` naming a stage that is not upstream, a table that
/// stage does not hand down, a layout column or template field the table does not have. `check` and `run`
/// report these at the line that names them, before anything runs.
package struct Wiring: Sendable {
    /// Declared tables by stage name.
    package private(set) var shapes: [String: [TableShape]] = [:]
    package private(set) var diagnostics: [Diagnostic] = []
    private var reportedTypes: Set<String> = []

    package init(spec: PipelineSpec, plan: Plan, stages: [String: any Stage]) {
        let specs = Dictionary(spec.stages.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for name in plan.order {
            guard let stage = stages[name], let stageSpec = specs[name] else { continue }
            let upstream = Set(plan.upstream(of: name))
            let inputs = InputShapes(
                direct: plan.inputs[name] ?? [], tables: shapes.filter { upstream.contains($0.key) })
            shapes[name] = stage.outputShapes(inputs)
            if let first = inputs.direct.first {
                check(
                    stage.inputFields, of: stageSpec, input: first, shape: inputs.primary, kind: plan.kinds[name] ?? "?"
                )
            }
            for reference in stage.references {
                check(reference, of: stageSpec, upstream: upstream, kinds: plan.kinds, allStages: Set(specs.keys))
            }
        }
    }

    /// Why a stage's output is not what it declared (a defect of its kind), or nil when it is.
    package func mismatch(of output: StageOutput, stage: String) -> String? {
        guard let declared = shapes[stage] else { return nil }
        for (name, table) in output.tables.sorted(by: { $0.key < $1.key }) {
            guard let shape = declared.first(where: { $0.name == name }) else {
                return "it handed down table '\(name)', which it does not declare (it declares "
                    + declared.map { "'\($0.name)'" }.joined(separator: ", ") + ")"
            }
            let fields = table.fields.map(\.name)
            if fields != shape.fields {
                return "its table '\(name)' has the fields [\(fields.joined(separator: ", "))] where it declares "
                    + "[\(shape.fields.joined(separator: ", "))]"
            }
            if let mismatch = shape.typeMismatch(in: table) { return mismatch }
        }
        return nil
    }

    /// The fields a stage reads from its first input: each it needs is declared there, and each declared is of
    /// the type it reads (a field mapped without `type: date` would be read as empty dates).
    private mutating func check(
        _ requirements: [FieldRequirement], of stage: StageSpec, input: String, shape: TableShape, kind: String
    ) {
        for requirement in requirements {
            guard let field = shape.field(requirement.name) else {
                guard requirement.isRequired else { continue }
                diagnostics.append(
                    Diagnostic(
                        rule: "spec.missing_field",
                        location: requirement.option.flatMap(stage.options.location(of:)) ?? stage.location,
                        message:
                            "'\(stage.name)' (\(kind)) reads field '\(requirement.name)' (\(requirement.type.phrase)) "
                            + "from its input '\(input)', which does not hand it down", found: input,
                        fix: Suggestion.nearest(to: requirement.name, in: shape.fields).map { "did you mean '\($0)'?" }
                            ?? "map a column '\(requirement.name)' (type: \(requirement.type.mappingType)) in the reader "
                            + "upstream of '\(input)'"))
                continue
            }
            guard !requirement.isSatisfied(by: field.type) else { continue }
            // A field declared upstream and read by several stages as the same wrong type is reported once, at the
            // first of them.
            let key = "\(field.declaredBy ?? input)\u{0}\(field.name)\u{0}\(requirement.type.rawValue)"
            guard reportedTypes.insert(key).inserted else { continue }
            let declared = field.declaredBy.map { "'\($0)' declares it" } ?? "'\(input)' hands it down"
            let fix =
                field.declaredBy.map {
                    "give column '\(field.name)' of '\($0)' 'type: \(requirement.type.mappingType)'"
                } ?? "hand '\(stage.name)' a field '\(field.name)' of \(requirement.type.phrase)"
            diagnostics.append(
                Diagnostic(
                    rule: "spec.field_type", location: field.declaredAt ?? stage.location,
                    message: "'\(stage.name)' (\(kind)) reads field '\(field.name)' as \(requirement.type.phrase), "
                        + "but \(declared) as \(field.type.phrase): its values would be read as empty",
                    found: field.name, fix: fix))
        }
    }

    private mutating func check(
        _ reference: TableReference, of stage: StageSpec, upstream: Set<String>, kinds: [String: String],
        allStages: Set<String>
    ) {
        let at = reference.location ?? reference.option.flatMap(stage.options.location(of:)) ?? stage.location
        let context = reference.context.isEmpty ? "" : "\(reference.context): "
        if TableReference.runLists.contains(reference.source) {
            // The run's lists have fixed columns: a field named there would be silently ignored.
            for field in reference.fields {
                diagnostics.append(
                    Diagnostic(
                        rule: "spec.unknown_field", location: field.location ?? at,
                        message:
                            "\(context)'\(reference.source)' is a list of the run with fixed columns, not a table: "
                            + "\(field.role) '\(field.name)' cannot be used", found: field.name,
                        fix: "remove it, or name a table of an upstream stage ('stage.table')"))
            }
            return
        }
        let (source, tableName) = TableReference.split(reference.source)
        guard upstream.contains(source) else {
            let fix: String
            if allStages.contains(source) && source != stage.name {
                fix = "list '\(source)' (or a stage after it) under the inputs of '\(stage.name)'"
            } else {
                let candidates = upstream.sorted() + TableReference.runLists.sorted()
                fix =
                    Suggestion.nearest(to: source, in: candidates).map { "did you mean '\($0)'?" }
                    ?? "name an upstream stage (" + upstream.sorted().map { "'\($0)'" }.joined(separator: ", ")
                    + ") or one of 'files', 'rejected', 'findings'"
            }
            let what =
                allStages.contains(source)
                ? "stage '\(source)' is not upstream of '\(stage.name)'" : "no stage is named '\(source)'"
            diagnostics.append(
                Diagnostic(
                    rule: "spec.unknown_table", location: at,
                    message: "\(context)'\(reference.source)' names no table upstream: \(what)",
                    found: reference.source,
                    fix: fix))
            return
        }
        let declared = shapes[source] ?? []
        guard let shape = declared.first(where: { $0.name == tableName }) else {
            let names = declared.map(\.name)
            diagnostics.append(
                Diagnostic(
                    rule: "spec.unknown_table", location: at,
                    message: "\(context)stage '\(source)' (\(kinds[source] ?? "?")) hands down no table '\(tableName)'",
                    found: reference.source,
                    fix: Suggestion.nearest(to: tableName, in: names).map { "did you mean '\(source).\($0)'?" }
                        ?? "name one of its tables: " + names.map { "'\(source).\($0)'" }.joined(separator: ", ")))
            return
        }
        for field in reference.fields {
            guard let expected = field.expected, let declared = shape.field(field.name), declared.type != .any,
                !declared.type.satisfies(expected)
            else { continue }
            diagnostics.append(
                Diagnostic(
                    rule: "spec.field_type", location: field.location ?? at,
                    message:
                        "\(context)\(field.role) '\(field.name)' needs \(expected.phrase), but '\(source).\(tableName)' "
                        + "declares it as \(declared.type.phrase)", found: field.name,
                    fix: expected == .date && field.role == "template field"
                        ? "'_iso' gives the ISO form of a date: write {{\(field.name)}} for this field"
                        : "name a field of \(expected.phrase)"))
        }
        for field in reference.fields where !shape.fields.contains(field.name) {
            diagnostics.append(
                Diagnostic(
                    rule: "spec.unknown_field", location: field.location ?? at,
                    message: "\(context)\(field.role) '\(field.name)' is not a field of '\(source).\(tableName)'",
                    found: field.name,
                    fix: Suggestion.nearest(to: field.name, in: shape.fields).map { "did you mean '\($0)'?" }
                        ?? "its fields are " + shape.fields.map { "'\($0)'" }.joined(separator: ", ")))
        }
    }
}

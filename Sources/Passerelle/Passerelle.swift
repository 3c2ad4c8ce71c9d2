import Foundation
import Logging
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import PasserelleStore

/// The façade the `passerelle` command uses: check, plan, run and history.
package struct Passerelle: Sendable {
    package var catalog: [any Stage.Type]
    package var environment: [String: String]

    package init(
        catalog: [any Stage.Type] = StageCatalog.all,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.catalog = catalog
        self.environment = environment
    }

    /// Loads and checks one definition, then builds every stage exactly as `run` does, so that what a stage
    /// refuses when it is built (an option value, a side file) is reported here, at its line and column.
    package func load(_ file: String, overrides: [String: String] = [:]) -> SpecLoader.Result {
        var result = SpecLoader(kinds: catalog.map { $0.schema }, overrides: overrides, environment: environment)
            .load(file: file)
        guard let spec = result.spec else { return result }
        switch StageFactory.build(spec, catalog: Runner(catalog: catalog).catalog) {
        case .failed(let diagnostics):
            result.diagnostics += diagnostics
            result.spec = nil
        case .built(let stages):
            // Every `source:`, layout column and template field against the tables declared upstream.
            guard let plan = try? Plan(spec: spec) else { break }  // the loader reported what makes no plan
            let wiring = Wiring(spec: spec, plan: plan, stages: stages)
            if !wiring.diagnostics.isEmpty {
                result.diagnostics += wiring.diagnostics
                result.spec = nil
            }
        }
        return result
    }

    /// Renders a load result's diagnostics, each with its caret snippet (from the definition, or from the side
    /// file a diagnostic is in).
    package func render(_ result: SpecLoader.Result) -> String {
        var sideFiles: [String: [Substring]] = [:]
        return result.diagnostics.map { diagnostic in
            let file = diagnostic.location.file
            guard file != result.file else { return diagnostic.rendered(source: result.sourceLines) }
            if sideFiles[file] == nil { sideFiles[file] = SpecLoader.lines(ofFileAt: file) }
            return diagnostic.rendered(source: sideFiles[file])
        }.joined(separator: "\n")
    }

    /// The plan as text: stages in dependency order, grouped by what runs side by side; with `tables`, each
    /// stage's declared tables with their fields' types, and the fields it reads from its input.
    package func planText(_ spec: PipelineSpec, only: [String] = [], tables: Bool = false) throws -> String {
        let plan = try Plan(spec: spec, only: only)
        var stages: [String: any Stage] = [:]
        var declarations: Wiring?
        if tables, case .built(let built) = StageFactory.build(spec, catalog: Runner(catalog: catalog).catalog) {
            stages = built
            declarations = Wiring(spec: spec, plan: plan, stages: built)
        }
        var text = "pipeline \(spec.name): \(plan.order.count) stage(s) in \(plan.levels.count) step(s)\n"
        if let schedule = spec.schedule { text += "schedule: \(schedule.text)\n" }
        for (i, level) in plan.levels.enumerated() {
            let together = level.count > 1 ? " (side by side)" : ""
            text += "step \(i + 1)\(together):\n"
            for name in level {
                let inputs = plan.inputs[name] ?? []
                let after = inputs.isEmpty ? "" : " after " + inputs.joined(separator: ", ")
                text += "  \(name) [\(plan.kinds[name] ?? "?")]\(after)\n"
                if let declared = declarations?.shapes[name] {
                    text += Self.tablesText(name, declared, reads: stages[name])
                }
            }
        }
        return text
    }

    /// `    reads: arrival (date, needed), …` then `    stage.table: field (type), …`, one line per table.
    private static func tablesText(_ stage: String, _ shapes: [TableShape], reads: (any Stage)?) -> String {
        var text = ""
        if let reads = reads?.inputFields, !reads.isEmpty {
            text +=
                "    reads: "
                + reads.map { "\($0.name) (\($0.type.rawValue)\($0.isRequired ? ", needed" : ""))" }
                .joined(separator: ", ") + "\n"
        }
        for shape in shapes {
            let fields = shape.columns.map { "\($0.name) (\($0.type.rawValue))" }.joined(separator: ", ")
            text += "    \(stage).\(shape.name): \(fields.isEmpty ? "no fields" : fields)\n"
        }
        return text
    }

    /// Runs a checked spec.
    package func run(_ spec: PipelineSpec, options: RunOptions, observer: (any RunObserver)?, logger: Logger) throws
        -> RunReport
    {
        try Runner(catalog: catalog).run(spec, options: options, observer: observer, logger: logger)
    }

    /// The kinds with their summaries and options, for `passerelle kinds`.
    package func kindsText() -> String {
        catalog.map { type in
            let schema = type.schema
            var text = "\(schema.kind): \(schema.summary)\n"
            for option in schema.options {
                text +=
                    "    \(option.key)\(option.isRequired ? " (required)" : ""): \(option.type.displayName). \(option.summary)\n"
            }
            return text
        }.joined(separator: "\n")
    }
}

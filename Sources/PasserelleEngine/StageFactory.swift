import Foundation
import PasserelleCore
import PasserelleSpec

/// Builds a pipeline's stages from their checked specs: the one place `check` and `run` both go through, so
/// every mistake a stage finds when it is built (a rate that is no percentage, two rates from one date, a
/// side file with an unknown key) is found by `check` too, at the line and column of the option at fault.
package enum StageFactory {
    /// The stages built, or every diagnostic of the stages that could not be built.
    package enum Outcome: Sendable {
        case built([String: any Stage])
        case failed([Diagnostic])
    }

    /// Builds the stages of `spec` named in `names` (every stage when nil), collecting every build error.
    package static func build(
        _ spec: PipelineSpec, catalog: [String: any Stage.Type], only names: Set<String>? = nil
    ) -> Outcome {
        var stages: [String: any Stage] = [:]
        var diagnostics: [Diagnostic] = []
        for stageSpec in spec.stages where names?.contains(stageSpec.name) ?? true {
            guard let type = catalog[stageSpec.kind] else {
                diagnostics.append(
                    Diagnostic(
                        rule: "spec.unknown_kind", location: stageSpec.location,
                        message: "unknown stage kind '\(stageSpec.kind)' in stage '\(stageSpec.name)'",
                        fix: "run `passerelle kinds` to list the stage kinds"))
                continue
            }
            do {
                stages[stageSpec.name] = try type.init(spec: stageSpec)
            } catch let error as any DiagnosticConvertible {
                diagnostics += error.diagnostics
            } catch {
                diagnostics.append(diagnostic(error, stageSpec))
            }
        }
        return diagnostics.isEmpty ? .built(stages) : .failed(diagnostics)
    }

    /// A build error as a diagnostic, placed at the option it names, else at the stage's name.
    static func diagnostic(_ error: any Error, _ stage: StageSpec) -> Diagnostic {
        let context = "stage '\(stage.name)' (\(stage.kind)) cannot be built"
        guard let error = error as? StageError else {
            return Diagnostic(rule: "spec.stage_build", location: stage.location, message: "\(context): \(error)")
        }
        let location = error.location ?? error.option.flatMap(stage.options.location(of:)) ?? stage.location
        return Diagnostic(
            rule: "spec.bad_option", location: location, message: "\(context): \(error.message)", found: error.found,
            fix: error.fix)
    }
}

/// The stages of a run that could not be built, with every diagnostic (the definition has errors).
package struct StageBuildError: Error, CustomStringConvertible {
    package var diagnostics: [Diagnostic]

    package var description: String { diagnostics.map(\.rendered).joined(separator: "\n") }
}

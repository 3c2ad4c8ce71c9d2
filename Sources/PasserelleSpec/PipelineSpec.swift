import Foundation
import PasserelleCore

/// A pipeline definition read from `pipelines/*.yml`, variables substituted and paths resolved.
package struct PipelineSpec: Sendable {
    /// The definition file, as given on the command line.
    package var file: String
    /// The folder relative paths are resolved against (the definition file's folder).
    package var baseDirectory: String
    package var name: String
    package var description: String
    /// Cron expression, if the pipeline is scheduled.
    package var schedule: CronExpression?
    /// Variable values after defaults and `--var` overrides.
    package var variables: [String: String]
    /// The store path from the definition (`store:`), resolved; nil for the default.
    package var store: String?
    /// The output root from the definition (`output_directory:`), resolved; nil for the default.
    package var outputDirectory: String?
    /// Stages in declaration order.
    package var stages: [StageSpec]

    /// The stage with this name.
    package func stage(named name: String) -> StageSpec? { stages.first { $0.name == name } }
}

/// One named stage of a pipeline.
package struct StageSpec: Sendable {
    package var name: String
    /// `<group>.<name>`, e.g. `ingest.xlsx`.
    package var kind: String
    /// Upstream stage names, in the order written.
    package var inputs: [String]
    package var description: String?
    /// Typed options, checked against the kind's schema, variables substituted and paths resolved.
    package var options: OptionValues
    /// Where the stage is defined.
    package var location: SourceLocation
}

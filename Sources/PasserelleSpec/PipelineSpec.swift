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
    /// The zone the schedule is read in (`time_zone:`, an IANA name); nil for Europe/Paris.
    package var timeZone: TimeZone? = nil
    /// The watched inbox that triggers the pipeline (`inbox:`), if any.
    package var inbox: InboxSpec? = nil
    /// Who is told when a scheduled or triggered run fails (`alerts:`), if anyone.
    package var alerts: AlertSpec? = nil
    /// The e-mail batches the daemon sends after a successful run (`delivery:`), if any.
    package var delivery: DeliverySpec? = nil

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

/// A watched folder whose complete files trigger the pipeline (`inbox:`).
///
/// ```yaml
/// inbox:
///   folder: ../inbox
///   patterns: { providers_file: "hebergeurs*.xlsx", stays_file: "sejours*.{xlsx,csv}" }
///   stable_seconds: 30
/// ```
package struct InboxSpec: Sendable, Equatable {
    /// The folder watched, resolved against the definition's folder.
    package var folder: String
    /// Variable name → file-name glob (`*`, `?`, `{a,b}`); a matching file is passed as `--var name=path`.
    package var patterns: [String: String]
    /// Seconds a file's size and modification time must stay unchanged before it is taken (default 30).
    package var stableSeconds: Int

    package init(folder: String, patterns: [String: String], stableSeconds: Int = 30) {
        self.folder = folder
        self.patterns = patterns
        self.stableSeconds = stableSeconds
    }
}

/// The addresses a failed scheduled or triggered run is reported to (`alerts:`).
package struct AlertSpec: Sendable, Equatable {
    /// Recipients, for example `[exploitation@example.fr]`.
    package var to: [String]
    /// Sender address (default `passerelle@localhost.localdomain`).
    package var from: String

    package init(to: [String], from: String = "passerelle@localhost.localdomain") {
        self.to = to
        self.from = from
    }
}

/// The e-mail batches of a run that the daemon delivers over SMTP once the run has succeeded (`delivery:`).
///
/// ```yaml
/// delivery: { batches: [codes-sejour, modifications-sejour] }
/// ```
package struct DeliverySpec: Sendable, Equatable {
    /// Batch folders of the run folder (an `output.email_batch` stage's `folder`), sent in this order.
    package var batches: [String]

    package init(batches: [String]) { self.batches = batches }
}

import Foundation
import PasserelleEngine
import PasserelleSpec

/// A pipeline as the daemon sees it: its definition, what triggers it, and where its store and outputs live.
package struct DaemonPipeline: Sendable {
    package var name: String
    /// The definition file.
    package var file: String
    package var schedule: CronSchedule?
    package var inbox: InboxSpec?
    package var alerts: AlertSpec?
    package var delivery: DeliverySpec?
    package var timeZone: TimeZone
    package var storePath: String
    package var outputRoot: URL

    /// Reads the daemon's view of a checked spec; `store` and `output` override the definition's folders.
    package init(spec: PipelineSpec, store: String?, output: String?, currentDirectory: URL) {
        name = spec.name
        file = spec.file
        timeZone = spec.timeZone ?? CronSchedule.paris
        schedule = spec.schedule.map { CronSchedule($0, timeZone: spec.timeZone ?? CronSchedule.paris) }
        inbox = spec.inbox
        alerts = spec.alerts
        delivery = spec.delivery
        let storeText = store ?? spec.store ?? "var/passerelle.sqlite"
        storePath = storeText.hasPrefix("/") ? storeText : currentDirectory.appendingPathComponent(storeText).path
        let outputText = output ?? spec.outputDirectory ?? "out"
        outputRoot =
            outputText.hasPrefix("/")
            ? URL(fileURLWithPath: outputText) : currentDirectory.appendingPathComponent(outputText).standardizedFileURL
    }

    /// Whether anything would ever start it (a schedule or an inbox).
    package var isTriggered: Bool { schedule != nil || inbox != nil }
}

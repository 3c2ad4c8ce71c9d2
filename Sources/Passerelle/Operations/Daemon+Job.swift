import Foundation
import Logging
import PasserelleEngine
import PasserelleSpec
import PasserelleStore
import Synchronization

extension Daemon {
    /// Runs one pipeline, then files its inbox batch, alerts on failure and records the slot it ran for.
    func execute(_ pipeline: DaemonPipeline, slot: Date?, batch: InboxWatcher.Batch?, startedAt: Date) {
        let result = launcher.run(pipeline, overrides: batch?.overrides ?? [:], asOf: startedAt)
        let finishedAt = clock.now()
        if let batch { file(batch, of: pipeline, result: result, at: finishedAt) }
        if result.succeeded { deliver(pipeline, result: result) }
        if !result.succeeded, let alerts = pipeline.alerts {
            alert(
                pipeline, alerts: alerts, trigger: trigger(pipeline, slot: slot, batch: batch), result: result,
                at: finishedAt)
        }
        if let slot {
            do {
                try Store(path: pipeline.storePath).recordScheduledSlot(
                    pipeline: pipeline.name, slot: slot, updatedAt: RunClock.iso(finishedAt))
            } catch {
                logger.error(
                    "Schedule state not saved; the slot may run again after a restart.", metadata: ["error": "\(error)"]
                )
            }
        }
        state.withLock { state in
            state.book.finish(pipeline.name, slot: slot)
            if let batch { state.watchers[pipeline.name]?.forget(batch) }
        }
        let level: Logger.Level = result.succeeded ? .info : .error
        logger.log(
            level: level, "Pipeline run ended.",
            metadata: ["pipeline": "\(pipeline.name)", "summary": "\(result.summary)"])
    }

    private func file(_ batch: InboxWatcher.Batch, of pipeline: DaemonPipeline, result: LaunchResult, at now: Date) {
        guard let inbox = pipeline.inbox else { return }
        let filing = InboxFiling(inboxFolder: URL(fileURLWithPath: inbox.folder), timeZone: pipeline.timeZone)
        for (variable, url) in batch.files.sorted(by: { $0.key < $1.key }) {
            do {
                if result.succeeded {
                    try filing.archive(url, at: now)
                } else {
                    try filing.reject(url, reason: reason(variable: variable, file: url, result: result, at: now))
                }
            } catch {
                logger.error("Inbox file not moved.", metadata: ["file": "\(url.path)", "error": "\(error)"])
            }
        }
    }

    private func reason(variable: String, file: URL, result: LaunchResult, at now: Date) -> String {
        """
        \(file.lastPathComponent) (\(variable)) was rejected on \(RunClock.iso(now)):
        \(result.summary)
        fix: correct the file and drop it into the inbox again (every file of a failed run is rejected with it).
        """
    }

    private func trigger(_ pipeline: DaemonPipeline, slot: Date?, batch: InboxWatcher.Batch?) -> String {
        var parts: [String] = []
        if let slot, let schedule = pipeline.schedule {
            parts.append("planification « \(schedule.expression.text) » (créneau \(RunClock.iso(slot)))")
        }
        if let batch {
            parts.append(
                "boîte de dépôt : " + batch.files.values.map(\.lastPathComponent).sorted().joined(separator: ", "))
        }
        return parts.joined(separator: " ; ")
    }

    private func alert(
        _ pipeline: DaemonPipeline, alerts: AlertSpec, trigger: String, result: LaunchResult, at now: Date
    ) {
        let alert = FailureAlert(
            pipeline: pipeline.name, alerts: alerts, trigger: trigger, summary: result.summary, date: now)
        do {
            let file = try alert.write(outputRoot: pipeline.outputRoot)
            logger.info("Failure alert written.", metadata: ["file": "\(file.path)"])
            guard let smtp = settings.smtp else { return }
            for (recipient, outcome) in try alert.send(with: SMTPTransport(settings: smtp)) {
                logger.info("Failure alert sent.", metadata: ["to": "\(recipient)", "outcome": "\(outcome)"])
            }
        } catch {
            logger.error("Failure alert not written.", metadata: ["pipeline": "\(pipeline.name)", "error": "\(error)"])
        }
    }
}
